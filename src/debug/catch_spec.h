/* What `monitor catch` accepts and how a caught exception is reported:
 * pure functions, no vCPU state, unit-tested in tests/unit/debug/. */
#ifndef HUSK_DEBUG_CATCH_SPEC_H
#define HUSK_DEBUG_CATCH_SPEC_H

#include <stddef.h>
#include <stdint.h>

/*
 * Applies the words of `monitor catch ARGS` to `mask` (bit n: vector n):
 * a name (#GP, gp, GP), a number 0..31 (decimal or 0x hex) adds a vector,
 * `off` clears every one so far. #DB, NMI and #BP are the debugger's own
 * and refused. Returns 0 with *out set, or TARGET_EINVAL with the
 * offending word copied into bad (NUL-terminated, cut to cap).
 */
int catch_parse(const char *args, uint32_t mask, uint32_t *out, char *bad, size_t cap);

/* GDB signal for an exception: SIGFPE, SIGILL, SIGSEGV, SIGBUS or SIGTRAP. */
int catch_signal(unsigned vector);

#endif
