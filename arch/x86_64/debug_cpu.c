/* The x86/SVM side of stopping, parking and stepping a vCPU for the
 * debugger. */
#include "arch.h"
#include "arch_debug.h"
#include "cpu.h"
#include "debug_x86.h"
#include "debug/debugger.h"
#include "exits.h"
#include "guest_insn.h"
#include "guest_mem.h"
#include "lib/printf.h"
#include "npt.h"

struct x86_dbg x86_dbg[MAX_CPUS];

#define CR4_OSFXSR (1ull << 9)

struct paging_regs arch_dbg_paging(struct vcpu *v, unsigned *cpl)
{
    *cpl = vmcb_of(v)->save.cpl;
    return guest_paging(v);
}

uint64_t arch_dbg_pc_linear(struct vcpu *v)
{
    return guest_rip_linear(v);
}

uint64_t arch_dbg_cycles(void)
{
    return rdtsc();
}

void arch_dbg_kick(struct vcpu *v)
{
    /* an NMI: the NMI intercept makes a guest-mode CPU exit even with
     * RFLAGS.IF clear; host_interrupt() knows it is not the guest's */
    arch_vcpu_kick(v);
}

/* ---- parking ---------------------------------------------------------- */

static void set_host_osfxsr(void)
{
    uint64_t cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    if (!(cr4 & CR4_OSFXSR))
        __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSFXSR));
}

void arch_dbg_park_enter(struct vcpu *v)
{
    struct x86_dbg *x = &x86_dbg[v->index];
    x->park_tsc = rdtsc();
    /* The guest's x87/SSE state is still live in this CPU: the monitor
     * is built without SSE and never touched it. Keep a copy the
     * debugger can read and write. */
    set_host_osfxsr();
    __asm__ volatile("fxsave64 %0" : "=m"(x->fxsave));
}

void arch_dbg_clock_back(struct vcpu *v, uint64_t cycles)
{
    /* the guest does not see the time the machine was held (TSC offset,
     * APM vol. 2, 15.30.5) */
    vmcb_of(v)->control.tsc_offset -= cycles;
}

void arch_dbg_park_leave(struct vcpu *v)
{
    struct x86_dbg *x = &x86_dbg[v->index];
    __asm__ volatile("fxrstor64 %0" : : "m"(x->fxsave));
    arch_dbg_apply_catch(v, debug_catch_mask());
}

void arch_dbg_apply_catch(struct vcpu *v, uint32_t vectors)
{
    struct x86_dbg *x = &x86_dbg[v->index];
    struct vmcb_control *c = &vmcb_of(v)->control;
    if (!x->base_known) {
        x->base_exceptions = c->intercept_exceptions;
        x->base_known = true;
    }
    x->catch_vectors = vectors;
    c->intercept_exceptions = x->base_exceptions | EXCP_ALWAYS | vectors | events_exception_intercepts(v);
}

void arch_dbg_reapply_catch(struct vcpu *v)
{
    arch_dbg_apply_catch(v, x86_dbg[v->index].catch_vectors);
}

/* ---- single step ------------------------------------------------------ */

unsigned insn_opcode_offset(const uint8_t *insn, unsigned len, bool long_mode)
{
    unsigned i = 0;
    while (i < len) {
        uint8_t b = insn[i];
        bool legacy = b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 || b == 0x66 ||
                      b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3;
        if (!legacy && !(long_mode && (b & 0xf0) == 0x40))
            break;
        i++;
    }
    return i;
}

static bool stepped_is(const struct x86_dbg *x, bool long_mode, uint8_t op0, int op1)
{
    unsigned i = insn_opcode_offset(x->insn, x->insn_len, long_mode);
    if (i >= x->insn_len || x->insn[i] != op0)
        return false;
    return op1 < 0 || (i + 1 < x->insn_len && x->insn[i + 1] == (uint8_t)op1);
}

/* Instructions a step performs in the monitor instead of the guest, each
 * exactly as the CPU would (APM vol. 3), because running them under TF
 * does not give one clean step:
 *  - STI: the interrupt shadow it opens also swallows TF's trap under
 *    QEMU TCG, so the next instruction would run too;
 *  - HLT: with interrupts held back for the step nothing would end the
 *    halt; the step ends where an interrupt would have resumed it. */
