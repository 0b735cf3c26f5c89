/* x86_64 page walks. See pagewalk.h. Long mode, 4 KiB tables, 2 MiB and
 * 1 GiB large pages (AMD APM vol. 2, 5.3). */
#include "pagewalk.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define P_PRESENT (1ULL << 0)
#define P_RW (1ULL << 1)
#define P_PCD (1ULL << 4)
#define P_LARGE (1ULL << 7)
#define P_NX (1ULL << 63)
#define ADDR_MASK 0x000ffffffffff000ULL
#define ENTRIES 512

/* Bits of the virtual address each level indexes, top first. */
static const int level_shift[4] = { 39, 30, 21, 12 };

static uint64_t canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16);
}

int pagewalk_translate(phys_read_fn read, void *ctx, uint64_t cr3, uint64_t va,
                       uint64_t *pa, uint64_t *page_size, uint64_t *fail_pa)
{
    uint64_t table = cr3 & ADDR_MASK;
    for (int level = 0; level < 4; level++) {
        unsigned index = (unsigned)(va >> level_shift[level]) & (ENTRIES - 1);
        uint64_t entry;
        uint64_t at = table + index * 8;
        if (read(ctx, at, &entry, sizeof entry)) {
            if (fail_pa)
                *fail_pa = at;
            return PW_UNREADABLE;
        }
        if (!(entry & P_PRESENT))
            return PW_NOT_MAPPED;
        uint64_t size = 1ULL << level_shift[level];
        if (level == 3 || ((level == 1 || level == 2) && (entry & P_LARGE))) {
            *pa = (entry & ADDR_MASK & ~(size - 1)) | (va & (size - 1));
            if (page_size)
                *page_size = size;
            return PW_OK;
        }
        table = entry & ADDR_MASK;
    }
    return PW_NOT_MAPPED;
}

struct collector {
    phys_read_fn read;
    void *ctx;
    struct pw_range *ranges;
    size_t count, cap;
};

static void add(struct collector *c, uint64_t va, uint64_t pa, uint64_t size, unsigned flags)
{
    if (c->count) {
        struct pw_range *last = &c->ranges[c->count - 1];
        if (last->va + last->size == va && last->pa + last->size == pa && last->flags == flags) {
            last->size += size;
            return;
        }
    }
    if (c->count == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        struct pw_range *r = realloc(c->ranges, cap * sizeof *r);
        if (!r)
            return;
        c->ranges = r;
        c->cap = cap;
    }
    c->ranges[c->count++] = (struct pw_range){ va, pa, size, flags };
}

static void walk(struct collector *c, uint64_t table, int level, uint64_t va_base, unsigned flags)
{
    uint64_t entries[ENTRIES];
    if (c->read(c->ctx, table, entries, sizeof entries))
        return;
    for (unsigned i = 0; i < ENTRIES; i++) {
        uint64_t e = entries[i];
        if (!(e & P_PRESENT))
            continue;
        uint64_t size = 1ULL << level_shift[level];
        uint64_t va = canonical(va_base | (uint64_t)i << level_shift[level]);
        unsigned f = flags;
        if (!(e & P_RW))
            f &= ~PW_W;
        if (e & P_NX)
            f &= ~PW_X;
        if (level == 3 || ((level == 1 || level == 2) && (e & P_LARGE)))
            add(c, va, e & ADDR_MASK & ~(size - 1), size, f | ((e & P_PCD) ? PW_UNCACHED : 0));
        else
            walk(c, e & ADDR_MASK, level + 1, va, f);
    }
}

int pagewalk_ranges(phys_read_fn read, void *ctx, uint64_t cr3,
                    struct pw_range **out, size_t *count)
{
    struct collector c = { read, ctx, NULL, 0, 0 };
    uint64_t probe;
    if (read(ctx, cr3 & ADDR_MASK, &probe, sizeof probe))
        return PW_UNREADABLE;
    walk(&c, cr3 & ADDR_MASK, 0, 0, PW_R | PW_W | PW_X);
    *out = c.ranges;
    *count = c.count;
    return PW_OK;
}
