/* Length and operand decoder for MOV to/from memory and MOV to/from DRn.
 * Encoding rules: Intel SDM vol. 2, chapter 2 (prefixes, REX, ModRM/SIB,
 * tables 2-1 to 2-3) and AMD APM vol. 3, chapter 1. Only the opcodes in the
 * tables below are known; everything else is -1, so the caller never
 * emulates an instruction it has misread. */
#include "decode.h"

#define MAX_INSN_LEN 15   /* SDM vol. 2, 2.3.11: longer is #GP */

/* Immediate that follows ModRM and displacement. */
enum imm_form {
    IMM_NONE,
    IMM_8,   /* always one byte */
    IMM_Z,   /* 2 bytes with 16-bit operand size, else 4 (sign-extended to 8) */
};

enum operand_form {
    FORM_RM,  /* ModRM names a memory operand (mod 3 is a register move) */
    FORM_DR,  /* MOV DR: ModRM.mod is ignored, always register operands
                 (SDM vol. 2, MOV—Move to/from Debug Registers) */
    FORM_MOFFS, /* A0-A3: no ModRM, an absolute offset of the address size,
                   the register is always AL/AX/EAX/RAX (gas picks these for
                   `mov %eax, ADDR`, e.g. a 32-bit store to 0xFEE00300) */
};

struct opcode_desc {
    bool known;
    enum insn_kind kind;      /* kind when the operand is memory */
    enum operand_form form;
    bool byte_op;             /* operand size is 1 regardless of prefixes */
    bool reg_is_operand;      /* ModRM.reg names a GPR operand (not an opcode extension) */
    bool reg_must_be_zero;    /* /0 group: C6/C7 with reg != 0 are other instructions */
    enum imm_form imm;
};

static const struct opcode_desc one_byte[256] = {
    [0x88] = { true, INSN_MOV_STORE_REG, FORM_RM, true,  true,  false, IMM_NONE },
    [0x89] = { true, INSN_MOV_STORE_REG, FORM_RM, false, true,  false, IMM_NONE },
    [0x8A] = { true, INSN_MOV_LOAD,      FORM_RM, true,  true,  false, IMM_NONE },
    [0x8B] = { true, INSN_MOV_LOAD,      FORM_RM, false, true,  false, IMM_NONE },
    [0xA0] = { true, INSN_MOV_LOAD,      FORM_MOFFS, true,  true, false, IMM_NONE },
    [0xA1] = { true, INSN_MOV_LOAD,      FORM_MOFFS, false, true, false, IMM_NONE },
    [0xA2] = { true, INSN_MOV_STORE_REG, FORM_MOFFS, true,  true, false, IMM_NONE },
    [0xA3] = { true, INSN_MOV_STORE_REG, FORM_MOFFS, false, true, false, IMM_NONE },
    [0xC6] = { true, INSN_MOV_STORE_IMM, FORM_RM, true,  false, true,  IMM_8 },
    [0xC7] = { true, INSN_MOV_STORE_IMM, FORM_RM, false, false, true,  IMM_Z },
};

static const struct opcode_desc two_byte[256] = {
    [0x21] = { true, INSN_MOV_FROM_DR, FORM_DR, false, false, false, IMM_NONE },
    [0x23] = { true, INSN_MOV_TO_DR,   FORM_DR, false, false, false, IMM_NONE },
};

/* Legacy prefixes this decoder accepts; LOCK and REP are -1 (no MOV form
 * here takes them: LOCK MOV is #UD). */
enum prefix_role { PFX_NONE, PFX_SEGMENT, PFX_OPSIZE, PFX_ADDRSIZE };

static const uint8_t prefix_role[256] = {
    [0x26] = PFX_SEGMENT, [0x2E] = PFX_SEGMENT, [0x36] = PFX_SEGMENT,
    [0x3E] = PFX_SEGMENT, [0x64] = PFX_SEGMENT, [0x65] = PFX_SEGMENT,
    [0x66] = PFX_OPSIZE,  [0x67] = PFX_ADDRSIZE,
};

#define REX_W 0x8
#define REX_R 0x4
#define REX_X 0x2
#define REX_B 0x1

