/* x86 state the debugger keeps per vCPU (arch/x86_64/debug_*.c). */
#ifndef HUSK_X86_DEBUG_X86_H
#define HUSK_X86_DEBUG_X86_H

#include <stdbool.h>
#include <stdint.h>

#include "svm.h"

struct x86_dbg {
    uint8_t fxsave[512] __attribute__((aligned(16)));   /* FPU/SSE while parked */
    uint64_t park_tsc;          /* when it parked: guest time stands still */
    /* single step */
    bool tf_armed;              /* the monitor set RFLAGS.TF */
    bool guest_tf;              /* the guest's own TF before the step */
    bool via_syscall;           /* SFMASK lets TF through SYSCALL for this step */
    bool fetch_trap;            /* the step ends at the handler of an event (npt.h) */
    uint64_t saved_sfmask;
    uint8_t insn[15];           /* the stepped instruction's bytes */
    unsigned insn_len;          /* bytes fetched */
    uint64_t start_rip;         /* VMCB RIP where the step began */
    /* exception intercepts the monitor set up (svm.c), kept under the
     * debugger's catch and step vectors */
    bool base_known;
    uint32_t base_exceptions;
    uint32_t catch_vectors;     /* the last arch_dbg_apply_catch()'s */
} __attribute__((aligned(16)));

extern struct x86_dbg x86_dbg[MAX_CPUS];

/* Exceptions always intercepted: #DB, #BP, #DF, #AC (see svm.c). */
#define EXCP_ALWAYS ((1u << 1) | (1u << 3) | (1u << 8) | (1u << 17))

/* Opcode at the start of an instruction after legacy and REX prefixes. */
unsigned insn_opcode_offset(const uint8_t *insn, unsigned len, bool long_mode);

#endif
