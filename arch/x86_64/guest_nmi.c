/* The guest's NMIs. The monitor uses NMIs of its own: the kick that makes
 * a CPU leave the guest or its idle HLT (arch_vcpu_kick) and the
 * debugger's 64 Hz tick (debug_tick.c). NMIs carry no vector and coalesce
 * (Intel SDM vol. 3, 6.7.1; AMD APM vol. 2, 8.2.3), and QEMU's IOAPIC may
 * send a tick NMI for which the RTC flag is already gone, so no property
 * of a physical NMI says whose it is. Hence the rule: the guest never
 * receives a physical NMI. Every guest NMI IPI passes through the
 * emulated ICR (lapic_emul.c); it is not replayed on the real LAPIC but
 * counted here on its target, and the target is kicked so that it exits
 * and injects it (events.c). Every NMI the host takes is the monitor's
 * and is absorbed (panic.c).
 *
 * The count is at most 2: a CPU takes one NMI and holds one more while
 * the first is blocked; further ones are lost (SDM vol. 3, 6.7.1). */
#include "guest_nmi.h"

#include "arch.h"
#include "arch_vcpu.h"
#include "exit_path.h"
#include "log.h"

#define NMI_PENDING_MAX 2

static bool receives_nmis(const struct vcpu *to)
{
    /* a vCPU the guest has not started (or one stopped with a fault) has
     * no NMI handler yet: the IPI is dropped, as hardware holds none for
     * a CPU in wait-for-SIPI */
    return __atomic_load_n(&to->state, __ATOMIC_ACQUIRE) == VCPU_RUNNING;
}

void guest_nmi_send(struct vcpu *from, struct vcpu *to)
{
    if (!receives_nmis(to)) {
        log_ring("cpu %u: NMI to cpu %u dropped (%s)", from->index, to->index, vcpu_state_name(to->state));
        return;
    }
    uint32_t n = __atomic_load_n(&to->arch->guest_nmis, __ATOMIC_ACQUIRE);
    do {
        if (n >= NMI_PENDING_MAX)
            return;     /* coalesced, as on hardware */
    } while (!__atomic_compare_exchange_n(&to->arch->guest_nmis, &n, n + 1, false, __ATOMIC_ACQ_REL,
                                          __ATOMIC_ACQUIRE));
    /* The count is stored before the kick is sent: the target sees it at
     * the exit the kick causes, or before its next entry anyway. A vCPU
     * sending to itself is in the monitor already. */
    if (to != from)
        arch_vcpu_kick(to);
}

EXIT_PATH bool guest_nmi_pending(const struct arch_vcpu *a)
{
    return __atomic_load_n(&a->guest_nmis, __ATOMIC_ACQUIRE) != 0;
}

void guest_nmi_take(struct arch_vcpu *a)
{
    __atomic_fetch_sub(&a->guest_nmis, 1, __ATOMIC_ACQ_REL);
}

void guest_nmi_clear(struct arch_vcpu *a)
{
    __atomic_store_n(&a->guest_nmis, 0, __ATOMIC_RELEASE);
}
