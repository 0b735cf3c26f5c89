/* The debug link (COM2). Until the RSP engine is wired in (issue 5) bytes
 * received are counted and dropped; link_set_rx_hook() is where the stub's
 * input function will be installed. */
#ifndef HUSK_LINK_H
#define HUSK_LINK_H

#include <stdint.h>

typedef void (*link_rx_hook)(uint8_t byte, void *ctx);

void link_set_rx_hook(link_rx_hook hook, void *ctx);
void link_poll(void);                 /* drains COM2 into the hook */
uint64_t link_bytes_received(void);

#endif
