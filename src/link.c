#include "link.h"

#include "arch.h"
#include "lib/printf.h"
#include "spinlock.h"

/* bytes taken from the transport per link_poll: a whole virtio receive
 * buffer (a large X packet arrives in a few polls, not dozens), while a
 * flood on the link still cannot keep a CPU out of its guest for long */
#define POLL_CHUNK 4096

/* After the last byte in or out, link_wait_input() polls for the
 * transport's wake_spin_us before it halts. Halting at once makes every
 * exchange wait for the emulator to wake the CPU; polling long keeps a
 * host CPU busy while the client itself has work (GDB parses an 8 KiB
 * memory reply for about 0.4 ms). On the virtio console 50 us measured
 * best on an idle and on a busy host; the UART wakes only at its
 * character timeout, so it polls 2 ms (docs/benchmarks.md, "The serving
 * CPU halts"). */
static volatile uint64_t last_traffic_us;
static volatile bool input_interrupts_guest;

static link_rx_hook rx_hook;
static void *rx_ctx;
static uint64_t received, sent, dropped;
static struct spinlock write_lock;

void link_set_rx_hook(link_rx_hook hook, void *ctx)
{
    rx_ctx = ctx;
    rx_hook = hook;
}

void link_poll(void)
{
    const struct arch_link *l = arch_link();
    if (!l)
        return;
    /* one CPU at a time drains the link; the others skip instead of waiting */
    static volatile int busy;
    if (__atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE))
        return;
    static uint8_t buf[POLL_CHUNK];     /* under `busy`; off the small monitor stacks */
    size_t n = l->read(buf, sizeof buf);
    __atomic_fetch_add(&received, n, __ATOMIC_RELAXED);
    if (n)
        last_traffic_us = arch_time_us();
    for (size_t i = 0; i < n; i++)
        if (rx_hook)
            rx_hook(buf[i], rx_ctx);
    __atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
}

void link_write(const uint8_t *bytes, size_t n)
{
    const struct arch_link *l = arch_link();
    if (!l) {
        __atomic_fetch_add(&dropped, n, __ATOMIC_RELAXED);
        return;
    }
    spin_lock(&write_lock);
    size_t done = l->write(bytes, n);
    spin_unlock(&write_lock);
    __atomic_fetch_add(&sent, done, __ATOMIC_RELAXED);
    __atomic_fetch_add(&dropped, n - done, __ATOMIC_RELAXED);
}

void link_flush(void)
{
    const struct arch_link *l = arch_link();
    if (!l)
        return;
    spin_lock(&write_lock);
    l->flush();
    spin_unlock(&write_lock);
    last_traffic_us = arch_time_us();
}

bool link_wait_input(void)
{
    const struct arch_link *l = arch_link();
    if (!l || !l->wake_arm || arch_time_us() - last_traffic_us < l->wake_spin_us)
        return false;
    unsigned seen = arch_nmi_count();       /* before arming: no wake-up is missed */
    input_interrupts_guest = false;
    if (!l->wake_arm())
        return false;
    arch_wait_nmi(seen);
    return true;
}

void link_route_input_to(unsigned cpu)
{
    const struct arch_link *l = arch_link();
    if (l && l->wake_route)
        input_interrupts_guest = l->wake_route(cpu);
}

bool link_input_interrupts_guest(void)
{
    return input_interrupts_guest;
}

uint64_t link_bytes_received(void)
{
    return __atomic_load_n(&received, __ATOMIC_RELAXED);
}

uint64_t link_bytes_sent(void)
{
    return __atomic_load_n(&sent, __ATOMIC_RELAXED);
}

const char *link_name(void)
{
    const struct arch_link *l = arch_link();
    return l ? l->name : "none";
}

int link_describe(char *buf, size_t size)
{
    const struct arch_link *l = arch_link();
    return snprintf(buf, size, "link %s (%s): received %lu bytes, sent %lu bytes, dropped %lu bytes",
                    link_name(), l ? l->describe() : "no transport", link_bytes_received(),
                    link_bytes_sent(), __atomic_load_n(&dropped, __ATOMIC_RELAXED));
}
