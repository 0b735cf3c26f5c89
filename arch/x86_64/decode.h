/* Instruction decoder for the few instructions the monitor emulates: the MOV
 * forms that touch memory (stores to the read-only LAPIC page) and MOV to and
 * from the debug registers. Pure: no hardware access, no monitor state, so it
 * builds freestanding into the monitor and hosted into the unit tests.
 *
 * Under QEMU TCG there are no decode assists (APM vol. 2, 15.33) and no nRIP
 * save, so the monitor must know the length and operands of the instruction
 * it fetched from the guest itself. */
#ifndef HUSK_ARCH_X86_64_DECODE_H
#define HUSK_ARCH_X86_64_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum insn_kind {
    INSN_OTHER,          /* known length, not one of the kinds below (e.g. MOV reg, reg) */
    INSN_MOV_STORE_REG,  /* 88/89: mov reg -> memory */
    INSN_MOV_STORE_IMM,  /* C6/C7 /0: mov imm -> memory */
    INSN_MOV_LOAD,       /* 8A/8B: mov memory -> reg */
    INSN_MOV_TO_DR,      /* 0F 23: mov reg -> DRn */
    INSN_MOV_FROM_DR,    /* 0F 21: mov DRn -> reg */
};

/* The code size the guest runs in: CS.D / CS.L (and EFER.LMA) select it. */
enum decode_mode { DECODE_16, DECODE_32, DECODE_64 };

struct insn {
    uint8_t length;        /* total bytes, 1..15 */
    enum insn_kind kind;
    uint8_t op_size;       /* operand size in bytes: 1, 2, 4 or 8 */
    uint8_t reg;           /* GPR of the register operand, x86 encoding order: 0 rax, 1 rcx, 2 rdx, 3 rbx, 4 rsp, 5 rbp, 6 rsi, 7 rdi, 8..15 r8..r15 */
    bool high_byte;        /* op_size 1 without REX and reg 4..7: AH, CH, DH, BH */
    uint8_t dr;            /* debug register number for MOV DR (REX.R adds 8: DR8..15 do not exist, the caller raises #UD) */
    uint64_t imm;          /* immediate of INSN_MOV_STORE_IMM, zero-extended: the value stored,
                              i.e. for op_size 8 the imm32 already sign-extended as the CPU does */
};

/* Returns 0 and fills *out, or -1 for anything it does not know or a truncated buffer. */
int x86_decode(const uint8_t *code, size_t avail, enum decode_mode mode, struct insn *out);

#endif
