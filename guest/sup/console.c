#include "console.h"
#include "x86.h"
#include "../lib/fmt.h"
#include "../lib/spinlock.h"
#include <stdarg.h>

#define COM1 0x3F8
enum { UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3, UART_MCR = 4, UART_LSR = 5 };
#define LSR_THR_EMPTY 0x20
#define LCR_DLAB      0x80
#define LCR_8N1       0x03

static struct spinlock console_lock;

void console_init(void)
{
    outb(COM1 + UART_IER, 0);              /* polled: no UART interrupts */
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DATA, 1);             /* divisor 1: 115200 baud */
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, 0xC7);           /* FIFOs on, cleared */
    outb(COM1 + UART_MCR, 0x03);           /* DTR, RTS */
}

static void uart_put(char c)
{
    while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
        cpu_relax();
    outb(COM1 + UART_DATA, (uint8_t)c);
}

void console_write(const char *s, size_t n)
{
    spin_lock(&console_lock);
    for (size_t i = 0; i < n; i++)
        uart_put(s[i]);
    spin_unlock(&console_lock);
}

void kprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    console_write(buf, (size_t)n);
}
