/* The software-breakpoint table (src/debug/swbp.c) over fake guest memory
 * with real page tables: int3s go in, the guest's bytes stay visible to
 * the debugger, and everything comes back out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "debug/swbp.h"
#include "fake_gmem.h"
#include "stub/target.h"

#define INT3 0xcc

/* Two virtual pages on non-adjacent physical pages, and an alias of the
 * first: a breakpoint set through one name is the same byte as the other. */
#define VA_A     0x10000
#define VA_B     0x11000     /* right after VA_A */
#define VA_ALIAS 0x12000     /* same physical page as VA_A */
#define GPA_A    0x8000
#define GPA_B    0x6000

static struct paging_regs regs;

static int setup(void **state)
{
    (void)state;
    regs = fake_gmem_reset();
    fake_gmem_map(VA_A, GPA_A);
    fake_gmem_map(VA_B, GPA_B);
    fake_gmem_map(VA_ALIAS, GPA_A);
    for (unsigned i = 0; i < 0x1000; i++) {
        fake_gmem[GPA_A + i] = (uint8_t)(0x10 + i);
        fake_gmem[GPA_B + i] = (uint8_t)(0x80 + i);
    }
    fake_gmem_writes = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    swbp_remove_all();
    return 0;
}

static void insert_arms_and_remove_restores(void **state)
{
    (void)state;
    uint8_t orig = fake_gmem[GPA_A + 0x20];
    assert_int_equal(swbp_insert(&regs, VA_A + 0x20), TARGET_OK);
    assert_int_equal(fake_gmem[GPA_A + 0x20], INT3);
    assert_int_equal(swbp_count(), 1);
    assert_true(swbp_owns(GPA_A + 0x20));
    assert_false(swbp_owns(GPA_A + 0x21));
    assert_int_equal(swbp_remove(&regs, VA_A + 0x20), TARGET_OK);
    assert_int_equal(fake_gmem[GPA_A + 0x20], orig);
    assert_int_equal(swbp_count(), 0);
    assert_false(swbp_owns(GPA_A + 0x20));
}

static void reads_show_the_guest_bytes(void **state)
{
    (void)state;
    uint8_t want[16], buf[16];
    memcpy(want, &fake_gmem[GPA_A + 8], sizeof want);
    assert_int_equal(swbp_insert(&regs, VA_A + 8), TARGET_OK);      /* first byte of the read */
    assert_int_equal(swbp_insert(&regs, VA_A + 15), TARGET_OK);     /* middle */
    assert_int_equal(swbp_insert(&regs, VA_A + 23), TARGET_OK);     /* last */
    memcpy(buf, &fake_gmem[GPA_A + 8], sizeof buf);
    assert_int_equal(buf[0], INT3);
    swbp_shadow(GPA_A + 8, buf, sizeof buf);
    assert_memory_equal(buf, want, sizeof want);
}

static void shadow_stays_inside_the_buffer(void **state)
{
    (void)state;
    /* breakpoints just before and just after [gpa, gpa + n) must not
     * be written into the buffer (nor past it) */
    uint8_t buf[8 + 2];
    assert_int_equal(swbp_insert(&regs, VA_A + 0x3f), TARGET_OK);
    assert_int_equal(swbp_insert(&regs, VA_A + 0x48), TARGET_OK);
    memset(buf, 0x5a, sizeof buf);
    swbp_shadow(GPA_A + 0x40, buf, 8);
    for (unsigned i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0x5a);
}

static void same_byte_twice_is_one_breakpoint(void **state)
{
    (void)state;
    uint8_t orig = fake_gmem[GPA_A + 0x30];
    assert_int_equal(swbp_insert(&regs, VA_A + 0x30), TARGET_OK);
    assert_int_equal(swbp_insert(&regs, VA_A + 0x30), TARGET_OK);
    assert_int_equal(swbp_insert(&regs, VA_ALIAS + 0x30), TARGET_OK);
    assert_int_equal(swbp_count(), 1);
    /* the second insert must not save the int3 as the guest's byte */
    uint8_t b = INT3;
    swbp_shadow(GPA_A + 0x30, &b, 1);
    assert_int_equal(b, orig);
    assert_int_equal(swbp_remove(&regs, VA_ALIAS + 0x30), TARGET_OK);
    assert_int_equal(fake_gmem[GPA_A + 0x30], orig);
    assert_int_equal(swbp_count(), 0);
}

