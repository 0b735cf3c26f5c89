/* attack_nmi_ipi: NMIs are how the monitor brings every CPU into itself
 * (all-stop), so a guest's own NMI IPIs must not be mistaken for them nor
 * lost: each NMI the BSP sends to CPU 1 must reach the guest's NMI handler
 * there exactly once (SDM vol. 3, 11.6.1: delivery mode NMI), CPU 1 must
 * keep running its loop, and the monitor must survive. Bare and hosted
 * alike. */
#include "apic.h"
#include "attack.h"
#include "guest.h"
#include "idt.h"
#include "smp.h"
#include "x86.h"

const char guest_name[] = "attack_nmi_ipi";

#define NMIS 20
#define WAIT_TSC (1ull << 32)

static volatile uint64_t nmis_on_cpu1, nmis_elsewhere;

static void on_nmi(struct interrupt_frame *f)
{
    (void)f;
    if (lapic_id() == smp_cpus[1].apic_id)
        nmis_on_cpu1++;
    else
        nmis_elsewhere++;
}

static void count_forever(int cpu)
{
    for (;;)
        __atomic_add_fetch(&smp_cpus[cpu].heartbeat, 1, __ATOMIC_RELAXED);
}

static bool wait_for(volatile uint64_t *counter, uint64_t value)
{
    uint64_t give_up = rdtsc() + WAIT_TSC;
    while (*counter < value && rdtsc() < give_up)
        cpu_relax();
    return *counter >= value;
}

int guest_main(void)
{
    environment_is_hosted();
    irq_set_handler(VEC_NMI, on_nmi);
    if (smp_start_aps(count_forever) < 2)
        return check(false, "an AP to send NMIs to checked in"), GUEST_FAIL;
    /* Hosted, the monitor wakes the AP for its SIPI with an NMI of its
     * own; that one must not reach the guest, and ours must all arrive,
     * from the first one sent right after the AP checked in. */
    int sent;
    for (sent = 0; sent < NMIS; sent++) {
        lapic_send_ipi(smp_cpus[1].apic_id, ICR_NMI);
        if (!wait_for(&nmis_on_cpu1, (uint64_t)sent + 1))
            break;
    }
    uint64_t beat = smp_cpus[1].heartbeat;
    bool ok = check(sent == NMIS && nmis_on_cpu1 == NMIS, "NMIs: sent %d, taken on cpu 1 %lu",
                    sent, (uint64_t)nmis_on_cpu1);
    ok &= check(nmis_elsewhere == 0, "no NMI arrived anywhere else (%lu)", (uint64_t)nmis_elsewhere);
    ok &= check(wait_for(&smp_cpus[1].heartbeat, beat + 1), "cpu 1 keeps running after its NMIs");
    return ok && monitor_still_answers() ? GUEST_PASS : GUEST_FAIL;
}
