/* The guest page walker on hand-built page tables in a fake guest memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pagewalk.h"

#define MEM_SIZE (1u << 20)
static uint8_t mem[MEM_SIZE];

static bool reader(void *opaque, uint64_t gpa, unsigned size, uint64_t *value)
{
    (void)opaque;
    if (gpa + size > MEM_SIZE)
        return false;
    uint64_t v = 0;
    memcpy(&v, mem + gpa, size);
    *value = v;
    return true;
}

static void put64(uint64_t gpa, uint64_t v) { memcpy(mem + gpa, &v, 8); }
static void put32(uint64_t gpa, uint32_t v) { memcpy(mem + gpa, &v, 4); }

#define P  1ull
#define W  2ull
#define U  4ull
#define PS 0x80ull
#define NX (1ull << 63)

#define CR0_PG (1ull << 31)
#define CR0_WP (1ull << 16)
#define CR0_PE 1ull
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

static struct walk_result res;

static enum walk_status walk(const struct paging_regs *r, uint64_t va, unsigned access)
{
    memset(&res, 0, sizeof res);
    return page_walk(r, va, access, reader, NULL, &res);
}

/* 4-level: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000 */
static int setup_4level(void **state)
{
    (void)state;
    memset(mem, 0, sizeof mem);
    put64(0x1000 + 0 * 8, 0x2000 | P | W | U);
    put64(0x1000 + 256 * 8, 0x2000 | P | W);              /* higher half, supervisor only */
    put64(0x2000 + 0 * 8, 0x3000 | P | W | U);
    put64(0x2000 + 1 * 8, 0x40000000 | P | U | PS);       /* 1 GiB read-only */
    put64(0x3000 + 0 * 8, 0x4000 | P | W | U);
    put64(0x3000 + 1 * 8, 0x00a00000 | P | W | U | PS);   /* 2 MiB */
    put64(0x4000 + 5 * 8, 0x7000 | P | W | U);
    put64(0x4000 + 6 * 8, 0x8000 | P | W | U | NX);
    put64(0x4000 + 7 * 8, 0x9000 | P | W);                /* supervisor */
    put64(0x4000 + 8 * 8, 0x9000);                        /* not present */
    put64(0x4000 + 9 * 8, 0x000ffffffffff000ull | P | W | U);  /* highest frame */
    return 0;
}

static const struct paging_regs long_mode = { CR0_PG | CR0_WP | CR0_PE, 0x1000, CR4_PAE, EFER_LMA | EFER_NXE };

static void test_4level_4k(void **state)
{
    (void)state;
    assert_int_equal(paging_mode_of(&long_mode), PAGING_4LEVEL);
    assert_int_equal(walk(&long_mode, 0x5123, WALK_READ), WALK_OK);
    assert_int_equal(res.gpa, 0x7123);
    assert_int_equal(res.page_size, 4096);
    assert_true(res.writable);
    assert_true(res.user);
    assert_false(res.nx);
    assert_int_equal(walk(&long_mode, 0x9fff, WALK_READ), WALK_OK);
    assert_int_equal(res.gpa, 0x000fffffffffffffull);
}

static void test_4level_large_pages(void **state)
{
    (void)state;
    assert_int_equal(walk(&long_mode, 0x200000 + 0x12345, WALK_WRITE), WALK_OK);
    assert_int_equal(res.gpa, 0xa12345);
    assert_int_equal(res.page_size, 2u << 20);
    assert_int_equal(walk(&long_mode, 0x40000000 + 0x345678, WALK_READ | WALK_USER), WALK_OK);
    assert_int_equal(res.gpa, 0x40345678);
    assert_int_equal(res.page_size, 1u << 30);
    assert_false(res.writable);
}

static void test_4level_permissions(void **state)
{
    (void)state;
    /* read-only 1 GiB page: supervisor write faults only with CR0.WP */
    assert_int_equal(walk(&long_mode, 0x40000000, WALK_WRITE), WALK_PROTECTION);
    struct paging_regs no_wp = long_mode;
    no_wp.cr0 &= ~CR0_WP;
    assert_int_equal(walk(&no_wp, 0x40000000, WALK_WRITE), WALK_OK);
    assert_int_equal(walk(&no_wp, 0x40000000, WALK_WRITE | WALK_USER), WALK_PROTECTION);
    /* NX: fetch faults, read works */
    assert_int_equal(walk(&long_mode, 0x6000, WALK_FETCH), WALK_PROTECTION);
    assert_int_equal(walk(&long_mode, 0x6000, WALK_READ), WALK_OK);
    assert_true(res.nx);
    /* NX bit with EFER.NXE clear is a reserved bit */
    struct paging_regs no_nxe = long_mode;
    no_nxe.efer &= ~EFER_NXE;
    assert_int_equal(walk(&no_nxe, 0x6000, WALK_READ), WALK_RESERVED);
    /* supervisor page from user mode */
    assert_int_equal(walk(&long_mode, 0x7000, WALK_READ | WALK_USER), WALK_PROTECTION);
    assert_int_equal(walk(&long_mode, 0x7000, WALK_READ), WALK_OK);
    assert_false(res.user);
}

