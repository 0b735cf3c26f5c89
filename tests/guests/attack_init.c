/* attack_init: send INIT to another CPU while it runs guest code (a loop
 * that counts). A vCPU that is running must not be reset by the guest
 * (the monitor drops INIT to it, docs/monitor.md): hosted the counter keeps
 * going. Bare the INIT resets the AP into wait-for-SIPI (SDM vol. 3, 9.4)
 * and the counter stops: that run shows the probe can tell. */
#include "apic.h"
#include "attack.h"
#include "guest.h"
#include "smp.h"
#include "x86.h"

const char guest_name[] = "attack_init";

static void count_forever(int cpu)
{
    for (;;)
        __atomic_add_fetch(&smp_cpus[cpu].heartbeat, 1, __ATOMIC_RELAXED);
}

/* The counter of `cpu` after a pause long enough for thousands of loop turns. */
static uint64_t heartbeat_after_pause(int cpu)
{
    udelay(50000);
    return __atomic_load_n(&smp_cpus[cpu].heartbeat, __ATOMIC_RELAXED);
}

int guest_main(void)
{
    bool hosted = environment_is_hosted();
    if (smp_start_aps(count_forever) < 2)
        return check(false, "an AP to send INIT to checked in"), GUEST_FAIL;
    uint64_t h0 = heartbeat_after_pause(1), h1 = heartbeat_after_pause(1);
    if (!check(h1 > h0, "cpu 1 is running (heartbeat %lu -> %lu)", h0, h1))
        return GUEST_FAIL;

    lapic_send_ipi(smp_cpus[1].apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
    uint64_t h2 = heartbeat_after_pause(1), h3 = heartbeat_after_pause(1);
    bool running = h3 > h2;
    printf("init: cpu 1 after INIT: heartbeat %lu -> %lu (%s)\n", h2, h3,
           running ? "still running" : "stopped");
    bool ok = hosted ? check(running, "INIT to a running vCPU was dropped")
                     : check(!running, "bare: INIT stopped the AP");
    return ok && monitor_still_answers() ? GUEST_PASS : GUEST_FAIL;
}
