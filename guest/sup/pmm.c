#include "pmm.h"
#include "layout.h"
#include "../lib/spinlock.h"
#include "../lib/string.h"

/* A bump allocator over the available ranges, sorted by address. Frames are
 * never returned: shards are few and finite (see docs/guest.md). */
static struct mem_range ranges[MAX_MEM_RANGES];
static int nranges;
static int cur;
static uint64_t next;
static uint64_t top;
static struct spinlock pmm_lock;

void pmm_init(const struct boot_info *bi)
{
    nranges = 0;
    for (int i = 0; i < bi->navail; i++) {
        uint64_t b = (bi->avail[i].base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        uint64_t e = (bi->avail[i].base + bi->avail[i].len) & ~(PAGE_SIZE - 1);
        if (e > top)
            top = e;
        if (b < FRAMES_FROM)
            b = FRAMES_FROM;
        if (e <= b)
            continue;
        int j = nranges++;      /* insertion sort by base */
        while (j > 0 && ranges[j - 1].base > b) {
            ranges[j] = ranges[j - 1];
            j--;
        }
        ranges[j].base = b;
        ranges[j].len = e - b;
    }
    cur = 0;
    next = nranges ? ranges[0].base : 0;
}

uint64_t pmm_alloc(void)
{
    uint64_t pa = 0;
    spin_lock(&pmm_lock);
    while (cur < nranges && next >= ranges[cur].base + ranges[cur].len) {
        cur++;
        if (cur < nranges)
            next = ranges[cur].base;
    }
    if (cur < nranges) {
        pa = next;
        next += PAGE_SIZE;
    }
    spin_unlock(&pmm_lock);
    if (pa)
        memset(phys_to_virt(pa), 0, PAGE_SIZE);
    return pa;
}

uint64_t pmm_free_frames(void)
{
    uint64_t n = 0;
    spin_lock(&pmm_lock);
    for (int i = cur; i < nranges; i++) {
        uint64_t from = i == cur ? next : ranges[i].base;
        n += (ranges[i].base + ranges[i].len - from) / PAGE_SIZE;
    }
    spin_unlock(&pmm_lock);
    return n;
}

uint64_t pmm_top(void)
{
    return top;
}
