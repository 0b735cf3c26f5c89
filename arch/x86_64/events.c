/* Interrupts pass through to the guest. V_INTR_MASKING is clear, so the
 * guest's RFLAGS.IF (and interrupt shadow) gates physical interrupts
 * (APM vol. 2, 15.21.1). While the guest runs freely the INTR intercept is
 * off: the CPU delivers each interrupt through the guest's own IDT, and a
 * timer tick costs the guest no exit at all (only its EOI store, a nested
 * page fault on the read-only LAPIC page, still exits).
 *
 * While the debugger steps a vCPU, or the monitor steps a guest NMI
 * handler's IRET, TF is the monitor's: an interrupt delivered then would
 * push it into the guest's frame, and a debugger step must land on the
 * next instruction of the same code. So then INTR is intercepted: the
 * exit comes when the guest could take the interrupt, the host takes it in
 * a short sti window (panic.c records the vector without an EOI: the
 * guest's handler sends the EOI through its own LAPIC write), and it is
 * injected once the guest can take it: RFLAGS.IF set and no interrupt
 * shadow. Otherwise a virtual interrupt request with the VINTR intercept
 * makes the CPU exit exactly when the guest opens its window. */
#include "exits.h"

#include "arch_debug.h"
#include "cpu.h"
#include "debug/debugger.h"
#include "exit_path.h"
#include "guest_dr.h"
#include "guest_nmi.h"
#include "idt.h"

static int highest_pending(const struct arch_vcpu *a)
{
    for (int w = 3; w >= 0; w--)
        if (a->pending_irq[w])
            return w * 64 + 63 - __builtin_clzll(a->pending_irq[w]);
    return -1;
}

static void request_window(struct vmcb_control *c)
{
    c->int_ctl |= INTCTL_V_IRQ | INTCTL_V_INTR_PRIO(0xf) | INTCTL_V_IGN_TPR;
    c->intercept_misc1 |= ICPT1_VINTR;
}

static void close_window(struct vmcb_control *c)
{
    c->int_ctl &= ~(INTCTL_V_IRQ | INTCTL_V_INTR_PRIO(0xf) | INTCTL_V_IGN_TPR);
    c->intercept_misc1 &= ~ICPT1_VINTR;
}

/* The exceptions an IRET can raise: #NP, #SS and #GP for a bad frame, #PF
 * popping it. While the monitor steps a guest NMI handler's IRET, they come
 * to the monitor first: a faulting IRET would otherwise push its exception
 * frame with the monitor's TF in it (events_iret_faulted). */
#define IRET_FAULTS ((1u << 11) | (1u << 12) | (1u << 13) | (1u << 14))

uint32_t events_exception_intercepts(struct vcpu *v)
{
    return v->arch->nmi_iret_step ? IRET_FAULTS : 0;
}

static void set_iret_step(struct vcpu *v, bool on)
{
    v->arch->nmi_iret_step = on;
    arch_dbg_reapply_catch(v);      /* adds or drops IRET_FAULTS */
}

/* Through the monitor only while it owns the guest's TF (see the top). */
static void route_interrupts(struct vcpu *v)
{
    struct vmcb_control *c = &vmcb_of(v)->control;
    if (debug_stepping(v) || v->arch->nmi_iret_step)
        c->intercept_misc1 |= ICPT1_INTR;
    else
        c->intercept_misc1 &= ~ICPT1_INTR;
}

EXIT_PATH void events_before_entry(struct vcpu *v)
{
    struct arch_vcpu *a = v->arch;
    struct vmcb_control *c = &a->vmcb->control;
    const struct vmcb_save *s = &a->vmcb->save;

    if (!(c->event_inj & EVENT_VALID) && guest_nmi_pending(a) && !a->nmi_blocked && !debug_events_held(v)) {
        c->event_inj = EVENT_VALID | EVENT_TYPE_NMI | 2;
        guest_nmi_take(a);
        /* no virtual NMI masking under TCG: watch for the handler's IRET */
        a->nmi_blocked = true;
        c->intercept_misc1 |= ICPT1_IRET;
    }
    if (a->nmi_unblock_next_exit && guest_nmi_pending(a) && !a->nmi_iret_step && !debug_events_held(v)) {
        /* A guest NMI waits for the handler's IRET (RIP is at it). An
         * interrupt window would not do: it opens only when the guest's IF
         * is set, and the handler may return to code running with IF
         * clear. A single step does: TF set when the IRET starts traps
         * right after it (APM vol. 2, 13.1.1.3; Intel SDM vol. 3,
         * 17.3.1.4), and the IRET itself loads the guest's RFLAGS. KVM
         * does the same without virtual NMIs. */
        set_iret_step(v, true);
        a->nmi_iret_guest_tf = s->rflags & RFLAGS_TF;
        vmcb_of(v)->save.rflags |= RFLAGS_TF;
    }
    route_interrupts(v);
    if (debug_events_held(v)) {
        /* a debugger single step: the step lands on the next instruction
         * of the same code, not in a handler; the events wait */
        close_window(c);
        return;
    }
    int vec = highest_pending(a);
    if (vec < 0) {
        /* an NMI waiting for the guest's IRET wants the exit right after it */
        if (guest_nmi_pending(a) && a->nmi_unblock_next_exit)
            request_window(c);
        else
            close_window(c);
        return;
    }
    bool can_take = (s->rflags & RFLAGS_IF) && !(c->int_state & INTSTATE_SHADOW);
    if (!(c->event_inj & EVENT_VALID) && can_take) {
        c->event_inj = EVENT_VALID | EVENT_TYPE_INTR | (uint64_t)vec;
        a->pending_irq[vec / 64] &= ~(1ull << (vec % 64));
        vec = highest_pending(a);
    }
    if (vec >= 0)
        request_window(c);
}

