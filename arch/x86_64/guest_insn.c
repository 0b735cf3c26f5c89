#include "guest_insn.h"

#include "arch.h"
#include "cpu.h"
#include "exit_path.h"
#include "guest_mem.h"
#include "lib/string.h"
#include "reg_operand.h"
#include "vcpu_dr.h"

EXIT_PATH struct paging_regs guest_paging(struct vcpu *v)
{
    const struct vmcb_save *s = &vmcb_of(v)->save;
    /* the guest's EFER as its paging sees it: the VMCB's (SVME is ours) */
    return (struct paging_regs){ s->cr0, s->cr3, s->cr4, s->efer };
}

EXIT_PATH enum decode_mode guest_decode_mode(struct vcpu *v)
{
    const struct vmcb_save *s = &vmcb_of(v)->save;
    if ((s->efer & EFER_LMA) && (s->cs.attrib & (1u << 9)))
        return DECODE_64;
    if (!(s->cr0 & 1))
        return DECODE_16;           /* real mode */
    return (s->cs.attrib & (1u << 10)) ? DECODE_32 : DECODE_16;
}

EXIT_PATH uint64_t guest_rip_linear(struct vcpu *v)
{
    const struct vmcb_save *s = &vmcb_of(v)->save;
    if (guest_decode_mode(v) == DECODE_64)
        return s->rip;
    return (s->cs.base + s->rip) & 0xffffffffull;
}

size_t guest_fetch(struct vcpu *v, uint8_t *buf)
{
    struct paging_regs r = guest_paging(v);
    unsigned access = WALK_FETCH | (vmcb_of(v)->save.cpl == 3 ? WALK_USER : 0);
    uint64_t lin = guest_rip_linear(v);
    size_t got = 0;
    /* page by page: an instruction at the end of the last mapped page is
     * still decodable when it fits */
    while (got < INSN_MAX) {
        size_t chunk = 4096 - ((lin + got) & 0xfff);
        if (chunk > INSN_MAX - got)
            chunk = INSN_MAX - got;
        if (gmem_read_virt(&r, lin + got, buf + got, chunk, access) != WALK_OK)
            break;
        got += chunk;
    }
    return got;
}

static const void *guest_phys_map(void *opaque, uint64_t gpa, size_t len)
{
    (void)opaque;
    return arch_guest_phys(gpa, len);
}

EXIT_PATH int guest_decode(struct vcpu *v, struct insn *out, const char **why)
{
    struct insn_key key = { guest_paging(v), guest_rip_linear(v), guest_decode_mode(v),
                            vmcb_of(v)->save.cpl == 3 };
    struct insn_cache *cache = &v->arch->insn_cache;
    if (insn_cache_lookup(cache, &key, out))
        return 0;
    uint8_t buf[INSN_MAX];
    size_t n = guest_fetch(v, buf);
    if (n == 0) {
        *why = "cannot fetch the instruction at RIP";
        return -1;
    }
    if (x86_decode(buf, n, key.mode, out) != 0) {
        *why = "cannot decode the instruction at RIP";
        return -1;
    }
    insn_cache_fill(cache, &key, guest_phys_map, 0, buf, out);
    return 0;
}

static bool is_legacy_prefix(uint8_t b)
{
    switch (b) {
    case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
    case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
        return true;
    default:
        return false;
    }
}

unsigned guest_insn_length(struct vcpu *v, const uint8_t *opcode, unsigned opcode_len)
{
    uint8_t buf[INSN_MAX];
    size_t n = guest_fetch(v, buf);
    bool long_mode = guest_decode_mode(v) == DECODE_64;
    size_t i = 0;
    while (i < n && (is_legacy_prefix(buf[i]) || (long_mode && (buf[i] & 0xf0) == 0x40)))
        i++;
    if (i + opcode_len > n || memcmp(buf + i, opcode, opcode_len) != 0)
        return 0;
    return (unsigned)(i + opcode_len);
}

EXIT_PATH void guest_complete(struct vcpu *v, uint64_t next_rip)
{
    struct vmcb *vmcb = vmcb_of(v);
    vmcb->save.rip = next_rip;
    vmcb->control.int_state &= ~INTSTATE_SHADOW;
    vmcb->save.rflags &= ~RFLAGS_RF;
    /* The instruction never ran in the guest, so the guest's own TF did
     * not trap after it: deliver that single-step #DB (DR6.BS in the
     * guest's shadow DR6) there, unless the debugger's step owns TF. */
    vcpu_dr_after_emulation(v);
}

EXIT_PATH void guest_skip(struct vcpu *v, unsigned length)
{
    uint64_t rip = vmcb_of(v)->save.rip + length;
    switch (guest_decode_mode(v)) {
    case DECODE_16: rip &= 0xffff; break;
    case DECODE_32: rip &= 0xffffffff; break;
    case DECODE_64: break;
    }
    guest_complete(v, rip);
}

EXIT_PATH uint64_t insn_reg_read(struct vcpu *v, const struct insn *in)
{
    uint64_t reg = gpr_get(v, reg_operand_gpr(in->reg, in->high_byte));
    return reg_operand_read(reg, in->op_size, in->high_byte);
}

void insn_reg_write(struct vcpu *v, const struct insn *in, uint64_t value)
{
    unsigned gpr = reg_operand_gpr(in->reg, in->high_byte);
    gpr_set(v, gpr, reg_operand_write(gpr_get(v, gpr), in->op_size, in->high_byte, value));
}
