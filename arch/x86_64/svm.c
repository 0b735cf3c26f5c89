/* SVM on each CPU: enable, build the VMCB, reset a vCPU to the states a
 * boot loader or a SIPI leaves a CPU in, and the entry/exit loop. */
#include "svm.h"

#include "cpu.h"
#include "debug/debugger.h"
#include "exit_path.h"
#include "exits.h"
#include "guest_nmi.h"
#include "lib/string.h"
#include "log.h"
#include "npt.h"
#include "permission_maps.h"
#include "vcpu_dr.h"

#define GUEST_ASID 1            /* ASID 0 is the host's (VMRUN fails on 0) */
#define PAT_POWER_ON 0x0007040600070406ull

static struct vmcb vmcbs[MAX_CPUS] __attribute__((aligned(4096)));
static uint8_t hsave[MAX_CPUS][4096] __attribute__((aligned(4096)));
static uint8_t host_save[MAX_CPUS][4096] __attribute__((aligned(4096)));

const char *svm_unsupported(void)
{
    if (!(cpuid(0x80000001, 0).ecx & (1u << 2)))
        return "the CPU has no SVM";
    if (rdmsr(MSR_VM_CR) & (1u << 4))
        return "SVM is disabled by firmware (VM_CR.SVMDIS)";
    if (!(cpuid(0x8000000a, 0).edx & 1))
        return "the CPU has no nested paging";
    return 0;
}

static void vmcb_init_controls(struct vmcb *vmcb)
{
    struct vmcb_control *c = &vmcb->control;
    memset(vmcb, 0, sizeof *vmcb);
    /* #DB and #AC always: a guest can otherwise hang the CPU while
     * delivering them (CVE-2015-8104, CVE-2015-5307) */
    c->intercept_exceptions = (1u << 1) | (1u << 17);
    /* int3 for the debugger: TCG reports it as INTn, hardware as #BP
     * (notes, svm-under-qemu-tcg.md rule 1); #DF so a triple fault is
     * seen with the state of its first fault (rule 4) */
    c->intercept_exceptions |= (1u << 3) | (1u << 8);
    /* every MOV to or from DR0-DR15: the guest's debug registers are a
     * shadow (exit_dr.c; notes, svm-under-qemu-tcg.md rule 3) */
    c->intercept_dr_read = 0xffff;
    c->intercept_dr_write = 0xffff;
    c->intercept_misc1 = ICPT1_INTR | ICPT1_NMI | ICPT1_INIT | ICPT1_CPUID | ICPT1_INVLPGA | ICPT1_IOIO |
                         ICPT1_MSR | ICPT1_SHUTDOWN | ICPT1_INTN;
    c->intercept_misc2 = ICPT2_VMRUN | ICPT2_VMMCALL | ICPT2_VMLOAD | ICPT2_VMSAVE | ICPT2_STGI | ICPT2_CLGI |
                         ICPT2_SKINIT;
    c->iopm_base_pa = iopm_pa();
    c->msrpm_base_pa = msrpm_pa();
    c->guest_asid = GUEST_ASID;
    /* V_INTR_MASKING clear: the guest's RFLAGS.IF (and interrupt shadow)
     * gates physical interrupts, so they reach the guest exactly when it
     * would have accepted them on bare hardware: through its own IDT, or
     * as an INTR exit while the monitor owns TF (events.c, which sets the
     * INTR intercept before every entry). */
    c->int_ctl = 0;
    c->np_enable = 1;
    c->n_cr3 = npt_root();
}

