/* What the shell's commands do to the target, as RSP requests on the
 * shell's side of the session. Every function returns -1 after printing a
 * one-line error (through proxy_error) when it fails. */
#ifndef PROXY_ACCESS_H
#define PROXY_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proxy.h"

/* Thread (CPU) ids, in the target's order; returns the count. */
int acc_threads(struct proxy *p, long *ids, int max);
/* The 'g' block of a CPU; returns its length. */
long acc_regs(struct proxy *p, long cpu, uint8_t *g, size_t cap);
/* One register by name (from 'g', or 'p' for ones outside it). */
int acc_reg(struct proxy *p, long cpu, const char *name, uint64_t *value);
/* Reads memory, virtual through the CPU's page tables or physical. Returns
 * the bytes read; a short count means the rest is unreadable (no error is
 * printed for that: callers decide). -1 on a link failure. */
long acc_read(struct proxy *p, long cpu, uint64_t addr, void *buf, size_t len,
              bool phys, const char *progress_what);
int acc_write(struct proxy *p, long cpu, uint64_t addr, const void *buf, size_t len, bool phys);
/* Runs `monitor TEXT`, printing its output; 0 when it answered OK. When
 * `out` is given the output is collected there instead of printed. */
int acc_monitor(struct proxy *p, const char *text, char *out, size_t cap);
/* Inserts or removes a breakpoint or watchpoint (Z/z type 0-4). */
int acc_point(struct proxy *p, bool insert, int type, uint64_t addr, unsigned len);
/* Resumes: step one CPU or continue (every CPU, or the pinned one). */
int acc_resume(struct proxy *p, bool step, long cpu);
/* Text for an error reply ("E14" -> "unreadable memory (E14)"). */
const char *acc_error_text(const char *reply);

#endif
