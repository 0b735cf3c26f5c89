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

/* Whether the counter of `cpu` moves within about a second. Time is
 * measured in TSC cycles, not loop turns: under TCG a loop's speed depends
 * on the host's load, and the AP's thread may be scheduled late. */
#define MOVE_TIMEOUT_TSC (1ull << 31)

static bool heartbeat_moves(int cpu)
{
    uint64_t h = __atomic_load_n(&smp_cpus[cpu].heartbeat, __ATOMIC_RELAXED);
    uint64_t give_up = rdtsc() + MOVE_TIMEOUT_TSC;
    while (rdtsc() < give_up)
        if (__atomic_load_n(&smp_cpus[cpu].heartbeat, __ATOMIC_RELAXED) != h)
            return true;
    return false;
}

int guest_main(void)
{
    bool hosted = environment_is_hosted();
    if (smp_start_aps(count_forever) < 2)
        return check(false, "an AP to send INIT to checked in"), GUEST_FAIL;
    if (!check(heartbeat_moves(1), "cpu 1 is running"))
        return GUEST_FAIL;

    lapic_send_ipi(smp_cpus[1].apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
    /* Let the INIT land (the AP's thread may run late under TCG) before
     * watching: about 100 ms, more than a kernel waits (SDM vol. 3, 9.4.4.1). */
    for (uint64_t until = rdtsc() + (1ull << 28); rdtsc() < until;)
        cpu_relax();
    bool running = heartbeat_moves(1);
    printf("init: cpu 1 after INIT: heartbeat %lu (%s)\n", smp_cpus[1].heartbeat,
           running ? "still running" : "stopped");
    bool ok = hosted ? check(running, "INIT to a running vCPU was dropped")
                     : check(!running, "bare: INIT stopped the AP");
    return ok && monitor_still_answers() ? GUEST_PASS : GUEST_FAIL;
}