void svm_cpu_init(struct percpu *p)
{
    struct arch_vcpu *a = &p->arch;
    /* A physical INIT (one the guest has its IOAPIC or a device deliver)
     * would reset this CPU under the monitor; with R_INIT it arrives as
     * #SX instead, which the host drops (panic.c). QEMU ignores the bit. */
    wrmsr(MSR_VM_CR, rdmsr(MSR_VM_CR) | VM_CR_R_INIT);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    /* NX in the nested tables needs the host's EFER.NXE; every CPU sets it
     * before any guest runs, so the fetch trap (npt.h) is usable */
    if (cpuid(0x80000001, 0).edx & CPUID_8000_0001_EDX_NX) {
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
        npt_fetch_trap_enable();
    }
    wrmsr(MSR_VM_HSAVE_PA, (uint64_t)hsave[p->index]);
    a->vmcb = &vmcbs[p->index];
    a->vmcb_pa = (uint64_t)a->vmcb;
    a->host_save_pa = (uint64_t)host_save[p->index];
    vmcb_init_controls(a->vmcb);
    /* the host's TR, GS base (this struct percpu), ... come back from here */
    __asm__ volatile("vmsave %0" : : "a"(a->host_save_pa) : "memory");
}

static void set_seg(struct vmcb_seg *s, uint16_t sel, uint16_t attrib, uint32_t limit, uint64_t base)
{
    *s = (struct vmcb_seg){ sel, attrib, limit, base };
}

/* State common to both resets: no pending events, power-on MSRs. */
static void reset_common(struct vcpu *v)
{
    struct arch_vcpu *a = v->arch;
    struct vmcb_save *s = &a->vmcb->save;
    struct vmcb_control *c = &a->vmcb->control;
    memset(&a->gprs, 0, sizeof a->gprs);
    memset(a->pending_irq, 0, sizeof a->pending_irq);
    guest_nmi_clear(a);
    a->nmi_blocked = false;
    a->nmi_unblock_next_exit = false;
    a->nmi_iret_step = false;
    a->nmi_iret_trapped = false;
    a->nmi_iret_rip = 0;
    a->efer_svme_shadow = false;
    a->first_run = true;
    c->event_inj = 0;
    c->int_ctl = 0;
    c->int_state = 0;
    c->intercept_misc1 &= ~(ICPT1_VINTR | ICPT1_IRET);
    memset(s, 0, sizeof *s);
    s->efer = EFER_SVME;        /* must stay set in the VMCB (15.5.1); the guest sees its shadow */
    s->dr6 = 0xffff0ff0;
    s->dr7 = 0x400;
    vcpu_dr_reset(v);
    s->rflags = 0x2;
    s->g_pat = PAT_POWER_ON;
    set_seg(&s->ldtr, 0, SEG_LDT, 0xffff, 0);
    set_seg(&s->tr, 0, SEG_TSS_BUSY, 0xffff, 0);
}

void arch_vcpu_reset_multiboot(struct vcpu *v, uint32_t entry, uint32_t info)
{
    struct vmcb_save *s = &v->arch->vmcb->save;
    reset_common(v);
    /* Multiboot spec 3.2: protected mode, paging off, flat 4 GiB segments,
     * EAX = magic, EBX = info, IF = 0; GDTR/IDTR are the kernel's to load. */
    set_seg(&s->cs, 0x08, SEG_CODE32, 0xffffffff, 0);
    set_seg(&s->ds, 0x10, SEG_DATA32, 0xffffffff, 0);
    set_seg(&s->es, 0x10, SEG_DATA32, 0xffffffff, 0);
    set_seg(&s->ss, 0x10, SEG_DATA32, 0xffffffff, 0);
    set_seg(&s->fs, 0x10, SEG_DATA32, 0xffffffff, 0);
    set_seg(&s->gs, 0x10, SEG_DATA32, 0xffffffff, 0);
    set_seg(&s->gdtr, 0, 0, 0, 0);
    set_seg(&s->idtr, 0, 0, 0x3ff, 0);
    s->cr0 = 0x11;              /* PE | ET */
    s->rip = entry;
    s->rax = 0x2badb002;
    v->arch->gprs.r[3] = info;  /* EBX */
}

