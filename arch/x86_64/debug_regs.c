/* The debugger's view of a vCPU's registers, in target.xml order
 * (arch/x86_64/target/). General registers and the VMCB state save area
 * hold most of them; the FPU/SSE ones come from the FXSAVE image taken
 * when the vCPU parked (APM vol. 2, 11.4.4 for the layout). Writes the
 * monitor cannot allow are refused: EFER.SVME clear (VMRUN would fail,
 * APM 15.5.1), CR0.PG clear while long mode is active. */
#include "arch_debug.h"
#include "cpu.h"
#include "debug_x86.h"
#include "lib/string.h"
#include "target/x86_64_target.h"
#include "vcpu_dr.h"

/* x86 encoding number of the target's GPRs 0..15 (rax rbx rcx rdx rsi rdi rbp rsp r8..r15) */
static const uint8_t gpr_encoding[16] = { 0, 3, 1, 2, 6, 7, 5, 4, 8, 9, 10, 11, 12, 13, 14, 15 };

const struct target_desc *arch_target_desc(void)
{
    return &x86_64_target_desc;
}

static struct vmcb_seg *segment(struct vmcb_save *s, int regnum)
{
    switch (regnum) {
    case X86_REG_CS: return &s->cs;
    case X86_REG_SS: return &s->ss;
    case X86_REG_DS: return &s->ds;
    case X86_REG_ES: return &s->es;
    case X86_REG_FS: return &s->fs;
    case X86_REG_GS: return &s->gs;
    default: return 0;
    }
}

/* What the guest itself would see in RFLAGS: the monitor's TF and the
 * resume flag are never shown. */
static uint64_t visible_rflags(struct vcpu *v)
{
    struct x86_dbg *x = &x86_dbg[v->index];
    uint64_t f = vmcb_of(v)->save.rflags & ~RFLAGS_RF;
    if (x->tf_armed && !x->guest_tf)
        f &= ~RFLAGS_TF;
    return f;
}

/* Full tag word from FXSAVE's abridged one: valid or empty is all a
 * debugger needs to show the stack. */
static uint16_t full_ftag(uint8_t abridged)
{
    uint16_t tag = 0;
    for (int i = 0; i < 8; i++)
        tag |= (uint16_t)((abridged & (1u << i)) ? 0 : 3) << (2 * i);
    return tag;
}

static bool read_value(struct vcpu *v, int regnum, uint64_t *val)
{
    struct vmcb *vmcb = vmcb_of(v);
    struct vmcb_save *s = &vmcb->save;
    const uint8_t *fx = x86_dbg[v->index].fxsave;
    if (regnum >= X86_REG_RAX && regnum <= X86_REG_R15) {
        *val = gpr_get(v, gpr_encoding[regnum]);
        return true;
    }
    struct vmcb_seg *seg = segment(s, regnum);
    if (seg) {
        *val = seg->selector;
        return true;
    }
    switch (regnum) {
    case X86_REG_RIP: *val = s->rip; return true;
    case X86_REG_EFLAGS: *val = visible_rflags(v); return true;
    case X86_REG_FS_BASE: *val = s->fs.base; return true;
    case X86_REG_GS_BASE: *val = s->gs.base; return true;
    case X86_REG_K_GS_BASE: *val = s->kernel_gs_base; return true;
    case X86_REG_CR0: *val = s->cr0; return true;
    case X86_REG_CR2: *val = s->cr2; return true;
    case X86_REG_CR3: *val = s->cr3; return true;
    case X86_REG_CR4: *val = s->cr4; return true;
    case X86_REG_CR8: *val = vmcb->control.int_ctl & 0xf; return true;
    case X86_REG_EFER: *val = s->efer; return true;
    case X86_REG_FCTRL: *val = *(const uint16_t *)(fx + 0); return true;
    case X86_REG_FSTAT: *val = *(const uint16_t *)(fx + 2); return true;
    case X86_REG_FTAG: *val = full_ftag(fx[4]); return true;
    case X86_REG_FOP: *val = *(const uint16_t *)(fx + 6) & 0x7ff; return true;
    case X86_REG_FIOFF: *val = *(const uint32_t *)(fx + 8); return true;
    case X86_REG_FISEG: *val = 0; return true;
    case X86_REG_FOOFF: *val = *(const uint32_t *)(fx + 16); return true;
    case X86_REG_FOSEG: *val = 0; return true;
    case X86_REG_MXCSR: *val = *(const uint32_t *)(fx + 24); return true;
    case X86_REG_GDTR_BASE: *val = s->gdtr.base; return true;
    case X86_REG_GDTR_LIMIT: *val = s->gdtr.limit; return true;
    case X86_REG_IDTR_BASE: *val = s->idtr.base; return true;
    case X86_REG_IDTR_LIMIT: *val = s->idtr.limit; return true;
    case X86_REG_TR: *val = s->tr.selector; return true;
    case X86_REG_TR_BASE: *val = s->tr.base; return true;
    case X86_REG_TR_LIMIT: *val = s->tr.limit; return true;
    case X86_REG_LDTR: *val = s->ldtr.selector; return true;
    case X86_REG_LDTR_BASE: *val = s->ldtr.base; return true;
    case X86_REG_LDTR_LIMIT: *val = s->ldtr.limit; return true;
    /* the guest's own DR6/DR7 (its shadow), not the composed registers
     * that also carry the debugger's slots */
    case X86_REG_DR6: *val = vcpu_dr_shadow(v)->dr6; return true;
    case X86_REG_DR7: *val = vcpu_dr_shadow(v)->dr7; return true;
    case X86_REG_STAR: *val = s->star; return true;
    case X86_REG_LSTAR: *val = s->lstar; return true;
    case X86_REG_SFMASK: *val = s->sfmask; return true;
    case X86_REG_TSC: *val = x86_dbg[v->index].park_tsc + vmcb->control.tsc_offset; return true;
    case X86_REG_EXIT_CODE: *val = vmcb->control.exit_code; return true;
    default: return false;
    }
}

