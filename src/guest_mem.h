/* Guest memory access for the monitor: physical (refusing the monitor's
 * region) and virtual through the guest's own page tables. */
#ifndef HUSK_GUEST_MEM_H
#define HUSK_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "pagewalk.h"

/* 0, or -1 when any byte is not guest memory. */
int gmem_read_phys(uint64_t gpa, void *buf, size_t len);
int gmem_write_phys(uint64_t gpa, const void *buf, size_t len);

/* Reads/writes through the guest's paging, page by page; returns WALK_OK or
 * the failing walk's status (nothing is written past a failing page). */
enum walk_status gmem_read_virt(const struct paging_regs *r, uint64_t va, void *buf, size_t len,
                                unsigned access);
enum walk_status gmem_write_virt(const struct paging_regs *r, uint64_t va, const void *buf, size_t len,
                                 unsigned access);

/* The walker's table reader over guest-physical memory. */
bool gmem_pte_reader(void *opaque, uint64_t gpa, unsigned size, uint64_t *value);

#endif
