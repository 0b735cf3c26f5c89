/* Guest MOV DR: every read and write of DR0-DR15 is intercepted (exits
 * 0x20-0x3F) and emulated on the vCPU's shadow. The guest never writes the
 * real registers: the monitor composes them (host_dr.c), and a guest that
 * armed a watchpoint itself under a host rewriting DR7 crashed QEMU (notes,
 * svm-under-qemu-tcg.md rule 3). Without decode assists (TCG has none;
 * APM vol. 2, 15.33) EXITINFO1 says nothing: the instruction is fetched and
 * decoded here. */
#include "cpu.h"
#include "debug/debugger.h"
#include "exit_path.h"
#include "exits.h"
#include "guest_insn.h"
#include "log.h"
#include "vcpu_dr.h"

#define VEC_DB 1
#define VEC_UD 6
#define VEC_GP 13
#define CR4_DE (1ull << 3)
#define RFLAGS_VM (1ull << 17)
#define EXIT_DR_WRITE_BASE 0x30      /* 0x20-0x2F read DRn, 0x30-0x3F write DRn */

static struct dr_shadow shadows[MAX_CPUS];

struct dr_shadow *vcpu_dr_shadow(struct vcpu *v) { return &shadows[v->index]; }

void vcpu_dr_reset(struct vcpu *v)
{
    dr_shadow_reset(&shadows[v->index]);
    vcpu_dr_changed(v);
}

/* Injects #DB for the guest with `cause` recorded in its DR6, as delivery
 * on hardware would (also clears its DR7.GD). */
static void inject_guest_db(struct vcpu *v, uint64_t cause)
{
    dr_shadow_deliver_db(&shadows[v->index], cause);
    vcpu_dr_changed(v);
    svm_inject_exception(v, VEC_DB);
}

EXIT_PATH void vcpu_dr_after_emulation(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    vmcb->save.rflags &= ~RFLAGS_RF;
    if (!(vmcb->save.rflags & RFLAGS_TF))
        return;
    /* the debugger's step is complete: it sees RIP moved on, and the
     * guest must see no trap of a TF it never set */
    if (debug_stepping(v))
        return;
    /* the trap follows the instruction: RIP is already past it; an event
     * the handler already queued (a fault of its own) comes first */
    if (!(vmcb->control.event_inj & EVENT_VALID))
        inject_guest_db(v, DR6_BS);
}

static bool decode_mov_dr(struct vcpu *v, uint64_t code, struct insn *in)
{
    const char *why = 0;
    if (guest_decode(v, in, &why) != 0) {
        exit_stop(v, why);
        return false;
    }
    bool write = code >= EXIT_DR_WRITE_BASE;
    enum insn_kind want = write ? INSN_MOV_TO_DR : INSN_MOV_FROM_DR;
    /* another CPU may have rewritten the bytes since they executed */
    if (in->kind != want || in->dr != (code & 0xf)) {
        exit_stop(v, "MOV DR exit, but the instruction at RIP is not that MOV DR");
        return false;
    }
    return true;
}

void exit_dr_access(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint64_t code = vmcb->control.exit_code;
    struct insn in;
    if (!decode_mov_dr(v, code, &in))
        return;
    struct dr_access a = {
        .write = code >= EXIT_DR_WRITE_BASE,
        .dr = in.dr,
        .cpl = vmcb->save.cpl,
        .cr4_de = (vmcb->save.cr4 & CR4_DE) != 0,
        .vm86 = (vmcb->save.rflags & RFLAGS_VM) != 0,
    };
    if (a.write)
        a.value = insn_reg_read(v, &in);
    struct dr_result r = dr_emulate(&shadows[v->index], &a);
    switch (r.action) {
    case DR_DONE:
        if (a.write)
            vcpu_dr_changed(v);
        else
            insn_reg_write(v, &in, r.value);
        guest_skip(v, in.length);      /* and the TF trap: vcpu_dr_after_emulation */
        return;
    case DR_INJECT_GP:
        svm_inject_exception_error(v, VEC_GP, 0);
        return;
    case DR_INJECT_UD:
        svm_inject_exception(v, VEC_UD);
        return;
    case DR_INJECT_DB:
        /* general detect: a fault, RIP stays at the MOV; dr_emulate set BD
         * and cleared GD in the shadow already */
        vcpu_dr_changed(v);
        svm_inject_exception(v, VEC_DB);
        return;
    }
}