static const uint8_t *fpu_bytes(struct vcpu *v, int regnum)
{
    const uint8_t *fx = x86_dbg[v->index].fxsave;
    if (regnum >= X86_REG_ST0 && regnum <= X86_REG_ST7)
        return fx + 32 + 16 * (regnum - X86_REG_ST0);
    if (regnum >= X86_REG_XMM0 && regnum <= X86_REG_XMM15)
        return fx + 160 + 16 * (regnum - X86_REG_XMM0);
    return 0;
}

int arch_dbg_read_reg(struct vcpu *v, int regnum, uint8_t *buf)
{
    const struct target_desc *d = &x86_64_target_desc;
    if (regnum < 0 || (size_t)regnum >= d->nregs)
        return TARGET_EINVAL;
    unsigned size = d->regs[regnum].size;
    const uint8_t *raw = fpu_bytes(v, regnum);
    if (raw) {
        memcpy(buf, raw, size);
        return TARGET_OK;
    }
    uint64_t val;
    if (!read_value(v, regnum, &val))
        return TARGET_EINVAL;
    for (unsigned i = 0; i < size; i++)
        buf[i] = i < 8 ? (uint8_t)(val >> (8 * i)) : 0;
    return TARGET_OK;
}

static bool is_canonical(uint64_t a)
{
    return (uint64_t)(((int64_t)a << 16) >> 16) == a;
}

/* Registers that take any value the debugger writes. */
static int write_value(struct vcpu *v, int regnum, uint64_t val)
{
    struct vmcb_save *s = &vmcb_of(v)->save;
    uint8_t *fx = x86_dbg[v->index].fxsave;
    if (regnum >= X86_REG_RAX && regnum <= X86_REG_R15) {
        gpr_set(v, gpr_encoding[regnum], val);
        return TARGET_OK;
    }
    switch (regnum) {
    case X86_REG_RIP: s->rip = val; return TARGET_OK;
    case X86_REG_EFLAGS: {
        /* bit 1 is always one; RF stays the monitor's, VM has no meaning
         * here; TF stays the monitor's while it steps */
        struct x86_dbg *x = &x86_dbg[v->index];
        val = (val & 0x3c7fd5) | (s->rflags & RFLAGS_RF) | 2;
        if (x->tf_armed) {
            x->guest_tf = val & RFLAGS_TF;
            val |= RFLAGS_TF;
        }
        s->rflags = val;
        return TARGET_OK;
    }
    case X86_REG_FS_BASE:
    case X86_REG_GS_BASE:
    case X86_REG_K_GS_BASE:
        if (!is_canonical(val))
            return TARGET_EINVAL;   /* VMRUN would fail on it */
        if (regnum == X86_REG_FS_BASE)
            s->fs.base = val;
        else if (regnum == X86_REG_GS_BASE)
            s->gs.base = val;
        else
            s->kernel_gs_base = val;
        return TARGET_OK;
    case X86_REG_CR2: s->cr2 = val; return TARGET_OK;
    case X86_REG_CR3: s->cr3 = val; return TARGET_OK;
    case X86_REG_CR0:
        if ((s->efer & EFER_LMA) && !(val & (1ull << 31)))
            return TARGET_EINVAL;   /* paging off in long mode: #GP, VMRUN fails */
        if (val >> 32)
            return TARGET_EINVAL;
        s->cr0 = val;
        return TARGET_OK;
    case X86_REG_EFER:
        if (!(val & EFER_SVME))
            return TARGET_EINVAL;   /* the VMCB copy must keep SVME (APM 15.5.1) */
        if ((val ^ s->efer) & (EFER_LME | EFER_LMA))
            return TARGET_EINVAL;   /* mode switches only through the guest's own code */
        s->efer = val;
        return TARGET_OK;
    case X86_REG_FCTRL: *(uint16_t *)(fx + 0) = (uint16_t)val; return TARGET_OK;
    case X86_REG_FSTAT: *(uint16_t *)(fx + 2) = (uint16_t)val; return TARGET_OK;
    case X86_REG_MXCSR:
        if (val & ~0xffffull)
            return TARGET_EINVAL;   /* FXRSTOR would fault on reserved bits */
        *(uint32_t *)(fx + 24) = (uint32_t)val;
        return TARGET_OK;
    default:
        return TARGET_UNSUPPORTED;
    }
}

int arch_dbg_write_reg(struct vcpu *v, int regnum, const uint8_t *buf)
{
    const struct target_desc *d = &x86_64_target_desc;
    if (regnum < 0 || (size_t)regnum >= d->nregs)
        return TARGET_EINVAL;
    unsigned size = d->regs[regnum].size;
    uint8_t *raw = (uint8_t *)fpu_bytes(v, regnum);
    if (raw) {
        memcpy(raw, buf, size);
        return TARGET_OK;
    }
    uint64_t val = 0, old;
    for (unsigned i = 0; i < size && i < 8; i++)
        val |= (uint64_t)buf[i] << (8 * i);
    int rc = write_value(v, regnum, val);
    if (rc != TARGET_UNSUPPORTED)
        return rc;
    /* Read-only here (selectors, descriptor tables, DRs, TSC...): a `G`
     * that writes the value back unchanged is fine, a change is refused. */
    uint64_t mask = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
    if (read_value(v, regnum, &old) && ((old ^ val) & mask) == 0)
        return TARGET_OK;
    return TARGET_EINVAL;
}
