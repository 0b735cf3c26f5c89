/* Guest memory access: physical (refusing the monitor's hole) and virtual
 * across pages, over a fake arch_guest_phys(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "guest_mem.h"

#define MEM_SIZE (1u << 20)
#define HOLE_START 0x80000u       /* stands in for the monitor region */
#define HOLE_END   0x90000u
static uint8_t mem[MEM_SIZE];

void *arch_guest_phys(uint64_t gpa, size_t len)
{
    if (gpa + len < gpa || gpa + len > MEM_SIZE || (gpa < HOLE_END && HOLE_START < gpa + len))
        return NULL;
    return mem + gpa;
}

static void put64(uint64_t gpa, uint64_t v) { memcpy(mem + gpa, &v, 8); }

/* 4-level tables: virtual 0x400000 -> 0x7000, 0x401000 -> 0x3000 (not
 * adjacent), 0x402000 read-only -> 0x5000, 0x403000 -> the hole */
static const struct paging_regs regs = { (1ull << 31) | (1ull << 16) | 1, 0x1000, 1u << 5, 1u << 10 };

static int setup(void **state)
{
    (void)state;
    memset(mem, 0, sizeof mem);
    put64(0x1000, 0x2000 | 7);
    put64(0x2000, 0x4000 | 7);
    put64(0x4000 + 2 * 8, 0x6000 | 7);       /* PD[2]: 0x400000 */
    put64(0x6000 + 0 * 8, 0x7000 | 7);
    put64(0x6000 + 1 * 8, 0x3000 | 7);
    put64(0x6000 + 2 * 8, 0x5000 | 5);
    put64(0x6000 + 3 * 8, HOLE_START | 7);
    return 0;
}

static void test_phys(void **state)
{
    (void)state;
    uint32_t v = 0x11223344, r = 0;
    assert_int_equal(gmem_write_phys(0x100, &v, 4), 0);
    assert_int_equal(gmem_read_phys(0x100, &r, 4), 0);
    assert_int_equal(r, 0x11223344);
    assert_int_equal(gmem_read_phys(HOLE_START - 2, &r, 4), -1);   /* straddles the hole */
    assert_int_equal(gmem_write_phys(HOLE_START + 0x10, &v, 4), -1);
    assert_int_equal(gmem_read_phys(MEM_SIZE - 2, &r, 4), -1);
    uint64_t e = 0;
    assert_false(gmem_pte_reader(NULL, HOLE_START, 8, &e));
    assert_true(gmem_pte_reader(NULL, 0x1000, 8, &e));
    assert_int_equal(e, 0x2000 | 7);
}

static void test_virt_across_pages(void **state)
{
    (void)state;
    memcpy(mem + 0x7ffc, "ABCD", 4);
    memcpy(mem + 0x3000, "EFGH", 4);
    char buf[9] = { 0 };
    assert_int_equal(gmem_read_virt(&regs, 0x400ffc, buf, 8, WALK_READ), WALK_OK);
    assert_string_equal(buf, "ABCDEFGH");
    assert_int_equal(gmem_write_virt(&regs, 0x400ffe, "xyzw", 4, WALK_READ), WALK_OK);
    assert_memory_equal(mem + 0x7ffe, "xy", 2);
    assert_memory_equal(mem + 0x3000, "zw", 2);
}

static void test_virt_faults(void **state)
{
    (void)state;
    char buf[4];
    /* write to a read-only page: nothing written */
    mem[0x5000] = 0x55;
    assert_int_equal(gmem_write_virt(&regs, 0x402000, "a", 1, WALK_READ), WALK_PROTECTION);
    assert_int_equal(mem[0x5000], 0x55);
    assert_int_equal(gmem_read_virt(&regs, 0x402000, buf, 1, WALK_READ), WALK_OK);
    /* a mapping onto the monitor's hole is unreadable */
    assert_int_equal(gmem_read_virt(&regs, 0x403000, buf, 4, WALK_READ), WALK_UNREADABLE);
    /* unmapped */
    assert_int_equal(gmem_read_virt(&regs, 0x404000, buf, 4, WALK_READ), WALK_NOT_PRESENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_phys, setup),
        cmocka_unit_test_setup(test_virt_across_pages, setup),
        cmocka_unit_test_setup(test_virt_faults, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
