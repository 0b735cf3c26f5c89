/* MSR exits: the MSRs that control SVM are the monitor's. The guest's
 * EFER.SVME lives in a shadow (the VMCB's must stay set, APM vol. 2,
 * 15.5.1); VM_HSAVE_PA and VM_CR writes raise #GP, reads give 0. */
#include "cpu.h"
#include "exits.h"
#include "guest_insn.h"
#include "log.h"

#define EFER_WRITABLE (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_SVME | EFER_LMSLE | EFER_FFXSR | EFER_TCE)

static uint64_t efer_read(struct vcpu *v)
{
    uint64_t efer = vmcb_of(v)->save.efer & ~EFER_SVME;
    return efer | (v->arch->efer_svme_shadow ? EFER_SVME : 0);
}

/* Returns false when the write must raise #GP. */
static bool efer_write(struct vcpu *v, uint64_t value)
{
    struct vmcb_save *s = &vmcb_of(v)->save;
    if (value & ~EFER_WRITABLE)
        return false;
    /* LME may not change while paging is on (APM vol. 2, 14.6.1) */
    if ((s->cr0 & (1ull << 31)) && ((value ^ s->efer) & EFER_LME))
        return false;
    v->arch->efer_svme_shadow = (value & EFER_SVME) != 0;
    s->efer = (value & ~(EFER_LMA | EFER_SVME)) | (s->efer & EFER_LMA) | EFER_SVME;
    return true;
}

void exit_msr(struct vcpu *v)
{
    static const uint8_t rdmsr_op[] = { 0x0f, 0x32 }, wrmsr_op[] = { 0x0f, 0x30 };
    bool write = vmcb_of(v)->control.exit_info1 & 1;
    unsigned len = write ? guest_insn_length(v, wrmsr_op, 2) : guest_insn_length(v, rdmsr_op, 2);
    if (!len) {
        exit_stop(v, "MSR exit but no rdmsr/wrmsr at RIP");
        return;
    }
    uint32_t msr = (uint32_t)gpr_get(v, 1);
    uint64_t value = (gpr_get(v, 0) & 0xffffffff) | (gpr_get(v, 2) << 32);
    bool ok = true;
    uint64_t result = 0;

    switch (msr) {
    case MSR_EFER:
        if (write)
            ok = efer_write(v, value);
        else
            result = efer_read(v);
        break;
    case MSR_VM_HSAVE_PA:
    case MSR_VM_CR:
        if (write) {
            log_ring("cpu %u: wrmsr 0x%x refused (#GP)", v->index, msr);
            ok = false;
        }
        break;
    default:
        exit_stop(v, "MSR exit for an MSR the monitor does not own");
        return;
    }
    if (!ok) {
        svm_inject_exception_error(v, 13, 0);
        return;
    }
    if (!write) {
        gpr_set(v, 0, result & 0xffffffff);
        gpr_set(v, 2, result >> 32);
    }
    guest_skip(v, len);
}