static void adjacent_breakpoints_are_independent(void **state)
{
    (void)state;
    uint8_t o0 = fake_gmem[GPA_A + 0x50], o1 = fake_gmem[GPA_A + 0x51];
    assert_int_equal(swbp_insert(&regs, VA_A + 0x50), TARGET_OK);
    assert_int_equal(swbp_insert(&regs, VA_A + 0x51), TARGET_OK);
    assert_int_equal(swbp_count(), 2);
    assert_int_equal(swbp_remove(&regs, VA_A + 0x51), TARGET_OK);
    assert_int_equal(fake_gmem[GPA_A + 0x50], INT3);
    assert_int_equal(fake_gmem[GPA_A + 0x51], o1);
    assert_int_equal(swbp_remove(&regs, VA_A + 0x50), TARGET_OK);
    assert_int_equal(fake_gmem[GPA_A + 0x50], o0);
}

static void page_crossing_pair_lands_on_both_physical_pages(void **state)
{
    (void)state;
    uint8_t end_a = fake_gmem[GPA_A + 0xfff], start_b = fake_gmem[GPA_B];
    assert_int_equal(swbp_insert(&regs, VA_A + 0xfff), TARGET_OK);
    assert_int_equal(swbp_insert(&regs, VA_B), TARGET_OK);
    /* the byte after VA_A's last is VA_B's first, on another physical page */
    assert_int_equal(fake_gmem[GPA_A + 0xfff], INT3);
    assert_int_equal(fake_gmem[GPA_B], INT3);
    assert_int_equal(fake_gmem[GPA_A + 0x1000], 0);
    uint8_t tail[4], head[4];
    memcpy(tail, &fake_gmem[GPA_A + 0xffc], 4);
    memcpy(head, &fake_gmem[GPA_B], 4);
    swbp_shadow(GPA_A + 0xffc, tail, 4);
    swbp_shadow(GPA_B, head, 4);
    assert_int_equal(tail[3], end_a);
    assert_int_equal(head[0], start_b);
    swbp_remove_all();
    assert_int_equal(fake_gmem[GPA_A + 0xfff], end_a);
    assert_int_equal(fake_gmem[GPA_B], start_b);
}

static void remove_uses_the_address_it_was_set_at(void **state)
{
    (void)state;
    uint8_t orig = fake_gmem[GPA_A + 0x60];
    assert_int_equal(swbp_insert(&regs, VA_A + 0x60), TARGET_OK);
    /* the guest remaps the page meanwhile: the int3 is still at GPA_A */
    fake_gmem_map(VA_A, GPA_B);
    assert_int_equal(swbp_remove(&regs, VA_A + 0x60), TARGET_OK);
    assert_int_equal(fake_gmem[GPA_A + 0x60], orig);
    assert_int_equal(swbp_count(), 0);
}

static void removing_nothing_is_ok_and_writes_nothing(void **state)
{
    (void)state;
    assert_int_equal(swbp_remove(&regs, VA_A + 0x70), TARGET_OK);
    assert_int_equal(swbp_remove(&regs, 0x1ff000), TARGET_OK);  /* unmapped */
    assert_int_equal(fake_gmem_writes, 0);
}

static void unmapped_or_outside_memory_is_efault(void **state)
{
    (void)state;
    assert_int_equal(swbp_insert(&regs, 0x1ff000), TARGET_EFAULT);     /* not present */
    fake_gmem_map(0x13000, FAKE_GMEM_SIZE);                           /* no memory there */
    assert_int_equal(swbp_insert(&regs, 0x13000), TARGET_EFAULT);
    assert_int_equal(swbp_count(), 0);
    assert_int_equal(fake_gmem_writes, 0);
}