struct cursor {
    const uint8_t *code;
    size_t avail;
    size_t pos;
};

static int fetch(struct cursor *c, uint8_t *byte)
{
    if (c->pos >= c->avail || c->pos >= MAX_INSN_LEN)
        return -1;
    *byte = c->code[c->pos++];
    return 0;
}

static int skip(struct cursor *c, size_t n)
{
    if (c->pos + n > c->avail || c->pos + n > MAX_INSN_LEN)
        return -1;
    c->pos += n;
    return 0;
}

/* Little-endian immediate of n bytes (n <= 8). */
static int fetch_le(struct cursor *c, size_t n, uint64_t *value)
{
    uint64_t v = 0;
    if (c->pos + n > c->avail || c->pos + n > MAX_INSN_LEN)
        return -1;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)c->code[c->pos + i] << (8 * i);
    c->pos += n;
    *value = v;
    return 0;
}

/* Bytes of SIB and displacement after a ModRM with mod != 3. */
static int skip_memory_operand(struct cursor *c, uint8_t modrm, unsigned addr_bits)
{
    unsigned mod = modrm >> 6, rm = modrm & 7;

    if (addr_bits == 16) {
        /* SDM vol. 2, table 2-1: no SIB; mod 0 rm 6 is disp16 alone. */
        if (mod == 0)
            return rm == 6 ? skip(c, 2) : 0;
        return skip(c, mod == 1 ? 1 : 2);
    }

    /* 32/64-bit addressing, table 2-2: rm 4 brings a SIB; mod 0 rm 5 is
     * disp32 (RIP-relative in 64-bit mode); SIB base 5 with mod 0 is disp32. */
    size_t disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
    if (rm == 4) {
        uint8_t sib;
        if (fetch(c, &sib) < 0)
            return -1;
        if (mod == 0 && (sib & 7) == 5)
            disp = 4;
    } else if (mod == 0 && rm == 5) {
        disp = 4;
    }
    return skip(c, disp);
}

static unsigned operand_size(enum decode_mode mode, bool opsize_prefix, uint8_t rex)
{
    switch (mode) {
    case DECODE_64:
        if (rex & REX_W)
            return 8;          /* REX.W wins over 66 (SDM vol. 2, 2.2.1.2) */
        return opsize_prefix ? 2 : 4;
    case DECODE_32:
        return opsize_prefix ? 2 : 4;
    case DECODE_16:
    default:
        return opsize_prefix ? 4 : 2;
    }
}

static unsigned address_size(enum decode_mode mode, bool addrsize_prefix)
{
    switch (mode) {
    case DECODE_64:
        return addrsize_prefix ? 32 : 64;
    case DECODE_32:
        return addrsize_prefix ? 16 : 32;
    case DECODE_16:
    default:
        return addrsize_prefix ? 32 : 16;
    }
}

/* Value the CPU stores for an immediate of imm_len bytes at op_size. */
static uint64_t effective_immediate(uint64_t raw, unsigned imm_len, unsigned op_size)
{
    if (op_size == 8 && imm_len == 4 && (raw & 0x80000000u))
        return raw | 0xFFFFFFFF00000000ull;   /* imm32 sign-extended to 64 */
    return raw;
}

/* What the prefixes said. */
struct prefixes {
    bool opsize;      /* 66 */
    bool addrsize;    /* 67 */
    bool have_rex;    /* a REX directly before the opcode (64-bit mode only) */
    uint8_t rex;      /* its low nibble: W R X B */
};

/* A0-A3: accumulator only, REX.R/B do not apply (there is no ModRM). */
static int decode_moffs(struct cursor *c, const struct opcode_desc *desc,
                        enum decode_mode mode, const struct prefixes *p, struct insn *insn)
{
    insn->op_size = desc->byte_op ? 1 : (uint8_t)operand_size(mode, p->opsize, p->rex);
    insn->reg = 0;
    return skip(c, address_size(mode, p->addrsize) / 8);
}

/* 0F 21 / 0F 23: the operand size is the mode's native width whatever 66
 * and REX.W say; REX.R extends the DR number, REX.B the GPR. */
