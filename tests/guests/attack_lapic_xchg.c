/* attack_lapic_xchg: a store to the LAPIC page that is not a plain MOV
 * (`xchg` with the timer's initial count register). Bare the LAPIC takes it
 * like any write. Hosted the page is read-only and only MOV stores are
 * decoded and replayed: the monitor stops the vCPU with a reported fault
 * rather than guess (docs/monitor.md), and ends the run (status 251). */
#include "apic.h"
#include "attack.h"
#include "guest.h"

const char guest_name[] = "attack_lapic_xchg";

int guest_main(void)
{
    environment_is_hosted();
    lapic_enable();
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | 0x42);
    uint32_t value = 0x5001;
    printf("lapic_xchg: xchg with the timer's initial count\n");
    __asm__ volatile("xchgl %0, %1" : "+r"(value), "+m"(*(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + LAPIC_TIMER_INIT)));
    uint32_t now = lapic_read(LAPIC_TIMER_INIT);
    lapic_write(LAPIC_TIMER_INIT, 0);
    printf("lapic_xchg: completed, register reads 0x%x\n", now);
    return now == 0x5001 && !hosted_by_husk() ? GUEST_PASS : GUEST_FAIL;
}