static bool step_in_monitor(struct vcpu *v, const struct x86_dbg *x, bool long_mode)
{
    struct vmcb *vmcb = vmcb_of(v);
    unsigned i = insn_opcode_offset(x->insn, x->insn_len, long_mode);
    if (i >= x->insn_len || !debug_events_held(v) || (vmcb->control.event_inj & EVENT_VALID))
        return false;
    if (vmcb->save.cpl > ((vmcb->save.rflags >> 12) & 3) && x->insn[i] == 0xfb)
        return false;   /* STI above IOPL faults: let the CPU raise the #GP */
    if (vmcb->save.cpl != 0 && x->insn[i] == 0xf4)
        return false;   /* HLT outside ring 0 is a #GP */
    switch (x->insn[i]) {
    case 0xfb:          /* sti: IF = 1, shadow over the next instruction */
        guest_skip(v, i + 1);
        if (!(vmcb->save.rflags & RFLAGS_IF))
            vmcb->control.int_state |= INTSTATE_SHADOW;
        vmcb->save.rflags |= RFLAGS_IF;
        return true;
    case 0xf4:          /* hlt */
        guest_skip(v, i + 1);
        return true;
    default:
        return false;
    }
}

bool arch_dbg_step_arm(struct vcpu *v)
{
    struct x86_dbg *x = &x86_dbg[v->index];
    struct vmcb *vmcb = vmcb_of(v);
    bool long_mode = guest_decode_mode(v) == DECODE_64;
    x->insn_len = (unsigned)guest_fetch(v, x->insn);
    x->start_rip = vmcb->save.rip;
    x->guest_tf = vmcb->save.rflags & RFLAGS_TF;
    x->via_syscall = false;
    x->tf_armed = false;
    if (step_in_monitor(v, x, long_mode))
        return true;
    /* Every exception the step raises comes to the monitor first, so no
     * exception frame is pushed with the monitor's TF in it. */
    arch_dbg_apply_catch(v, 0xffffffffu & ~(1u << 2));
    if (vmcb->control.event_inj & EVENT_VALID) {
        /* An event is delivered on entry (the exception the last step
         * stopped on, say): with TF set its frame would carry TF. Deliver
         * it without; the step ends at the next exit, which the fetch trap
         * makes the fetch of the handler's first instruction, as a step
         * into the handler on bare hardware would. */
        if (npt_fetch_trap_available()) {
            npt_fetch_trap_hold(v->index);
            x->fetch_trap = true;
            v->arch->flush_tlb = true;
        }
        return false;
    }
    /* SYSCALL takes its single-step decision from RFLAGS after SFMASK
     * (pitfalls note 9): let TF through for this one instruction. */
    if (stepped_is(x, long_mode, 0x0f, 0x05) && (vmcb->save.sfmask & RFLAGS_TF)) {
        x->saved_sfmask = vmcb->save.sfmask;
        vmcb->save.sfmask &= ~RFLAGS_TF;
        x->via_syscall = true;
    }
    vmcb->save.rflags |= RFLAGS_TF;
    x->tf_armed = true;
    return false;
}

static void clear_pushed_tf(struct vcpu *v)
{
    /* PUSHF stored RFLAGS with the monitor's TF: take it out of the image */
    unsigned cpl;
    struct paging_regs r = arch_dbg_paging(v, &cpl);
    uint64_t rsp = vmcb_of(v)->save.rsp;
    uint64_t image = 0;
    size_t width = guest_decode_mode(v) == DECODE_64 ? 8 : 4;
    if (gmem_read_virt(&r, rsp, &image, width, WALK_READ) == WALK_OK) {
        image &= ~RFLAGS_TF;
        gmem_write_virt(&r, rsp, &image, width, WALK_READ);
    }
}

void arch_dbg_step_disarm(struct vcpu *v)
{
    struct x86_dbg *x = &x86_dbg[v->index];
    struct vmcb *vmcb = vmcb_of(v);
    bool long_mode = x->insn_len && guest_decode_mode(v) == DECODE_64;
    bool moved = vmcb->save.rip != x->start_rip;
    if (x->tf_armed && !x->guest_tf) {
        vmcb->save.rflags &= ~RFLAGS_TF;
        if (moved && stepped_is(x, long_mode, 0x9c, -1))
            clear_pushed_tf(v);
        if (x->via_syscall && moved)
            gpr_set(v, 11, gpr_get(v, 11) & ~RFLAGS_TF);   /* SYSCALL saved RFLAGS in R11 */
    }
    if (x->fetch_trap) {
        npt_fetch_trap_release(v->index);
        x->fetch_trap = false;
        v->arch->flush_tlb = true;
    }
    if (x->via_syscall)
        vmcb->save.sfmask = x->saved_sfmask;
    x->via_syscall = false;
    x->tf_armed = false;
    arch_dbg_apply_catch(v, debug_catch_mask());
}

