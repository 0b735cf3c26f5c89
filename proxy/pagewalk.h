/* x86_64 4-level page-table walks over physical memory read through a
 * callback: one translation (vtop) or every mapping (core files). */
#ifndef PROXY_PAGEWALK_H
#define PROXY_PAGEWALK_H

#include <stddef.h>
#include <stdint.h>

/* Reads physical memory; returns 0, or -1 when unreadable. */
typedef int (*phys_read_fn)(void *ctx, uint64_t pa, void *buf, size_t len);

/* Segment permissions, as in ELF program headers. */
#define PW_X 1u
#define PW_W 2u
#define PW_R 4u
/* Not a permission: the mapping is uncacheable (PCD), i.e. device memory
 * such as the LAPIC. Reading it can have side effects; cores skip it. */
#define PW_UNCACHED 8u

struct pw_range {
    uint64_t va, pa, size;
    unsigned flags;           /* PW_R, plus PW_W / PW_X when every level allows,
                                 PW_UNCACHED when the final entry has PCD */
};

enum pw_status { PW_OK = 0, PW_NOT_MAPPED = -1, PW_UNREADABLE = -2 };

/* Translates one address; on PW_UNREADABLE `fail_pa` names the table. */
int pagewalk_translate(phys_read_fn read, void *ctx, uint64_t cr3, uint64_t va,
                       uint64_t *pa, uint64_t *page_size, uint64_t *fail_pa);

/* Every present mapping under cr3, merged where virtual and physical
 * ranges and permissions continue, sorted by va. *out is malloc'd. Returns
 * PW_OK or PW_UNREADABLE when the top-level table cannot be read (lower
 * tables that cannot be read are skipped). */
int pagewalk_ranges(phys_read_fn read, void *ctx, uint64_t cr3,
                    struct pw_range **out, size_t *count);

#endif
