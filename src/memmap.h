/* The guest's view of physical memory: the boot loader's map with the
 * monitor's region cut out. Pure, unit-tested. */
#ifndef HUSK_MEMMAP_H
#define HUSK_MEMMAP_H

#include <stdint.h>

#define MEMMAP_MAX 64
#define MEM_USABLE 1

struct mem_range {
    uint64_t addr, len;
    uint32_t type;       /* Multiboot/E820 type: 1 usable, 2 reserved, ... */
};

/* Copies in[0..n) to out, removing [cut_start, cut_end) from every entry
 * (an entry that straddles the cut becomes two). Empty entries are dropped.
 * Returns the number of entries written, or -1 if out[max] is too small. */
int memmap_cut(const struct mem_range *in, unsigned n, uint64_t cut_start, uint64_t cut_end,
               struct mem_range *out, unsigned max);
/* The same, but only usable entries are cut; reserved ones stay as they are
 * (they describe the machine, not memory the guest may use). */
int memmap_cut_usable(const struct mem_range *in, unsigned n, uint64_t cut_start, uint64_t cut_end,
                      struct mem_range *out, unsigned max);

/* Multiboot mem_lower / mem_upper in KiB: usable RAM from 0 (at most
 * 640 KiB) and usable RAM contiguous from 1 MiB up to the first hole. */
void memmap_lower_upper(const struct mem_range *m, unsigned n, uint32_t *lower_kib, uint32_t *upper_kib);

/* True if [a, a + alen) and [b, b + blen) share a byte. */
static inline int mem_ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* The highest page-aligned address A below `limit` such that [A, A + len)
 * lies inside one usable entry and overlaps none of avoid[0..navoid).
 * Returns 0 when there is none. */
uint64_t memmap_find_free(const struct mem_range *m, unsigned n, uint64_t len, uint64_t limit,
                          const struct mem_range *avoid, unsigned navoid);

/* True if [addr, addr + len) lies entirely inside usable entries. */
int memmap_is_usable(const struct mem_range *m, unsigned n, uint64_t addr, uint64_t len);

#endif
