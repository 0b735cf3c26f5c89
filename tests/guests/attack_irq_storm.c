/* attack_irq_storm: thousands of self-IPIs (each an ICR write the monitor
 * decodes and forwards) and then a 50 kHz LAPIC timer. Every
 * self-IPI must arrive exactly once (SDM vol. 3, 11.6: a fixed IPI to self
 * with interrupts on is taken before the next instruction completes, so
 * the count is exact), the timer must keep ticking, and the monitor must
 * still answer afterwards. */
#include "apic.h"
#include "attack.h"
#include "guest.h"
#include "idt.h"
#include "x86.h"

const char guest_name[] = "attack_irq_storm";

#define IPI_VECTOR   0x40
#define TIMER_VECTOR 0x41
#define SELF_IPIS    5000
#define TIMER_TICKS  1000
/* Bound on the wait for the ticks, in TSC cycles (about half a minute at
 * 2.5 GHz; the test's QEMU timeout is longer). Ticks that come faster than
 * they can be taken coalesce in the IRR (SDM vol. 3, 11.8.4), so the count
 * checked is a floor, not 50 kHz times the time. A loop count would not
 * do: how fast a loop runs under TCG depends on the host's load. */
#define TIMER_TIMEOUT_TSC (1ull << 36)

static volatile uint64_t ipis_seen, ticks_seen;

static void on_ipi(struct interrupt_frame *f)
{
    (void)f;
    ipis_seen++;
    lapic_eoi();
}

static void on_tick(struct interrupt_frame *f)
{
    (void)f;
    ticks_seen++;
    lapic_eoi();
}

int guest_main(void)
{
    environment_is_hosted();
    irq_set_handler(IPI_VECTOR, on_ipi);
    irq_set_handler(TIMER_VECTOR, on_tick);
    lapic_enable();
    sti();

    uint64_t sent;
    for (sent = 0; sent < SELF_IPIS; sent++) {
        lapic_send_self_ipi(IPI_VECTOR);
        if (ipis_seen != sent + 1)
            break;
    }
    bool ok = check(sent == SELF_IPIS && ipis_seen == SELF_IPIS,
                    "self-IPIs: sent %lu, taken %lu, each before the next", sent, (uint64_t)ipis_seen);

    /* Periodic, divide by 1, initial count 20000: 20 us at the 1 GHz
     * LAPIC clock QEMU models (50 kHz), far above any real tick rate. */
    lapic_write(LAPIC_TIMER_DIV, 0xB);
    lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | TIMER_VECTOR);
    lapic_write(LAPIC_TIMER_INIT, 20000);
    uint64_t give_up = rdtsc() + TIMER_TIMEOUT_TSC;
    while (ticks_seen < TIMER_TICKS && rdtsc() < give_up)
        cpu_relax();
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | TIMER_VECTOR);
    lapic_write(LAPIC_TIMER_INIT, 0);
    uint64_t ticks = ticks_seen;
    udelay(1000);
    ok &= check(ticks >= TIMER_TICKS, "timer storm: %lu ticks taken", ticks);
    ok &= check(ticks_seen == ticks, "the timer stops when masked");
    cli();
    return ok && monitor_still_answers() ? GUEST_PASS : GUEST_FAIL;
}
