/* The guest's memory map: the monitor region cut out of QEMU's map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "memmap.h"

/* what QEMU 7.2 / SeaBIOS report for -m 512M */
static const struct mem_range qemu_map[] = {
    { 0x0, 0x9fc00, 1 },
    { 0x9fc00, 0x400, 2 },
    { 0xf0000, 0x10000, 2 },
    { 0x100000, 0x1fee0000, 1 },
    { 0x1ffe0000, 0x20000, 2 },
    { 0xfffc0000, 0x40000, 2 },
};
#define N (sizeof qemu_map / sizeof qemu_map[0])

static void test_cut_monitor_region(void **state)
{
    (void)state;
    struct mem_range out[MEMMAP_MAX];
    int n = memmap_cut(qemu_map, N, 0x1000000, 0x1200000, out, MEMMAP_MAX);
    assert_int_equal(n, 7);
    assert_int_equal(out[3].addr, 0x100000);
    assert_int_equal(out[3].len, 0xf00000);
    assert_int_equal(out[3].type, 1);
    assert_int_equal(out[4].addr, 0x1200000);
    assert_int_equal(out[4].len, 0x1ffe0000 - 0x1200000);
    assert_int_equal(out[5].addr, 0x1ffe0000);
    /* nothing in the output touches the region */
    for (int i = 0; i < n; i++)
        assert_true(out[i].addr + out[i].len <= 0x1000000 || out[i].addr >= 0x1200000);
    uint32_t lo, up;
    memmap_lower_upper(out, (unsigned)n, &lo, &up);
    assert_int_equal(lo, 639);
    assert_int_equal(up, 15 * 1024);     /* contiguous from 1 MiB up to the hole */
    memmap_lower_upper(qemu_map, N, &lo, &up);
    assert_int_equal(up, (0x1ffe0000 - 0x100000) / 1024);
}

static void test_cut_edges(void **state)
{
    (void)state;
    struct mem_range out[MEMMAP_MAX];
    const struct mem_range one[] = { { 0x1000, 0x3000, 1 } };
    /* cut covering the whole entry drops it */
    assert_int_equal(memmap_cut(one, 1, 0x0, 0x10000, out, MEMMAP_MAX), 0);
    /* cut at the start and at the end */
    assert_int_equal(memmap_cut(one, 1, 0x1000, 0x2000, out, MEMMAP_MAX), 1);
    assert_int_equal(out[0].addr, 0x2000);
    assert_int_equal(out[0].len, 0x2000);
    assert_int_equal(memmap_cut(one, 1, 0x3000, 0x5000, out, MEMMAP_MAX), 1);
    assert_int_equal(out[0].addr, 0x1000);
    assert_int_equal(out[0].len, 0x2000);
    /* disjoint: unchanged */
    assert_int_equal(memmap_cut(one, 1, 0x8000, 0x9000, out, MEMMAP_MAX), 1);
    assert_int_equal(out[0].len, 0x3000);
    /* output too small for the split */
    assert_int_equal(memmap_cut(one, 1, 0x2000, 0x3000, out, 1), -1);
    /* an entry whose end wraps is clamped, not turned into a tiny range */
    const struct mem_range wrap[] = { { 0xfffffffffffff000ull, 0x2000, 2 } };
    assert_int_equal(memmap_cut(wrap, 1, 0, 0x1000, out, MEMMAP_MAX), 1);
    assert_int_equal(out[0].addr, 0xfffffffffffff000ull);
}

static void test_cut_usable_only(void **state)
{
    (void)state;
    /* RAM above 4 GiB goes, the reserved hole up there stays */
    const struct mem_range map[] = {
        { 0x100000, 0x7ff00000, 1 },
        { 0x100000000ull, 0x40000000, 1 },
        { 0xfd00000000ull, 0x300000000ull, 2 },
        { 0xfff00000ull, 0x200000ull, 1 },           /* straddles 4 GiB */
    };
    struct mem_range out[MEMMAP_MAX];
    int n = memmap_cut_usable(map, 4, 1ull << 32, UINT64_MAX, out, MEMMAP_MAX);
    assert_int_equal(n, 3);
    assert_int_equal(out[0].addr, 0x100000);
    assert_int_equal(out[1].addr, 0xfd00000000ull);
    assert_int_equal(out[1].type, 2);
    assert_int_equal(out[2].addr, 0xfff00000ull);
    assert_int_equal(out[2].len, 0x100000);
    /* memmap_cut would have taken the reserved entry too */
    assert_int_equal(memmap_cut(map, 4, 1ull << 32, UINT64_MAX, out, MEMMAP_MAX), 2);
}

static void test_is_usable(void **state)
{
    (void)state;
    assert_true(memmap_is_usable(qemu_map, N, 0x100000, 0x100000));
    assert_true(memmap_is_usable(qemu_map, N, 0x0, 0x9fc00));
    assert_false(memmap_is_usable(qemu_map, N, 0x9f000, 0x1000));      /* runs into reserved */
    assert_false(memmap_is_usable(qemu_map, N, 0xf0000, 0x10));        /* reserved */
    assert_false(memmap_is_usable(qemu_map, N, 0x30000000, 0x10));     /* beyond RAM */
    assert_false(memmap_is_usable(qemu_map, N, 0xfffffffffffff000ull, 0x2000));   /* wraps */
    /* two touching usable entries count as one run */
    const struct mem_range split[] = { { 0x100000, 0x100000, 1 }, { 0x200000, 0x100000, 1 } };
    assert_true(memmap_is_usable(split, 2, 0x1ff000, 0x2000));
    uint32_t lo, up;
    memmap_lower_upper(split, 2, &lo, &up);
    assert_int_equal(lo, 0);
    assert_int_equal(up, 2048);
}

/* Where the monitor moves a guest module that GRUB left under the guest's
 * own load address: the highest free page-aligned place below the limit. */
static void test_find_free(void **state)
{
    (void)state;
    const struct mem_range avoid[] = {
        { 0x100000, 0x300000, 0 },      /* the guest's segments */
        { 0x1ffd0000, 0x8000, 0 },      /* something near the top */
    };
    /* top of the big usable entry, below the avoided range there */
    uint64_t a = memmap_find_free(qemu_map, N, 0x20000, UINT64_MAX, avoid, 2);
    assert_int_equal(a, 0x1ffd0000 - 0x20000);
    assert_int_equal(a & 0xfff, 0);
    /* the limit caps the search */
    a = memmap_find_free(qemu_map, N, 0x1000, 0x800000, avoid, 2);
    assert_int_equal(a, 0x7ff000);
    /* too big for any usable entry */
    assert_int_equal(memmap_find_free(qemu_map, N, 0x40000000, UINT64_MAX, avoid, 2), 0);
    /* every usable byte avoided: nothing */
    const struct mem_range all[] = { { 0, 0x20000000, 0 } };
    assert_int_equal(memmap_find_free(qemu_map, N, 0x1000, UINT64_MAX, all, 1), 0);
    /* a result never overlaps what it must avoid, nor leaves usable memory */
    a = memmap_find_free(qemu_map, N, 0x280000, 0x500000, avoid, 2);
    assert_true(a == 0 || a + 0x280000 <= 0x100000 || a >= 0x400000);
    assert_true(a == 0 || memmap_is_usable(qemu_map, N, a, 0x280000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_monitor_region),
        cmocka_unit_test(test_find_free),
        cmocka_unit_test(test_cut_edges),
        cmocka_unit_test(test_cut_usable_only),
        cmocka_unit_test(test_is_usable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
