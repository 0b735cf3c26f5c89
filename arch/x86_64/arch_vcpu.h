/* The x86/SVM half of a vCPU. */
#ifndef HUSK_X86_ARCH_VCPU_H
#define HUSK_X86_ARCH_VCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gprs_offsets.h"
#include "insn_cache.h"
#include "vmcb.h"

struct vcpu;

/* General-purpose registers in x86 encoding order, so the decoder's
 * register numbers index it. RAX and RSP are kept in the VMCB while the
 * guest runs; gpr_get/gpr_set hide that. */
struct guest_gprs {
    uint64_t r[16];
};
_Static_assert(offsetof(struct guest_gprs, r[1]) == G_RCX, "gprs layout");
_Static_assert(offsetof(struct guest_gprs, r[7]) == G_RDI, "gprs layout");
_Static_assert(offsetof(struct guest_gprs, r[15]) == G_R15, "gprs layout");

/* Exit statistics slots: exit codes below 0x90 map to themselves, NPF
 * and the rest of the 0x400 group follow (see exit_slot()). */
#define EXIT_SLOTS 0x98

struct arch_vcpu {
    struct vmcb *vmcb;
    uint64_t vmcb_pa;
    uint64_t host_save_pa;          /* VMSAVE area for the host's hidden state */
    struct guest_gprs gprs;
    bool efer_svme_shadow;          /* EFER.SVME as the guest believes it */
    bool first_run;                 /* flush this ASID's TLB on the first VMRUN */
    bool flush_tlb;                 /* ... and on the next (nested tables changed) */
    /* interrupts the host took for this guest, not yet injected */
    uint64_t pending_irq[4];        /* bitmap of vectors 0..255 */
    /* NMIs the guest sent to this vCPU through its ICR, not yet injected
     * (guest_nmi.c); other CPUs add, this one takes */
    volatile uint32_t guest_nmis;
    /* The guest is in the handler of an NMI the monitor injected: further
     * NMIs wait for its IRET, as hardware blocks them (APM vol. 2, 8.2.3);
     * unblocked at the first exit after that IRET ran. */
    bool nmi_blocked;
    bool nmi_unblock_next_exit;
    /* With a guest NMI waiting at the handler's IRET, the IRET runs with
     * TF so that its #DB trap is the exit that unblocks NMIs (events.c) */
    uint64_t nmi_iret_rip;
    bool nmi_iret_step, nmi_iret_guest_tf, nmi_iret_trapped;
    uint32_t exit_counts[EXIT_SLOTS];
    /* TSC cycles from #VMEXIT to the next VMRUN (the monitor's share),
     * and from VMRUN to #VMEXIT (the guest's, world switch included) */
    uint64_t exited, handling_tsc, guest_tsc;
    struct insn_cache insn_cache;   /* guest_decode()'s, exact (insn_cache.h) */
};

uint64_t gpr_get(struct vcpu *v, unsigned reg);
void gpr_set(struct vcpu *v, unsigned reg, uint64_t value);


#endif
