/* Guest-physical memory for host tests of the debug engine: a plain
 * buffer behind the same gmem_* functions the monitor's guest_mem.c
 * provides, with 4-level page tables the tests build in it. */
#ifndef HUSK_TEST_FAKE_GMEM_H
#define HUSK_TEST_FAKE_GMEM_H

#include <stdint.h>

#include "pagewalk.h"

#define FAKE_GMEM_SIZE 0x20000

extern uint8_t fake_gmem[FAKE_GMEM_SIZE];
/* Writes gmem_write_phys() took (to see that nothing was written). */
extern unsigned fake_gmem_writes;

/* Clears memory and builds tables at 0x1000-0x4fff: an empty PML4, PDPT,
 * PD and PT for the low 2 MiB; returns long-mode paging registers. */
struct paging_regs fake_gmem_reset(void);
/* Maps the 4 KiB page at va (below 2 MiB) to gpa, present and writable. */
void fake_gmem_map(uint64_t va, uint64_t gpa);

#endif
