#include "link.h"

#include "arch.h"

static link_rx_hook rx_hook;
static void *rx_ctx;
static uint64_t received;

void link_set_rx_hook(link_rx_hook hook, void *ctx)
{
    rx_ctx = ctx;
    rx_hook = hook;
}

void link_poll(void)
{
    /* one CPU at a time drains the UART; the others skip instead of waiting */
    static volatile int busy;
    if (__atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE))
        return;
    /* bounded: a flood on the link cannot keep a CPU out of its guest */
    for (int n = 0; n < 64; n++) {
        int c = arch_link_getc();
        if (c < 0)
            break;
        __atomic_fetch_add(&received, 1, __ATOMIC_RELAXED);
        if (rx_hook)
            rx_hook((uint8_t)c, rx_ctx);
    }
    __atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
}

uint64_t link_bytes_received(void)
{
    return __atomic_load_n(&received, __ATOMIC_RELAXED);
}