static void test_4level_faults(void **state)
{
    (void)state;
    assert_int_equal(walk(&long_mode, 0x8000, WALK_READ), WALK_NOT_PRESENT);
    assert_int_equal(walk(&long_mode, 0x0000800000000000ull, WALK_READ), WALK_RESERVED);   /* non-canonical */
    assert_int_equal(walk(&long_mode, 0x8000000000ull, WALK_READ), WALK_NOT_PRESENT);      /* PML4[1] empty */
    /* higher half uses PML4[256] (supervisor only) */
    assert_int_equal(walk(&long_mode, 0xffff800000005010ull, WALK_READ), WALK_OK);
    assert_int_equal(res.gpa, 0x7010);
    assert_int_equal(walk(&long_mode, 0xffff800000005010ull, WALK_READ | WALK_USER), WALK_PROTECTION);
    /* tables outside guest memory */
    struct paging_regs far = long_mode;
    far.cr3 = 0x40000000;
    assert_int_equal(walk(&far, 0x1000, WALK_READ), WALK_UNREADABLE);
    struct paging_regs la57 = long_mode;
    la57.cr4 |= CR4_LA57;
    assert_int_equal(walk(&la57, 0x1000, WALK_READ), WALK_UNSUPPORTED);
}

/* PAE: PDPT at 0x10020 (32-byte aligned), PD 0x11000, PT 0x12000 */
static void test_pae(void **state)
{
    (void)state;
    memset(mem, 0, sizeof mem);
    put64(0x10020, 0x11000 | P);
    put64(0x10020 + 3 * 8, 0x11000 | P);
    put64(0x11000 + 0 * 8, 0x12000 | P | W);
    put64(0x11000 + 1 * 8, 0x600000 | P | PS);
    put64(0x12000 + 3 * 8, 0x55000 | P | W | NX);
    struct paging_regs pae = { CR0_PG | CR0_WP | CR0_PE, 0x10020, CR4_PAE, EFER_NXE };
    assert_int_equal(paging_mode_of(&pae), PAGING_PAE);
    assert_int_equal(walk(&pae, 0x3456, WALK_WRITE), WALK_OK);
    assert_int_equal(res.gpa, 0x55456);
    assert_int_equal(walk(&pae, 0x3456, WALK_FETCH), WALK_PROTECTION);
    assert_int_equal(walk(&pae, 0x200123, WALK_READ), WALK_OK);
    assert_int_equal(res.gpa, 0x600123);
    assert_int_equal(res.page_size, 2u << 20);
    assert_int_equal(walk(&pae, 0x200123, WALK_WRITE), WALK_PROTECTION);
    /* the top 1 GiB through PDPTE 3, same PD */
    assert_int_equal(walk(&pae, 0xc0003456ull, WALK_READ), WALK_OK);
    assert_int_equal(res.gpa, 0x55456);
    assert_int_equal(walk(&pae, 0x40000000, WALK_READ), WALK_NOT_PRESENT);
}

/* 32-bit: PD 0x20000, PT 0x21000 */
static void test_32bit(void **state)
{
    (void)state;
    memset(mem, 0, sizeof mem);
    put32(0x20000 + 0 * 4, 0x21000 | P | W | U);
    put32(0x20000 + 1 * 4, 0x00800000 | P | W | PS);                 /* 4 MiB */
    put32(0x20000 + 2 * 4, 0x00c00000 | (1u << 13) | P | PS);        /* PSE-36: bit 32 */
    put32(0x21000 + 1 * 4, 0x66000 | P | U);
    struct paging_regs r32 = { CR0_PG | CR0_WP | CR0_PE, 0x20000, CR4_PSE, 0 };
    assert_int_equal(paging_mode_of(&r32), PAGING_32);
    assert_int_equal(walk(&r32, 0x1abc, WALK_READ | WALK_USER), WALK_OK);
    assert_int_equal(res.gpa, 0x66abc);
    assert_int_equal(walk(&r32, 0x1abc, WALK_WRITE), WALK_PROTECTION);
    assert_int_equal(walk(&r32, 0x400000 + 0x12345, WALK_WRITE), WALK_OK);
    assert_int_equal(res.gpa, 0x812345);
    assert_int_equal(res.page_size, 4u << 20);
    assert_int_equal(walk(&r32, 0x800000 + 0x10, WALK_READ), WALK_OK);
    assert_int_equal(res.gpa, 0x100c00010ull);
    assert_int_equal(walk(&r32, 0x2000, WALK_READ), WALK_NOT_PRESENT);
    /* without CR4.PSE the PS bit is ignored: the entry points at a table */
    struct paging_regs nopse = r32;
    nopse.cr4 = 0;
    assert_int_equal(walk(&nopse, 0x400000, WALK_READ), WALK_UNREADABLE);
}

static void test_paging_off(void **state)
{
    (void)state;
    struct paging_regs off = { CR0_PE, 0, 0, 0 };
    assert_int_equal(paging_mode_of(&off), PAGING_OFF);
    assert_int_equal(walk(&off, 0x12345678, WALK_WRITE | WALK_FETCH), WALK_OK);
    assert_int_equal(res.gpa, 0x12345678);
    assert_int_equal(walk(&off, 0x100001000ull, WALK_READ), WALK_OK);
    assert_int_equal(res.gpa, 0x1000);
    assert_string_equal(walk_status_name(WALK_NOT_PRESENT), "not present");
    assert_string_equal(walk_status_name((enum walk_status)99), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_4level_4k, setup_4level),
        cmocka_unit_test_setup(test_4level_large_pages, setup_4level),
        cmocka_unit_test_setup(test_4level_permissions, setup_4level),
        cmocka_unit_test_setup(test_4level_faults, setup_4level),
        cmocka_unit_test(test_pae),
        cmocka_unit_test(test_32bit),
        cmocka_unit_test(test_paging_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