void arch_vcpu_reset_sipi(struct vcpu *v, uint8_t vector)
{
    struct vmcb_save *s = &v->arch->vmcb->save;
    reset_common(v);
    /* After INIT + SIPI (APM vol. 2, 14.1.5 and 16.5): real mode at
     * vector * 4 KiB, CS = vector << 8, everything else as after RESET. */
    set_seg(&s->cs, (uint16_t)(vector << 8), SEG_CODE16, 0xffff, (uint64_t)vector << 12);
    set_seg(&s->ds, 0, SEG_DATA16, 0xffff, 0);
    set_seg(&s->es, 0, SEG_DATA16, 0xffff, 0);
    set_seg(&s->ss, 0, SEG_DATA16, 0xffff, 0);
    set_seg(&s->fs, 0, SEG_DATA16, 0xffff, 0);
    set_seg(&s->gs, 0, SEG_DATA16, 0xffff, 0);
    set_seg(&s->gdtr, 0, 0, 0xffff, 0);
    set_seg(&s->idtr, 0, 0, 0xffff, 0);
    s->cr0 = 0x60000010;        /* CD | NW | ET */
    s->rip = 0;
    v->arch->gprs.r[2] = cpuid(1, 0).eax;   /* EDX = processor signature */
}

void svm_inject_exception(struct vcpu *v, uint8_t vector)
{
    v->arch->vmcb->control.event_inj = EVENT_VALID | EVENT_TYPE_EXCEPTION | vector;
}

void svm_inject_exception_error(struct vcpu *v, uint8_t vector, uint32_t error)
{
    v->arch->vmcb->control.event_inj =
        EVENT_VALID | EVENT_TYPE_EXCEPTION | EVENT_ERROR_VALID | vector | ((uint64_t)error << 32);
}

EXIT_PATH uint64_t gpr_get(struct vcpu *v, unsigned reg)
{
    struct arch_vcpu *a = v->arch;
    if (reg == 0)
        return a->vmcb->save.rax;
    if (reg == 4)
        return a->vmcb->save.rsp;
    return a->gprs.r[reg & 15];
}

void gpr_set(struct vcpu *v, unsigned reg, uint64_t value)
{
    struct arch_vcpu *a = v->arch;
    if (reg == 0)
        a->vmcb->save.rax = value;
    else if (reg == 4)
        a->vmcb->save.rsp = value;
    else
        a->gprs.r[reg & 15] = value;
}

EXIT_PATH void arch_vcpu_run(struct vcpu *v)
{
    struct arch_vcpu *a = v->arch;
    struct vmcb *vmcb = a->vmcb;
    while (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_RUNNING) {
        /* GIF clear from here to the VMRUN (svm_enter sets it again after
         * the exit): a kick that comes after the checks below is held
         * pending and makes the guest exit at once instead of being
         * absorbed by the host before it enters (APM vol. 2, 15.17, GIF;
         * 15.13.2, NMI intercept). The kick's reasons, a guest NMI counted
         * for this vCPU and the debugger's stop, are looked at only now. */
        __asm__ volatile("clgi" ::: "memory");
        if (debug_holds_machine()) {
            __asm__ volatile("stgi" ::: "memory");
            debug_before_entry(v);      /* parks until released */
            continue;
        }
        events_before_entry(v);
        /* one flush of this ASID when the vCPU (re)starts; QEMU flushes
         * anyway, hardware does not (APM vol. 2, 15.16) */
        vmcb->control.tlb_control = a->first_run || a->flush_tlb ? 1 : 0;
        a->first_run = false;
        a->flush_tlb = false;
        host_dr_load(v);    /* last: real DR0-3/DR7 with movs, VMCB DR6/DR7 */
        uint64_t entered = rdtsc();
        if (a->exited)
            a->handling_tsc += entered - a->exited;
        svm_enter(&a->gprs, a->vmcb_pa, a->host_save_pa);
        a->exited = rdtsc();
        a->guest_tsc += a->exited - entered;
        v->exits++;
        events_after_exit(v);
        exit_dispatch(v);
        monitor_poll(v);
    }
}
