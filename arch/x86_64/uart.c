#include "uart.h"

#include "arch.h"
#include "cpu.h"

enum { RBR_THR = 0, IER = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, SCR = 7 };
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20

bool uart_init(uint16_t base)
{
    /* scratch register probe: a missing UART reads back 0xff */
    outb(base + SCR, 0x5a);
    if (inb(base + SCR) != 0x5a)
        return false;
    outb(base + IER, 0x00);
    outb(base + LCR, 0x80);         /* DLAB */
    outb(base + 0, 1);              /* divisor 1: 115200 baud */
    outb(base + 1, 0);
    outb(base + LCR, 0x03);         /* 8N1 */
    outb(base + FCR, 0xc7);         /* FIFO on, cleared, 14-byte trigger */
    outb(base + MCR, 0x03);         /* DTR, RTS; OUT2 off: no IRQ line */
    return true;
}

void uart_putc(uint16_t base, char c)
{
    for (unsigned spins = 0; !(inb(base + LSR) & LSR_THR_EMPTY) && spins < 1000000; spins++)
        cpu_relax();
    outb(base + RBR_THR, (uint8_t)c);
}

int uart_getc(uint16_t base)
{
    if (!(inb(base + LSR) & LSR_DATA_READY))
        return -1;
    return inb(base + RBR_THR);
}

void arch_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            uart_putc(COM1_BASE, '\r');
        uart_putc(COM1_BASE, s[i]);
    }
}
