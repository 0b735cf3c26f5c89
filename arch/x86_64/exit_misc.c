/* The short exits: CPUID, the SVM instructions, triple fault, the #DB and
 * #AC intercepts, INIT. */
#include "cpu.h"
#include "debug/debugger.h"
#include "dr_classify.h"
#include "exits.h"
#include "guest_insn.h"
#include "log.h"

#define CPUID_HYPERVISOR_BIT (1u << 31)   /* leaf 1 ECX: "running under a hypervisor" */
#define CPUID_HV_BASE        0x40000000u

void exit_cpuid(struct vcpu *v)
{
    static const uint8_t op[] = { 0x0f, 0xa2 };
    unsigned len = guest_insn_length(v, op, sizeof op);
    if (!len) {
        exit_stop(v, "CPUID exit but no cpuid at RIP");
        return;
    }
    uint32_t leaf = (uint32_t)vmcb_of(v)->save.rax;
    uint32_t sub = (uint32_t)gpr_get(v, 1);
    struct cpuid_regs r;
    if (leaf == CPUID_HV_BASE) {
        /* max hypervisor leaf, then the vendor signature "HuskHuskHusk" */
        r = (struct cpuid_regs){ CPUID_HV_BASE, 0x6b737548, 0x6b737548, 0x6b737548 };
    } else if (leaf > CPUID_HV_BASE && leaf <= CPUID_HV_BASE + 0xff) {
        r = (struct cpuid_regs){ 0, 0, 0, 0 };
    } else {
        r = cpuid(leaf, sub);
        if (leaf == 1)
            r.ecx |= CPUID_HYPERVISOR_BIT;
    }
    gpr_set(v, 0, r.eax);
    gpr_set(v, 3, r.ebx);
    gpr_set(v, 1, r.ecx);
    gpr_set(v, 2, r.edx);
    guest_skip(v, len);
}

void exit_svm_insn(struct vcpu *v)
{
    /* The guest sees a CPU whose SVM it may not use: #UD, as hardware
     * raises for these when EFER.SVME is clear (APM vol. 3, VMRUN etc.). */
    log_ring("cpu %u: %s -> #UD", v->index, exit_name(vmcb_of(v)->control.exit_code));
    svm_inject_exception(v, 6);
}

void exit_shutdown(struct vcpu *v)
{
    /* Triple fault. The guest state is not resumable; the vCPU stops and the
     * first fault is in EXITINTINFO. The machine stays up for the others. */
    exit_note_first_fault(v);
    if (debug_triple_fault(v))
        return;     /* a debugger is attached: the vCPU stops for it */
    exit_stop(v, "triple fault (SHUTDOWN)");
}

void exit_excp_db(struct vcpu *v)
{
    /* DR6 in the VMCB holds this #DB's cause (cleared before each VMRUN).
     * The classifier reflects the guest's own causes into its shadow DR6
     * and queues its #DB; the debugger's hits stop the vCPU. */
    struct hwbp_hit hit;
    struct stop_event ev = { .reason = STOP_STEP, .signal = 5 };
    if (events_iret_step_trap(v))
        return;
    if (exit_db_is_step(v)) {
        debug_report(v, &ev);   /* the debugger's own single step */
        return;
    }
    switch (dr_classify_db(v, vmcb_of(v)->save.dr6, &hit)) {
    case DB_CAUSE_GUEST:
    case DB_CAUSE_RESUME:
        return;
    case DB_CAUSE_HW_BREAK:
    case DB_CAUSE_WATCH:
        hwbp_hit_to_stop(&hit, &ev);
        /* Another CPU's stop holds the machine: an execute breakpoint
         * simply fires again on resume, once the classifier's RF is gone. */
        if (!debug_report(v, &ev) && hit.type == POINT_HW_BREAK)
            vmcb_of(v)->save.rflags &= ~RFLAGS_RF;
        return;
    case DB_CAUSE_NONE:
        /* no cause bit (ICEBP and the like): the guest's */
        svm_inject_exception(v, 1);
        return;
    }
}

void exit_excp_ac(struct vcpu *v)
{
    struct vmcb_control *c = &vmcb_of(v)->control;
    /* #AC while delivering #AC loops forever on hardware (CVE-2015-5307):
     * stop that vCPU instead */
    if ((c->exit_int_info & EVENT_VALID) && (c->exit_int_info & 0xff) == 17) {
        exit_stop(v, "#AC raised while delivering #AC");
        return;
    }
    svm_inject_exception_error(v, 17, (uint32_t)c->exit_info1);
}

void exit_init(struct vcpu *v)
{
    /* A physical INIT: the monitor sends none after boot and emulates the
     * guest's, so this is unexpected; dropping it keeps the CPU alive. */
    log_console("cpu %u: physical INIT dropped", v->index);
}