static int decode_dr(struct cursor *c, const struct opcode_desc *desc,
                     enum decode_mode mode, const struct prefixes *p, struct insn *insn)
{
    uint8_t modrm;
    (void)desc;
    if (fetch(c, &modrm) < 0)
        return -1;
    insn->op_size = mode == DECODE_64 ? 8 : 4;
    insn->dr = (uint8_t)(((modrm >> 3) & 7) | ((p->rex & REX_R) ? 8 : 0));
    insn->reg = (uint8_t)((modrm & 7) | ((p->rex & REX_B) ? 8 : 0));
    return 0;
}

/* ModRM forms: 88/89/8A/8B and C6/C7 /0. */
static int decode_rm(struct cursor *c, const struct opcode_desc *desc,
                     enum decode_mode mode, const struct prefixes *p, struct insn *insn)
{
    uint8_t modrm;
    if (fetch(c, &modrm) < 0)
        return -1;
    unsigned mod = modrm >> 6, reg = (modrm >> 3) & 7;
    if (desc->reg_must_be_zero && reg != 0)
        return -1;

    insn->op_size = desc->byte_op ? 1 : (uint8_t)operand_size(mode, p->opsize, p->rex);
    if (mod == 3)
        insn->kind = INSN_OTHER;   /* register form: no memory access, only its length matters */
    else if (skip_memory_operand(c, modrm, address_size(mode, p->addrsize)) < 0)
        return -1;

    if (desc->reg_is_operand) {
        insn->reg = (uint8_t)(reg | ((p->rex & REX_R) ? 8 : 0));
        /* Without any REX, byte registers 4..7 are AH, CH, DH, BH. */
        insn->high_byte = insn->op_size == 1 && !p->have_rex && reg >= 4;
    }
    if (desc->imm != IMM_NONE) {
        unsigned imm_len = desc->imm == IMM_8 ? 1 : insn->op_size == 2 ? 2 : 4;
        uint64_t raw;
        if (fetch_le(c, imm_len, &raw) < 0)
            return -1;
        insn->imm = effective_immediate(raw, imm_len, insn->op_size);
    }
    return 0;
}

typedef int (*form_decoder)(struct cursor *, const struct opcode_desc *, enum decode_mode,
                            const struct prefixes *, struct insn *);

static const form_decoder form_decoders[] = {
    [FORM_RM] = decode_rm,
    [FORM_DR] = decode_dr,
    [FORM_MOFFS] = decode_moffs,
};

int x86_decode(const uint8_t *code, size_t avail, enum decode_mode mode, struct insn *out)
{
    struct cursor c = { code, avail, 0 };
    struct prefixes p = { 0 };
    uint8_t byte;

    if (!code || !out || mode > DECODE_64)
        return -1;

    /* Prefixes. A REX only counts directly before the opcode: a legacy
     * prefix after it makes the CPU ignore it (SDM vol. 2, 2.2.1). In 16-
     * and 32-bit modes 40-4F are INC/DEC, which this decoder does not know. */
    for (;;) {
        if (fetch(&c, &byte) < 0)
            return -1;
        if (mode == DECODE_64 && (byte & 0xF0) == 0x40) {
            p.rex = byte & 0xF;
            p.have_rex = true;
            continue;
        }
        enum prefix_role role = prefix_role[byte];
        if (role == PFX_NONE)
            break;
        p.rex = 0;
        p.have_rex = false;
        if (role == PFX_OPSIZE)
            p.opsize = true;
        else if (role == PFX_ADDRSIZE)
            p.addrsize = true;
    }

    const struct opcode_desc *desc = &one_byte[byte];
    if (byte == 0x0F) {
        if (fetch(&c, &byte) < 0)
            return -1;
        desc = &two_byte[byte];
    }
    if (!desc->known)
        return -1;

    struct insn insn = { 0 };
    insn.kind = desc->kind;
    if (form_decoders[desc->form](&c, desc, mode, &p, &insn) < 0)
        return -1;
    insn.length = (uint8_t)c.pos;
    *out = insn;
    return 0;
}