static void full_table_refuses_and_leaves_memory_alone(void **state)
{
    (void)state;
    for (unsigned i = 0; i < SWBP_MAX; i++)
        assert_int_equal(swbp_insert(&regs, VA_A + i), TARGET_OK);
    assert_int_equal(swbp_count(), SWBP_MAX);
    uint8_t orig = fake_gmem[GPA_B + 1];
    assert_int_equal(swbp_insert(&regs, VA_B + 1), TARGET_ENOSPC);
    assert_int_equal(fake_gmem[GPA_B + 1], orig);
    /* one already armed still answers OK when the table is full */
    assert_int_equal(swbp_insert(&regs, VA_A), TARGET_OK);
    /* freeing one slot makes room again */
    assert_int_equal(swbp_remove(&regs, VA_A + 3), TARGET_OK);
    assert_int_equal(swbp_insert(&regs, VA_B + 1), TARGET_OK);
    assert_int_equal(fake_gmem[GPA_B + 1], INT3);
    swbp_remove_all();
    assert_int_equal(swbp_count(), 0);
    for (unsigned i = 0; i < SWBP_MAX; i++)
        assert_int_equal(fake_gmem[GPA_A + i], (uint8_t)(0x10 + i));
    assert_int_equal(fake_gmem[GPA_B + 1], orig);
}

static void writes_over_an_armed_byte_keep_the_int3(void **state)
{
    (void)state;
    uint8_t data[4] = { 1, 2, 3, 4 };
    assert_int_equal(swbp_insert(&regs, VA_A + 0x81), TARGET_OK);
    assert_int_equal(swbp_write_phys(GPA_A + 0x80, data, sizeof data), 0);
    assert_int_equal(fake_gmem[GPA_A + 0x80], 1);
    assert_int_equal(fake_gmem[GPA_A + 0x81], INT3);   /* still armed */
    assert_int_equal(fake_gmem[GPA_A + 0x82], 3);
    assert_int_equal(fake_gmem[GPA_A + 0x83], 4);
    uint8_t back[4];
    memcpy(back, &fake_gmem[GPA_A + 0x80], 4);
    swbp_shadow(GPA_A + 0x80, back, 4);
    assert_memory_equal(back, data, 4);
    /* removing puts the written value back, not the one from before */
    assert_int_equal(swbp_remove(&regs, VA_A + 0x81), TARGET_OK);
    assert_int_equal(fake_gmem[GPA_A + 0x81], 2);
}

static void writes_outside_memory_fail(void **state)
{
    (void)state;
    uint8_t b = 0;
    assert_int_equal(swbp_write_phys(FAKE_GMEM_SIZE, &b, 1), -1);
    assert_int_equal(swbp_insert(&regs, VA_A + 0xfff), TARGET_OK);
    uint8_t two[2] = { 7, 8 };
    /* covering an armed byte and then running off the end of memory */
    assert_int_equal(swbp_write_phys(GPA_A + 0xfff, two, 2), 0);
    assert_int_equal(swbp_write_phys(FAKE_GMEM_SIZE - 1, two, 2), -1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(insert_arms_and_remove_restores),
        T(reads_show_the_guest_bytes),
        T(shadow_stays_inside_the_buffer),
        T(same_byte_twice_is_one_breakpoint),
        T(adjacent_breakpoints_are_independent),
        T(page_crossing_pair_lands_on_both_physical_pages),
        T(remove_uses_the_address_it_was_set_at),
        T(removing_nothing_is_ok_and_writes_nothing),
        T(unmapped_or_outside_memory_is_efault),
        T(full_table_refuses_and_leaves_memory_alone),
        T(writes_over_an_armed_byte_keep_the_int3),
        T(writes_outside_memory_fail),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
