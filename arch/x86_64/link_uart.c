/* The debug link over COM2, driven as fast as a 16550 allows: with the
 * FIFO on, a set THRE means the whole 16-byte transmit FIFO is empty, so
 * each wait is followed by up to 16 bytes instead of one; reads drain the
 * receive FIFO while LSR.DR says a byte waits. */
#include "link_uart.h"

#include "cpu.h"
#include "uart.h"

enum { RBR_THR = 0, LSR = 5 };
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20
#define TX_FIFO_DEPTH  16
#define STUCK_SPINS    1000000u        /* a transmitter that never empties: give up */

static size_t uart_read(uint8_t *buf, size_t max)
{
    size_t n = 0;
    while (n < max && (inb(COM2_BASE + LSR) & LSR_DATA_READY))
        buf[n++] = inb(COM2_BASE + RBR_THR);
    return n;
}

static size_t uart_write(const uint8_t *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        unsigned spins = 0;
        while (!(inb(COM2_BASE + LSR) & LSR_THR_EMPTY))
            if (++spins == STUCK_SPINS)
                return done;
            else
                cpu_relax();
        for (unsigned k = 0; k < TX_FIFO_DEPTH && done < n; k++)
            outb(COM2_BASE + RBR_THR, buf[done++]);
    }
    return done;
}

static void uart_flush(void)
{
    /* every byte is in the transmitter already */
}

static const char *uart_describe(void)
{
    return "16550 UART COM2, io 0x2f8, 115200 8N1, FIFO on";
}

static const struct arch_link uart_link = {
    .name = "uart",
    .read = uart_read,
    .write = uart_write,
    .flush = uart_flush,
    .describe = uart_describe,
};

const struct arch_link *link_uart(void)
{
    return &uart_link;
}
