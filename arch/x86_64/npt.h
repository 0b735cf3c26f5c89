/* Nested page tables: guest-physical = host-physical for 0..4 GiB, 2 MiB
 * pages, except
 *   - the monitor's region: absent (no entry), so no guest access reaches
 *     it; the exit handler emulates a PC with nothing behind the address;
 *   - the xAPIC page 0xFEE00000: read-only (4 KiB entry), so the guest's
 *     stores exit and INIT/SIPI can be emulated.
 * Every entry has U=1: nested walks are user accesses (APM vol. 2, 15.25.5). */
#ifndef HUSK_X86_NPT_H
#define HUSK_X86_NPT_H

#include <stdbool.h>
#include <stdint.h>

#define NPT_LIMIT (4ull << 30)

void npt_build(void);
uint64_t npt_root(void);
int npt_in_monitor(uint64_t gpa, uint64_t len);

/* The fetch trap: every guest instruction fetch faults (NX on the top
 * entry) while at least one vCPU holds it, so that vCPU exits at the first
 * instruction it fetches, e.g. the handler of an event just delivered.
 * Available only where the CPU has NX (EFER.NXE set by svm.c). A vCPU's
 * TLB may keep either setting until its next flush: callers flush. */
void npt_fetch_trap_enable(void);           /* once, with EFER.NXE set */
bool npt_fetch_trap_available(void);
void npt_fetch_trap_hold(unsigned cpu);
void npt_fetch_trap_release(unsigned cpu);
bool npt_fetch_trap_held_by(unsigned cpu);

#endif
