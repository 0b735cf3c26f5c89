/* attack_sipi: a STARTUP IPI to a CPU that is running guest code, aimed at
 * a page of hlt instructions. A CPU that is not waiting for SIPI ignores it
 * (SDM vol. 3, 9.4.4.1), bare and hosted alike: the monitor must not
 * restart a running vCPU in real mode. CPU 1 keeps counting. */
#include "apic.h"
#include "attack.h"
#include "guest.h"
#include "smp.h"
#include "x86.h"

const char guest_name[] = "attack_sipi";

#define MOVE_TIMEOUT_TSC (1ull << 31)

static void count_forever(int cpu)
{
    for (;;)
        __atomic_add_fetch(&smp_cpus[cpu].heartbeat, 1, __ATOMIC_RELAXED);
}

static bool heartbeat_moves(int cpu)
{
    uint64_t h = smp_cpus[cpu].heartbeat, give_up = rdtsc() + MOVE_TIMEOUT_TSC;
    while (rdtsc() < give_up)
        if (smp_cpus[cpu].heartbeat != h)
            return true;
    return false;
}

int guest_main(void)
{
    environment_is_hosted();
    if (smp_start_aps(count_forever) < 2)
        return check(false, "an AP to send SIPI to checked in"), GUEST_FAIL;
    /* The trampoline page, now overwritten with hlt: a CPU that obeyed the
     * SIPI would stop there. */
    uintptr_t page = smp_trampoline_page();
    memset(phys_ptr(page), 0xF4, 4096);
    for (int i = 0; i < 2; i++) {
        lapic_send_ipi(smp_cpus[1].apic_id, ICR_STARTUP | (uint32_t)(page >> 12));
        udelay(200);
    }
    for (uint64_t until = rdtsc() + (1ull << 28); rdtsc() < until;)
        cpu_relax();
    bool running = heartbeat_moves(1);
    printf("sipi: cpu 1 after SIPI: %s\n", running ? "still running" : "stopped");
    bool ok = check(running, "SIPI to a running CPU was ignored");
    return ok && monitor_still_answers() ? GUEST_PASS : GUEST_FAIL;
}
