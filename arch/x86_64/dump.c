/* The fixed-format register dump of a stopped vCPU: every VMCB control
 * and state-save field the monitor knows and every GPR, each line
 * "husk: cpu N <field> <value> ...". */
#include "exits.h"
#include "log.h"

static void seg(unsigned cpu, const char *name, const struct vmcb_seg *s)
{
    log_console("cpu %u %-4s sel 0x%04x attr 0x%04x limit 0x%08x base 0x%016lx", cpu, name, s->selector,
                s->attrib, s->limit, s->base);
}

void arch_vcpu_dump(struct vcpu *v)
{
    const struct vmcb_control *c = &vmcb_of(v)->control;
    const struct vmcb_save *s = &vmcb_of(v)->save;
    const uint64_t *r = v->arch->gprs.r;
    unsigned n = v->index;
    log_console("cpu %u exitcode 0x%lx (%s) exitinfo1 0x%016lx exitinfo2 0x%016lx", n, c->exit_code,
                exit_name(c->exit_code), c->exit_info1, c->exit_info2);
    log_console("cpu %u exitintinfo 0x%016lx eventinj 0x%016lx int_ctl 0x%016lx int_state 0x%lx", n,
                c->exit_int_info, c->event_inj, c->int_ctl, c->int_state);
    log_console("cpu %u intercepts cr_r 0x%04x cr_w 0x%04x dr_r 0x%04x dr_w 0x%04x exc 0x%08x misc1 0x%08x "
                "misc2 0x%08x misc3 0x%08x", n, c->intercept_cr_read, c->intercept_cr_write,
                c->intercept_dr_read, c->intercept_dr_write, c->intercept_exceptions, c->intercept_misc1,
                c->intercept_misc2, c->intercept_misc3);
    log_console("cpu %u iopm 0x%lx msrpm 0x%lx tsc_offset 0x%lx asid %u tlb_control %u np_enable 0x%lx n_cr3 0x%lx",
                n, c->iopm_base_pa, c->msrpm_base_pa, c->tsc_offset, c->guest_asid, c->tlb_control,
                c->np_enable, c->n_cr3);
    log_console("cpu %u next_rip 0x%lx insn_len %u clean 0x%x lbr 0x%lx avic_bar 0x%lx ghcb 0x%lx", n,
                c->next_rip, c->insn_len, c->clean_bits, c->lbr_virt_enable, c->avic_apic_bar, c->ghcb_pa);
    log_console("cpu %u rip 0x%016lx rsp 0x%016lx rflags 0x%016lx cpl %u", n, s->rip, s->rsp, s->rflags, s->cpl);
    log_console("cpu %u rax 0x%016lx rbx 0x%016lx rcx 0x%016lx rdx 0x%016lx", n, s->rax, r[3], r[1], r[2]);
    log_console("cpu %u rsi 0x%016lx rdi 0x%016lx rbp 0x%016lx r8  0x%016lx", n, r[6], r[7], r[5], r[8]);
    log_console("cpu %u r9  0x%016lx r10 0x%016lx r11 0x%016lx r12 0x%016lx", n, r[9], r[10], r[11], r[12]);
    log_console("cpu %u r13 0x%016lx r14 0x%016lx r15 0x%016lx", n, r[13], r[14], r[15]);
    log_console("cpu %u cr0 0x%lx cr2 0x%lx cr3 0x%lx cr4 0x%lx efer 0x%lx (guest sees svme %d)", n, s->cr0,
                s->cr2, s->cr3, s->cr4, s->efer, v->arch->efer_svme_shadow);
    log_console("cpu %u dr6 0x%lx dr7 0x%lx g_pat 0x%lx dbgctl 0x%lx", n, s->dr6, s->dr7, s->g_pat, s->dbgctl);
    seg(n, "cs", &s->cs);
    seg(n, "ds", &s->ds);
    seg(n, "es", &s->es);
    seg(n, "ss", &s->ss);
    seg(n, "fs", &s->fs);
    seg(n, "gs", &s->gs);
    seg(n, "gdtr", &s->gdtr);
    seg(n, "idtr", &s->idtr);
    seg(n, "ldtr", &s->ldtr);
    seg(n, "tr", &s->tr);
    log_console("cpu %u star 0x%lx lstar 0x%lx cstar 0x%lx sfmask 0x%lx kernel_gs_base 0x%lx", n, s->star,
                s->lstar, s->cstar, s->sfmask, s->kernel_gs_base);
    log_console("cpu %u sysenter_cs 0x%lx sysenter_esp 0x%lx sysenter_eip 0x%lx", n, s->sysenter_cs,
                s->sysenter_esp, s->sysenter_eip);
}
