/* The debug link over COM2, driven as fast as a 16550 allows: with the
 * FIFO on, a set THRE means the whole 16-byte transmit FIFO is empty, so
 * each wait is followed by up to 16 bytes instead of one; reads drain the
 * receive FIFO while LSR.DR says a byte waits.
 *
 * Input wakes a CPU: the receive-data interrupt (IER.ERBFI) raises ISA
 * IRQ 3, which IOAPIC pin 3 delivers as an NMI (ioapic.h) to the CPU the
 * link names, as virtio's MSI-X vector does. The pin is edge triggered and
 * the line stays up while a byte waits, so every reader drains the FIFO,
 * and wake_arm() checks LSR.DR after routing: a byte that came before it
 * is polled, one after it makes the edge. The FIFO keeps its 14-byte
 * trigger (QEMU hands the 16550 no more bytes at a time than the trigger
 * level), so a short packet interrupts only at the character timeout,
 * four character times (about 350 us at 115200 baud): hence the long
 * spin before the serving CPU halts. */
#include "link_uart.h"

#include "cpu.h"
#include "ioapic.h"
#include "percpu.h"
#include "uart.h"

enum { RBR_THR = 0, IER = 1, MCR = 4, LSR = 5 };
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20
#define IER_RX_DATA    0x01
#define MCR_DTR_RTS_OUT2      0x0b  /* OUT2 gates the IRQ line on a PC */
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
    return "16550 UART COM2, io 0x2f8, 115200 8N1, FIFO on, wakes its CPU by NMI (IRQ 3)";
}

static bool uart_wake_route(unsigned cpu)
{
    static bool irq_on;
    if (cpu >= MAX_CPUS)
        return false;
    ioapic_route_nmi(COM2_IOAPIC_PIN, percpus[cpu].apic_id);
    if (!irq_on) {
        outb(COM2_BASE + MCR, MCR_DTR_RTS_OUT2);
        outb(COM2_BASE + IER, IER_RX_DATA);
        irq_on = true;
    }
    return true;
}

static bool uart_wake_arm(void)
{
    uart_wake_route(this_cpu()->index);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return !(inb(COM2_BASE + LSR) & LSR_DATA_READY);
}

static const struct arch_link uart_link = {
    .name = "uart",
    .read = uart_read,
    .write = uart_write,
    .flush = uart_flush,
    .describe = uart_describe,
    .wake_arm = uart_wake_arm,
    .wake_route = uart_wake_route,
    .wake_spin_us = 2000,
};

const struct arch_link *link_uart(void)
{
    return &uart_link;
}