bool arch_dbg_step_done_by_exit(struct vcpu *v)
{
    struct x86_dbg *x = &x86_dbg[v->index];
    struct vmcb *vmcb = vmcb_of(v);
    if (!x->tf_armed)
        return true;    /* an event went in without TF: this exit ends it */
    /* The monitor emulated the instruction (CPUID, MSR, I/O, LAPIC store):
     * it never completed in the guest, so no #DB comes (pitfalls note 6);
     * RIP moved past it, and that is the step. */
    return vmcb->save.rip != x->start_rip && !(vmcb->control.event_inj & EVENT_VALID);
}

/* ---- descriptions ----------------------------------------------------- */

size_t arch_dbg_describe(struct vcpu *v, char *buf, size_t cap)
{
    const struct vmcb_save *s = &vmcb_of(v)->save;
    const char *mode = !(s->cr0 & 1) ? "real mode"
                       : (s->efer & EFER_LMA) ? ((s->cs.attrib & (1u << 9)) ? "long mode" : "compatibility mode")
                       : (s->cr0 & (1ull << 31)) ? "protected mode, paging" : "protected mode";
    int n = snprintf(buf, cap, "ring %u, %s", s->cpl, mode);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap;
}

static void seg_line(dbg_print_fn out, void *ctx, const char *name, const struct vmcb_seg *sg)
{
    char line[96];
    snprintf(line, sizeof line, "%-4s sel 0x%04x attr 0x%04x limit 0x%08x base 0x%016lx", name, sg->selector,
             sg->attrib, sg->limit, sg->base);
    out(ctx, line);
}

void arch_dbg_print_state(struct vcpu *v, dbg_print_fn out, void *ctx)
{
    const struct vmcb *vmcb = vmcb_of(v);
    const struct vmcb_save *s = &vmcb->save;
    const struct vmcb_control *c = &vmcb->control;
    char line[160];
    snprintf(line, sizeof line, "cpu %u vmcb: rip 0x%016lx rsp 0x%016lx rflags 0x%lx cpl %u", v->index, s->rip,
             s->rsp, s->rflags, s->cpl);
    out(ctx, line);
    snprintf(line, sizeof line, "cr0 0x%lx cr2 0x%lx cr3 0x%lx cr4 0x%lx efer 0x%lx", s->cr0, s->cr2, s->cr3, s->cr4,
             s->efer);
    out(ctx, line);
    snprintf(line, sizeof line, "dr6 0x%lx dr7 0x%lx star 0x%lx lstar 0x%lx sfmask 0x%lx kgsbase 0x%lx", s->dr6,
             s->dr7, s->star, s->lstar, s->sfmask, s->kernel_gs_base);
    out(ctx, line);
    seg_line(out, ctx, "cs", &s->cs);
    seg_line(out, ctx, "ss", &s->ss);
    seg_line(out, ctx, "ds", &s->ds);
    seg_line(out, ctx, "es", &s->es);
    seg_line(out, ctx, "fs", &s->fs);
    seg_line(out, ctx, "gs", &s->gs);
    seg_line(out, ctx, "gdtr", &s->gdtr);
    seg_line(out, ctx, "idtr", &s->idtr);
    seg_line(out, ctx, "tr", &s->tr);
    seg_line(out, ctx, "ldtr", &s->ldtr);
    snprintf(line, sizeof line, "intercepts: cr r/w 0x%x/0x%x dr r/w 0x%x/0x%x excp 0x%08x misc 0x%08x 0x%08x",
             c->intercept_cr_read, c->intercept_cr_write, c->intercept_dr_read, c->intercept_dr_write,
             c->intercept_exceptions, c->intercept_misc1, c->intercept_misc2);
    out(ctx, line);
    snprintf(line, sizeof line, "asid %u tsc_offset 0x%lx int_ctl 0x%lx int_state 0x%lx event_inj 0x%lx",
             c->guest_asid, c->tsc_offset, c->int_ctl, c->int_state, c->event_inj);
    out(ctx, line);
    snprintf(line, sizeof line, "last exit 0x%lx %s info1 0x%lx info2 0x%lx exitintinfo 0x%lx", c->exit_code,
             exit_name(c->exit_code), c->exit_info1, c->exit_info2, c->exit_int_info);
    out(ctx, line);
}

void arch_dbg_print_exits(struct vcpu *v, dbg_print_fn out, void *ctx)
{
    char line[96];
    snprintf(line, sizeof line, "cpu %u: %lu exits", v->index, (unsigned long)v->exits);
    out(ctx, line);
    for (unsigned slot = 0; slot < EXIT_SLOTS; slot++) {
        uint32_t n = v->arch->exit_counts[slot];
        if (!n)
            continue;
        uint64_t code = slot < 0x90 ? slot : 0x400 + (slot - 0x90);
        snprintf(line, sizeof line, "  0x%03lx %-10s %u", code, exit_name(code), n);
        out(ctx, line);
    }
}
