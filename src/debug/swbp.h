/* Software breakpoints: an int3 written into guest memory at the
 * guest-physical address the selected CPU maps the breakpoint's virtual
 * address to. The original byte is kept and shown to every memory read,
 * so the debugger never sees its own int3s. */
#ifndef HUSK_DEBUG_SWBP_H
#define HUSK_DEBUG_SWBP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pagewalk.h"

#define SWBP_MAX 64

/* Guest-virtual to guest-physical for the debugger (supervisor read
 * rights: it may look at every mapped page). TARGET_OK or TARGET_EFAULT. */
int dbg_translate(const struct paging_regs *r, uint64_t addr, uint64_t *gpa);

int swbp_insert(const struct paging_regs *r, uint64_t addr);
int swbp_remove(const struct paging_regs *r, uint64_t addr);
void swbp_remove_all(void);
unsigned swbp_count(void);
bool swbp_owns(uint64_t gpa);
/* Puts the original bytes back into a buffer read from [gpa, gpa + n). */
void swbp_shadow(uint64_t gpa, uint8_t *buf, size_t n);
/* Writes [gpa, gpa + n) keeping armed int3s armed (their saved byte takes
 * the new value). Returns 0, or -1 when the range is not guest memory. */
int swbp_write_phys(uint64_t gpa, const uint8_t *buf, size_t n);

#endif
