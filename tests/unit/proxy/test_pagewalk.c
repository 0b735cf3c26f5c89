/* Page walks over fake physical memory holding real x86_64 tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "pagewalk.h"

#define MEM_SIZE (64 * 4096)
static uint8_t mem[MEM_SIZE];

static int read_mem(void *ctx, uint64_t pa, void *buf, size_t len)
{
    (void)ctx;
    if (pa + len > MEM_SIZE)
        return -1;
    memcpy(buf, mem + pa, len);
    return 0;
}

static void set_entry(uint64_t table, unsigned index, uint64_t value)
{
    memcpy(mem + table + index * 8, &value, 8);
}

#define P 1ULL
#define RW 2ULL
#define PS (1ULL << 7)
#define NX (1ULL << 63)
#define PCD (1ULL << 4)

/* PML4 at 0x1000. Low half: 0x400000 -> 4 KiB pages 0x5000 (RW) and 0x6000
 * (read-only, NX). High half 0xffffffff80000000 -> a 2 MiB page at 0x200000.
 * A PDPT entry pointing outside memory is skipped. */
static uint64_t build(void)
{
    memset(mem, 0, sizeof mem);
    set_entry(0x1000, 0, 0x2000 | P | RW);          /* PML4[0] -> PDPT 0x2000 */
    set_entry(0x2000, 0, 0x3000 | P | RW);          /* PDPT[0] -> PD 0x3000 */
    set_entry(0x3000, 2, 0x4000 | P | RW);          /* PD[2] (0x400000) -> PT 0x4000 */
    set_entry(0x4000, 0, 0x5000 | P | RW);
    set_entry(0x4000, 1, 0x6000 | P | NX);
    set_entry(0x2000, 5, 0x7fff0000 | P | RW);      /* unreadable table */
    set_entry(0x1000, 511, 0x8000 | P | RW);        /* PML4[511] -> PDPT 0x8000 */
    set_entry(0x8000, 510, 0x9000 | P | RW);        /* PDPT[510] -> PD 0x9000 */
    set_entry(0x9000, 0, 0x200000 | P | RW | PS);   /* 2 MiB page */
    return 0x1000;
}

static void translates(void **state)
{
    (void)state;
    uint64_t cr3 = build(), pa, size, bad;
    assert_int_equal(pagewalk_translate(read_mem, NULL, cr3, 0x400123, &pa, &size, &bad), PW_OK);
    assert_int_equal(pa, 0x5123);
    assert_int_equal(size, 4096);
    assert_int_equal(pagewalk_translate(read_mem, NULL, cr3, 0xffffffff80012345ULL, &pa, &size, &bad), PW_OK);
    assert_int_equal(pa, 0x212345);
    assert_int_equal(size, 2 << 20);
    assert_int_equal(pagewalk_translate(read_mem, NULL, cr3, 0x402000, &pa, &size, &bad), PW_NOT_MAPPED);
    assert_int_equal(pagewalk_translate(read_mem, NULL, cr3, 5ULL << 30, &pa, &size, &bad), PW_UNREADABLE);
    assert_int_equal(bad, 0x7fff0000);
}

static void lists_and_merges_ranges(void **state)
{
    (void)state;
    uint64_t cr3 = build();
    struct pw_range *r;
    size_t n;
    assert_int_equal(pagewalk_ranges(read_mem, NULL, cr3, &r, &n), PW_OK);
    assert_int_equal(n, 3);   /* different permissions keep 0x400000 and 0x401000 apart */
    assert_int_equal(r[0].va, 0x400000);
    assert_int_equal(r[0].pa, 0x5000);
    assert_int_equal(r[0].size, 4096);
    assert_int_equal(r[0].flags, PW_R | PW_W | PW_X);
    assert_int_equal(r[1].va, 0x401000);
    assert_int_equal(r[1].flags, PW_R);
    assert_int_equal(r[2].va, 0xffffffff80000000ULL);
    assert_int_equal(r[2].pa, 0x200000);
    assert_int_equal(r[2].size, 2 << 20);
    free(r);

    /* Contiguous pages with the same rights merge into one range. */
    set_entry(0x4000, 1, 0x6000 | P | RW);
    assert_int_equal(pagewalk_ranges(read_mem, NULL, cr3, &r, &n), PW_OK);
    assert_int_equal(n, 2);
    assert_int_equal(r[0].size, 8192);
    free(r);
}

static void flags_uncached_mappings(void **state)
{
    (void)state;
    uint64_t cr3 = build();
    set_entry(0x9000, 1, 0xfee00000 | P | RW | PS | PCD);   /* an MMIO 2 MiB page */
    struct pw_range *r;
    size_t n;
    assert_int_equal(pagewalk_ranges(read_mem, NULL, cr3, &r, &n), PW_OK);
    assert_int_equal(n, 4);
    assert_int_equal(r[3].va, 0xffffffff80200000ULL);
    assert_int_equal(r[3].pa, 0xfee00000);
    assert_true(r[3].flags & PW_UNCACHED);
    assert_false(r[2].flags & PW_UNCACHED);
    free(r);
}

static void unreadable_top_level(void **state)
{
    (void)state;
    struct pw_range *r;
    size_t n;
    assert_int_equal(pagewalk_ranges(read_mem, NULL, 0x11000000, &r, &n), PW_UNREADABLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(translates),
        cmocka_unit_test(lists_and_merges_ranges),
        cmocka_unit_test(flags_uncached_mappings),
        cmocka_unit_test(unreadable_top_level),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
