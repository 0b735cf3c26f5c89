/* The guest instruction at RIP: fetched through the guest's own paging
 * (no decode assists under TCG, none needed on hardware either) and
 * decoded with the shared decoder. */
#ifndef HUSK_X86_GUEST_INSN_H
#define HUSK_X86_GUEST_INSN_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "pagewalk.h"
#include "svm.h"

#define INSN_MAX 15

struct paging_regs guest_paging(struct vcpu *v);
enum decode_mode guest_decode_mode(struct vcpu *v);
/* Linear address of CS:RIP. */
uint64_t guest_rip_linear(struct vcpu *v);

/* Fetches up to 15 bytes at CS:RIP; returns how many could be read (0: none). */
size_t guest_fetch(struct vcpu *v, uint8_t *buf);
/* Fetches and decodes; 0 or -1 (with the reason in *why). */
int guest_decode(struct vcpu *v, struct insn *out, const char **why);

/* Length of an instruction made of legacy/REX prefixes and then exactly
 * `opcode` (e.g. 0F A2 for CPUID); 0 when the bytes at RIP are not that. */
unsigned guest_insn_length(struct vcpu *v, const uint8_t *opcode, unsigned opcode_len);

/* Finishes an emulated instruction as the CPU would have (pitfalls note,
 * item 6): RIP to the next instruction, interrupt shadow and RF cleared,
 * and the single-step trap delivered when the guest's TF is set. */
void guest_complete(struct vcpu *v, uint64_t next_rip);
void guest_skip(struct vcpu *v, unsigned length);   /* guest_complete(RIP + length) */

/* Register operand value of a decoded instruction, and its write-back
 * (op_size semantics of x86: 32-bit writes zero-extend in 64-bit mode). */
uint64_t insn_reg_read(struct vcpu *v, const struct insn *in);
void insn_reg_write(struct vcpu *v, const struct insn *in, uint64_t value);

#endif
