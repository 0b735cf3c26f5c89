/*
 * arch/x86_64/target/x86_64_target.h - the x86_64 register layout the stub
 * serves: QEMU's i386-64bit order (core, then SSE) plus husk's system
 * feature. Register numbers are target.xml numbers and `p`/`P` numbers.
 */
#ifndef HUSK_X86_64_TARGET_H
#define HUSK_X86_64_TARGET_H

#include "stub/target.h"

enum x86_64_reg {
    X86_REG_RAX = 0,
    X86_REG_RBX = 1,
    X86_REG_RCX = 2,
    X86_REG_RDX = 3,
    X86_REG_RSI = 4,
    X86_REG_RDI = 5,
    X86_REG_RBP = 6,
    X86_REG_RSP = 7,
    X86_REG_R8 = 8,
    X86_REG_R9 = 9,
    X86_REG_R10 = 10,
    X86_REG_R11 = 11,
    X86_REG_R12 = 12,
    X86_REG_R13 = 13,
    X86_REG_R14 = 14,
    X86_REG_R15 = 15,
    X86_REG_RIP = 16,
    X86_REG_EFLAGS = 17,
    X86_REG_CS = 18,
    X86_REG_SS = 19,
    X86_REG_DS = 20,
    X86_REG_ES = 21,
    X86_REG_FS = 22,
    X86_REG_GS = 23,
    X86_REG_FS_BASE = 24,
    X86_REG_GS_BASE = 25,
    X86_REG_K_GS_BASE = 26,
    X86_REG_CR0 = 27,
    X86_REG_CR2 = 28,
    X86_REG_CR3 = 29,
    X86_REG_CR4 = 30,
    X86_REG_CR8 = 31,
    X86_REG_EFER = 32,
    X86_REG_ST0 = 33,
    X86_REG_ST1 = 34,
    X86_REG_ST2 = 35,
    X86_REG_ST3 = 36,
    X86_REG_ST4 = 37,
    X86_REG_ST5 = 38,
    X86_REG_ST6 = 39,
    X86_REG_ST7 = 40,
    X86_REG_FCTRL = 41,
    X86_REG_FSTAT = 42,
    X86_REG_FTAG = 43,
    X86_REG_FISEG = 44,
    X86_REG_FIOFF = 45,
    X86_REG_FOSEG = 46,
    X86_REG_FOOFF = 47,
    X86_REG_FOP = 48,
    X86_REG_XMM0 = 49,
    X86_REG_XMM1 = 50,
    X86_REG_XMM2 = 51,
    X86_REG_XMM3 = 52,
    X86_REG_XMM4 = 53,
    X86_REG_XMM5 = 54,
    X86_REG_XMM6 = 55,
    X86_REG_XMM7 = 56,
    X86_REG_XMM8 = 57,
    X86_REG_XMM9 = 58,
    X86_REG_XMM10 = 59,
    X86_REG_XMM11 = 60,
    X86_REG_XMM12 = 61,
    X86_REG_XMM13 = 62,
    X86_REG_XMM14 = 63,
    X86_REG_XMM15 = 64,
    X86_REG_MXCSR = 65,
    X86_REG_GDTR_BASE = 66,
    X86_REG_GDTR_LIMIT = 67,
    X86_REG_IDTR_BASE = 68,
    X86_REG_IDTR_LIMIT = 69,
    X86_REG_TR = 70,
    X86_REG_TR_BASE = 71,
    X86_REG_TR_LIMIT = 72,
    X86_REG_LDTR = 73,
    X86_REG_LDTR_BASE = 74,
    X86_REG_LDTR_LIMIT = 75,
    X86_REG_DR6 = 76,
    X86_REG_DR7 = 77,
    X86_REG_STAR = 78,
    X86_REG_LSTAR = 79,
    X86_REG_SFMASK = 80,
    X86_REG_TSC = 81,
    X86_REG_EXIT_CODE = 82,
    X86_REG_COUNT
};

/* Bytes of a whole `g` block. */
#define X86_64_G_SIZE 720

/* Register table, XML documents and expedited registers, for target_ops.desc. */
extern const struct target_desc x86_64_target_desc;

/* The XML documents (generated from the .xml files beside this header). */
extern const struct target_xml x86_64_target_xml[];
extern const size_t x86_64_target_xml_count;

#endif
