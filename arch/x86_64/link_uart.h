/* The COM2 transport of the debug link (uart_init(COM2_BASE) first). */
#ifndef HUSK_X86_LINK_UART_H
#define HUSK_X86_LINK_UART_H

#include "arch.h"

const struct arch_link *link_uart(void);

#endif
