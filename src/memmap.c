#include "memmap.h"

#include <stdbool.h>

static int emit(struct mem_range *out, unsigned max, int *count, uint64_t addr, uint64_t end, uint32_t type)
{
    if (end <= addr)
        return 0;
    if ((unsigned)*count >= max)
        return -1;
    out[*count] = (struct mem_range){ addr, end - addr, type };
    (*count)++;
    return 0;
}

static int cut(const struct mem_range *in, unsigned n, uint64_t cut_start, uint64_t cut_end,
               struct mem_range *out, unsigned max, bool usable_only)
{
    int count = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t a = in[i].addr, e = in[i].addr + in[i].len;
        if (e < a)
            e = UINT64_MAX;   /* wrapped: clamp instead of inventing memory */
        if (e <= cut_start || a >= cut_end || (usable_only && in[i].type != MEM_USABLE)) {
            if (emit(out, max, &count, a, e, in[i].type))
                return -1;
            continue;
        }
        if (emit(out, max, &count, a, cut_start, in[i].type) ||
            emit(out, max, &count, cut_end, e, in[i].type))
            return -1;
    }
    return count;
}

int memmap_cut(const struct mem_range *in, unsigned n, uint64_t cut_start, uint64_t cut_end,
               struct mem_range *out, unsigned max)
{
    return cut(in, n, cut_start, cut_end, out, max, false);
}

int memmap_cut_usable(const struct mem_range *in, unsigned n, uint64_t cut_start, uint64_t cut_end,
                      struct mem_range *out, unsigned max)
{
    return cut(in, n, cut_start, cut_end, out, max, true);
}

/* End of the usable run that contains addr, following touching entries. */
static uint64_t usable_run_end(const struct mem_range *m, unsigned n, uint64_t addr)
{
    uint64_t end = addr;
    for (int grown = 1; grown;) {
        grown = 0;
        for (unsigned i = 0; i < n; i++) {
            if (m[i].type != MEM_USABLE)
                continue;
            uint64_t a = m[i].addr, e = m[i].addr + m[i].len;
            if (a <= end && e > end) {
                end = e;
                grown = 1;
            }
        }
    }
    return end;
}

void memmap_lower_upper(const struct mem_range *m, unsigned n, uint32_t *lower_kib, uint32_t *upper_kib)
{
    uint64_t lower = usable_run_end(m, n, 0);
    if (lower > 640 * 1024)
        lower = 640 * 1024;
    uint64_t upper = usable_run_end(m, n, 1 << 20) - (1 << 20);
    if (upper / 1024 > UINT32_MAX)
        upper = (uint64_t)UINT32_MAX * 1024;
    *lower_kib = (uint32_t)(lower / 1024);
    *upper_kib = (uint32_t)(upper / 1024);
}

int memmap_is_usable(const struct mem_range *m, unsigned n, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return 1;
    if (addr + len < addr)
        return 0;
    return usable_run_end(m, n, addr) >= addr + len &&
           /* usable_run_end(addr) == addr when nothing covers addr itself */
           usable_run_end(m, n, addr) > addr;
}

static const struct mem_range *first_overlap(uint64_t addr, uint64_t len, const struct mem_range *avoid,
                                             unsigned navoid)
{
    for (unsigned i = 0; i < navoid; i++)
        if (mem_ranges_overlap(addr, len, avoid[i].addr, avoid[i].len))
            return &avoid[i];
    return 0;
}

uint64_t memmap_find_free(const struct mem_range *m, unsigned n, uint64_t len, uint64_t limit,
                          const struct mem_range *avoid, unsigned navoid)
{
    const uint64_t page = 0x1000;
    uint64_t best = 0;
    for (unsigned i = 0; i < n; i++) {
        if (m[i].type != MEM_USABLE || len == 0)
            continue;
        uint64_t end = m[i].addr + m[i].len < limit ? m[i].addr + m[i].len : limit;
        /* each step moves below one avoided range, so at most navoid + 1 steps */
        for (unsigned step = 0; step <= navoid && end >= len; step++) {
            uint64_t a = (end - len) & ~(page - 1);
            if (a < m[i].addr || a == 0)
                break;
            const struct mem_range *hit = first_overlap(a, len, avoid, navoid);
            if (!hit) {
                if (a > best)
                    best = a;
                break;
            }
            end = hit->addr;
        }
    }
    return best;
}
