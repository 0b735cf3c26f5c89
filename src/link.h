/* The debug link: the RSP byte stream between the monitor and GDB, LLDB or
 * husk-proxy, over whichever transport the architecture chose at boot (a
 * virtio console where the machine has one, else the COM2 UART; see
 * docs/link.md). Received bytes go to the rx hook (the stub's input); the
 * stub's replies go out with link_write and leave with link_flush, so a
 * whole reply is one virtqueue buffer rather than one exit per byte. */
#ifndef HUSK_LINK_H
#define HUSK_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*link_rx_hook)(uint8_t byte, void *ctx);

void link_set_rx_hook(link_rx_hook hook, void *ctx);
void link_poll(void);                 /* drains received bytes into the hook */

/* Queues n bytes; link_flush() sends what is queued (call it at the end of
 * every reply). Bytes the transport could not take are counted as dropped. */
void link_write(const uint8_t *bytes, size_t n);
void link_flush(void);

/* While no guest code runs: halts this CPU until input may have arrived
 * (the transport's wake-up, or any NMI, e.g. the debugger's tick); returns
 * false at once when the transport cannot wake it, or input is already
 * waiting: then the caller polls. */
bool link_wait_input(void);

/* While no guest code runs: input that arrives while the guest runs will
 * make CPU `cpu` leave the guest at once and poll the link (where the
 * transport can; otherwise exits and the debugger's tick poll it). */
void link_route_input_to(unsigned cpu);
/* Whether input now interrupts a CPU that runs the guest: true after
 * link_route_input_to() on a transport that can, until link_wait_input()
 * takes the wake-up for a CPU that waits outside the guest. */
bool link_input_interrupts_guest(void);

uint64_t link_bytes_received(void);
uint64_t link_bytes_sent(void);

/* "uart" or "virtio-console", or "none". */
const char *link_name(void);
/* One line for `monitor link`: the transport, its device and the byte
 * counters. Returns the length snprintf would have written. */
int link_describe(char *buf, size_t size);

#endif
