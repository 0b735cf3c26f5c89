/* 16550 UARTs: COM1 is the console the monitor shares with its guest
 * (the guest owns it once it runs), COM2 is the monitor's debug link. */
#ifndef HUSK_X86_UART_H
#define HUSK_X86_UART_H

#include <stdbool.h>
#include <stdint.h>

#define COM1_BASE 0x3f8
#define COM2_BASE 0x2f8
#define COM_PORTS 8

/* Programs 115200 8N1 with the FIFO on and the UART's interrupt off;
 * returns false when nothing answers at base. */
bool uart_init(uint16_t base);
void uart_putc(uint16_t base, char c);
int uart_getc(uint16_t base);             /* -1 when nothing waits */

#endif