EXIT_PATH void events_after_exit(struct vcpu *v)
{
    struct vmcb_control *c = &vmcb_of(v)->control;
    struct arch_vcpu *a = v->arch;
    /* NMIs unblock once the handler's IRET has run: RIP has left it (an
     * exit can also come before it ran, e.g. a kick held at VMRUN), or,
     * when the monitor steps it, the step's trap came: an IRET can return
     * to an IRET at the same address (a handler of the IRET's own fault
     * returning to retry it, through a shared interrupt stub) */
    bool step_trap = a->nmi_iret_step && c->exit_code == SVM_EXIT_EXCP_DB && (vmcb_of(v)->save.dr6 & DR6_BS);
    if (a->nmi_unblock_next_exit && (vmcb_of(v)->save.rip != a->nmi_iret_rip || step_trap)) {
        a->nmi_unblock_next_exit = false;
        a->nmi_blocked = false;
        a->nmi_iret_trapped = step_trap && !a->nmi_iret_guest_tf;
        if (a->nmi_iret_step)
            set_iret_step(v, false);
    }
    c->event_inj = 0;
    /* An exit during event delivery reports the event in EXITINTINFO; it
     * must be delivered again (15.20). Only bit 31 says it is valid: QEMU
     * leaves stale data in the rest. Software interrupts are not replayed:
     * RIP still points at the INTn, which simply executes again. */
    uint64_t info = c->exit_int_info;
    if ((info & EVENT_VALID) && (info & EVENT_TYPE_MASK) != EVENT_TYPE_SOFT_INT)
        c->event_inj = info;
}

void exit_intr(struct vcpu *v)
{
    struct percpu *p = this_cpu();
    (void)v;
    p->in_irq_window = true;
    idt_load_window(true);
    __asm__ volatile("sti; nop; cli" ::: "memory");
    idt_load_window(false);
    p->in_irq_window = false;
}

EXIT_PATH void exit_nmi(struct vcpu *v)
{
    /* nothing to do here: the NMI was the monitor's (a kick or the
     * debugger's tick), taken and absorbed by the host when svm_enter set
     * GIF again; a guest's NMI IPI is counted in guest_nmis instead
     * (guest_nmi.c) and injected before the next entry */
    (void)v;
}

void exit_vintr(struct vcpu *v)
{
    close_window(&vmcb_of(v)->control);
}

void exit_iret(struct vcpu *v)
{
    /* RIP is at the IRET of the guest's NMI handler, which has not run
     * yet: NMIs stay blocked until the next exit. With one waiting, an
     * interrupt-window request makes that exit come right after the IRET. */
    struct vmcb_control *c = &vmcb_of(v)->control;
    struct vmcb_save *s = &vmcb_of(v)->save;
    struct arch_vcpu *a = v->arch;
    c->intercept_misc1 &= ~ICPT1_IRET;
    a->nmi_unblock_next_exit = true;
    a->nmi_iret_rip = s->rip;
}

void events_iret_faulted(struct vcpu *v)
{
    /* RIP still at the stepped IRET: it raised this exception instead of
     * completing. NMIs stay blocked until an IRET completes (as on
     * hardware), and the exception's frame must carry the RFLAGS the guest
     * ran the IRET with. */
    struct arch_vcpu *a = v->arch;
    struct vmcb *vmcb = a->vmcb;
    if (!a->nmi_iret_step || vmcb->save.rip != a->nmi_iret_rip)
        return;
    vmcb->save.rflags = (vmcb->save.rflags & ~RFLAGS_TF) | (a->nmi_iret_guest_tf ? RFLAGS_TF : 0);
    a->nmi_unblock_next_exit = false;
    vmcb->control.intercept_misc1 |= ICPT1_IRET;
    set_iret_step(v, false);
}

bool events_iret_step_trap(struct vcpu *v)
{
    /* the #DB of that step is the monitor's: nothing to deliver */
    bool mine = v->arch->nmi_iret_trapped;
    v->arch->nmi_iret_trapped = false;
    return mine;
}
