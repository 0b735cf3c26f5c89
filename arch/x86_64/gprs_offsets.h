/* Offsets in struct guest_gprs (arch_vcpu.h pins them with offsetof). */
#ifndef HUSK_X86_GPRS_OFFSETS_H
#define HUSK_X86_GPRS_OFFSETS_H
#define G_RAX 0x00
#define G_RCX 0x08
#define G_RDX 0x10
#define G_RBX 0x18
#define G_RSP 0x20
#define G_RBP 0x28
#define G_RSI 0x30
#define G_RDI 0x38
#define G_R8  0x40
#define G_R9  0x48
#define G_R10 0x50
#define G_R11 0x58
#define G_R12 0x60
#define G_R13 0x68
#define G_R14 0x70
#define G_R15 0x78
#endif
