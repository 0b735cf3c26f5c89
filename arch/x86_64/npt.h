/* Nested page tables: guest-physical = host-physical for 0..4 GiB, 2 MiB
 * pages, except
 *   - the monitor's region: absent (no entry), so no guest access reaches
 *     it; the exit handler emulates a PC with nothing behind the address;
 *   - the xAPIC page 0xFEE00000: read-only (4 KiB entry), so the guest's
 *     stores exit and INIT/SIPI can be emulated.
 * Every entry has U=1: nested walks are user accesses (APM vol. 2, 15.25.5). */
#ifndef HUSK_X86_NPT_H
#define HUSK_X86_NPT_H

#include <stdint.h>

#define NPT_LIMIT (4ull << 30)

void npt_build(void);
uint64_t npt_root(void);
int npt_in_monitor(uint64_t gpa, uint64_t len);

#endif
