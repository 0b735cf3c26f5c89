/* cmocka tests of the debugger's hardware breakpoint table (src/debug/hwbp.c):
 * slot allocation, DR7 encoding checked field by field against APM vol. 2,
 * 13.1.1.5, errors, reference counts, generations and read emulation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "debug/hwbp.h"

void arch_cpu_relax(void) {}

/* DR7 fields of slot i, decoded independently of hwbp.c */
static unsigned dr7_l(uint64_t dr7, unsigned i) { return (dr7 >> (2 * i)) & 1; }
static unsigned dr7_g(uint64_t dr7, unsigned i) { return (dr7 >> (2 * i + 1)) & 1; }
static unsigned dr7_rw(uint64_t dr7, unsigned i) { return (dr7 >> (16 + 4 * i)) & 3; }
static unsigned dr7_len(uint64_t dr7, unsigned i) { return (dr7 >> (18 + 4 * i)) & 3; }

static uint64_t current_dr7(void)
{
    struct hwbp_slot s[HWBP_SLOTS];
    hwbp_snapshot(s);
    return hwbp_dr7_bits(s);
}

static unsigned current_mask(void)
{
    struct hwbp_slot s[HWBP_SLOTS];
    hwbp_snapshot(s);
    return hwbp_used_mask(s);
}

static uint8_t fake_mem[16];
static bool fake_read_ok = true;
static bool fake_read(uint64_t addr, void *buf, unsigned len)
{
    if (!fake_read_ok || addr < 0x1000 || addr + len > 0x1000 + sizeof fake_mem)
        return false;
    memcpy(buf, fake_mem + (addr - 0x1000), len);
    return true;
}

static int setup(void **state)
{
    (void)state;
    hwbp_clear_all();
    hwbp_set_reader(fake_read);
    fake_read_ok = true;
    memset(fake_mem, 0, sizeof fake_mem);
    return 0;
}

/* One row per (type, len): the R/W and LEN fields the APM prescribes. */
static const struct {
    enum point_type type;
    unsigned len;
    unsigned rw, lenf;
} encodings[] = {
    { POINT_HW_BREAK, 1, 0, 0 },
    { POINT_HW_BREAK, 4, 0, 0 },       /* execute: LEN must be 00 whatever the kind */
    { POINT_WATCH_WRITE, 1, 1, 0 },
    { POINT_WATCH_WRITE, 2, 1, 1 },
    { POINT_WATCH_WRITE, 4, 1, 3 },
    { POINT_WATCH_WRITE, 8, 1, 2 },
    { POINT_WATCH_READ, 4, 3, 3 },     /* no read-only in hardware: R/W 11 */
    { POINT_WATCH_ACCESS, 1, 3, 0 },
    { POINT_WATCH_ACCESS, 8, 3, 2 },
};

static void test_encoding_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof encodings / sizeof encodings[0]; k++) {
        hwbp_clear_all();
        assert_int_equal(hwbp_insert(encodings[k].type, 0x2000, encodings[k].len), TARGET_OK);
        uint64_t dr7 = current_dr7();
        unsigned slot = 3;      /* the debugger starts at DR3 */
        assert_int_equal(current_mask(), 1u << slot);
        assert_int_equal(dr7_g(dr7, slot), 1);
        assert_int_equal(dr7_l(dr7, slot), 0);
        assert_int_equal(dr7_rw(dr7, slot), encodings[k].rw);
        assert_int_equal(dr7_len(dr7, slot), encodings[k].lenf);
        /* nothing else: no other slot, no GD, not bit 10 (the caller's) */
        uint64_t own = (3ull << (2 * slot)) | (0xfull << (16 + 4 * slot));
        assert_int_equal(dr7 & ~own, 0);
    }
}

static void test_four_slots_then_enospc(void **state)
{
    (void)state;
    assert_int_equal(hwbp_insert(POINT_HW_BREAK, 0x1000, 1), TARGET_OK);
    assert_int_equal(hwbp_insert(POINT_WATCH_WRITE, 0x2000, 8), TARGET_OK);
    assert_int_equal(hwbp_insert(POINT_WATCH_ACCESS, 0x3000, 4), TARGET_OK);
    assert_int_equal(hwbp_insert(POINT_WATCH_READ, 0x1004, 4), TARGET_OK);
    assert_int_equal(current_mask(), 0xf);
    uint64_t gen = hwbp_generation();
    assert_int_equal(hwbp_insert(POINT_WATCH_WRITE, 0x5000, 4), TARGET_ENOSPC);
    assert_int_equal(hwbp_insert(POINT_HW_BREAK, 0x6000, 1), TARGET_ENOSPC);
    assert_int_equal(hwbp_generation(), gen);   /* a refusal changes nothing */
    /* slots were taken from DR3 down */
    uint64_t dr7 = current_dr7();
    assert_int_equal(dr7_rw(dr7, 3), 0);
    assert_int_equal(dr7_rw(dr7, 2), 1);
    assert_int_equal(dr7_len(dr7, 2), 2);
    assert_int_equal(dr7_rw(dr7, 1), 3);
    assert_int_equal(dr7_len(dr7, 0), 3);
    /* freeing one makes room again, in the freed slot */
    assert_int_equal(hwbp_remove(POINT_WATCH_WRITE, 0x2000, 8), TARGET_OK);
    assert_int_equal(current_mask(), 0xb);
    assert_int_equal(hwbp_insert(POINT_WATCH_WRITE, 0x5000, 4), TARGET_OK);
    assert_int_equal(current_mask(), 0xf);
    struct hwbp_slot s[HWBP_SLOTS];
    hwbp_snapshot(s);
    assert_int_equal(s[2].addr, 0x5000);
    assert_int_equal(s[2].len, 4);
}

static void test_einval(void **state)
{
    (void)state;
    static const struct { enum point_type type; uint64_t addr; unsigned len; } bad[] = {
        { POINT_WATCH_WRITE, 0x1000, 0 }, { POINT_WATCH_WRITE, 0x1000, 3 },
        { POINT_WATCH_WRITE, 0x1000, 16 }, { POINT_WATCH_WRITE, 0x1001, 2 },
        { POINT_WATCH_ACCESS, 0x1002, 4 }, { POINT_WATCH_READ, 0x1004, 8 },
        { POINT_WATCH_WRITE, 0x1003, 8 }, { POINT_SW_BREAK, 0x1000, 1 },
        { (enum point_type)7, 0x1000, 1 },
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        assert_int_equal(hwbp_insert(bad[k].type, bad[k].addr, bad[k].len), TARGET_EINVAL);
    assert_int_equal(current_mask(), 0);
    /* removing what is not there */
    assert_int_equal(hwbp_remove(POINT_WATCH_WRITE, 0x1000, 4), TARGET_EINVAL);
    assert_int_equal(hwbp_insert(POINT_WATCH_WRITE, 0x1000, 4), TARGET_OK);
    assert_int_equal(hwbp_remove(POINT_WATCH_ACCESS, 0x1000, 4), TARGET_EINVAL);  /* other type */
    assert_int_equal(hwbp_remove(POINT_WATCH_WRITE, 0x1000, 2), TARGET_EINVAL);   /* other length */
    assert_int_equal(hwbp_remove(POINT_WATCH_WRITE, 0x1000, 4), TARGET_OK);
}

static void test_refcount_and_generation(void **state)
{
    (void)state;
    uint64_t g0 = hwbp_generation();
    assert_int_equal(hwbp_insert(POINT_WATCH_WRITE, 0x3000, 4), TARGET_OK);
    uint64_t g1 = hwbp_generation();
    assert_true(g1 != g0);
    /* the same point again shares the slot and changes no register */
    assert_int_equal(hwbp_insert(POINT_WATCH_WRITE, 0x3000, 4), TARGET_OK);
    assert_int_equal(hwbp_generation(), g1);
    assert_int_equal(current_mask(), 0x8);
    assert_int_equal(hwbp_remove(POINT_WATCH_WRITE, 0x3000, 4), TARGET_OK);
    assert_int_equal(current_mask(), 0x8);
    assert_int_equal(hwbp_generation(), g1);
    assert_int_equal(hwbp_remove(POINT_WATCH_WRITE, 0x3000, 4), TARGET_OK);
    assert_int_equal(current_mask(), 0);
    assert_true(hwbp_generation() != g1);
    /* Z1 lengths all name the same breakpoint */
    assert_int_equal(hwbp_insert(POINT_HW_BREAK, 0x4000, 1), TARGET_OK);
    assert_int_equal(hwbp_remove(POINT_HW_BREAK, 0x4000, 2), TARGET_OK);
    assert_int_equal(current_mask(), 0);
    /* clear_all empties every slot and bumps the generation */
    assert_int_equal(hwbp_insert(POINT_HW_BREAK, 0x4000, 1), TARGET_OK);
    assert_int_equal(hwbp_insert(POINT_WATCH_ACCESS, 0x4008, 8), TARGET_OK);
    uint64_t g2 = hwbp_generation();
    hwbp_clear_all();
    assert_int_equal(current_mask(), 0);
    assert_int_equal(current_dr7(), 0);
    assert_true(hwbp_generation() != g2);
}

static void test_hit_report(void **state)
{
    (void)state;
    struct hwbp_hit hit;
    assert_int_equal(hwbp_on_hit(3, 0, false, &hit), HWBP_NOT_OURS);
    assert_int_equal(hwbp_on_hit(9, 0, false, &hit), HWBP_NOT_OURS);
    assert_int_equal(hwbp_insert(POINT_WATCH_WRITE, 0xffffffff80201008ull, 8), TARGET_OK);
    assert_int_equal(hwbp_insert(POINT_HW_BREAK, 0xffffffff80200000ull, 1), TARGET_OK);
    assert_int_equal(hwbp_on_hit(3, 0, false, &hit), HWBP_REPORT);
    assert_int_equal(hit.slot, 3);
    assert_int_equal(hit.type, POINT_WATCH_WRITE);
    assert_int_equal(hit.addr, 0xffffffff80201008ull);
    assert_int_equal(hit.len, 8);
    assert_int_equal(hwbp_on_hit(2, 0, false, &hit), HWBP_REPORT);
    assert_int_equal(hit.type, POINT_HW_BREAK);
    assert_int_equal(hit.addr, 0xffffffff80200000ull);
    assert_int_equal(hwbp_on_hit(1, 0, false, &hit), HWBP_NOT_OURS);
}

static void test_read_emulation(void **state)
{
    (void)state;
    struct hwbp_hit hit;
    fake_mem[4] = 0x11;         /* u32 at 0x1004 = 0x11 */
    assert_int_equal(hwbp_insert(POINT_WATCH_READ, 0x1004, 4), TARGET_OK);
    /* a hit with the value unchanged: a read, reported as rwatch */
    assert_int_equal(hwbp_on_hit(3, 0x11, true, &hit), HWBP_REPORT);
    assert_int_equal(hit.type, POINT_WATCH_READ);
    assert_int_equal(hit.addr, 0x1004);
    /* a write of a new value: not reported, the snapshot follows it */
    assert_int_equal(hwbp_on_hit(3, 0x12, true, &hit), HWBP_RESUME);
    assert_int_equal(hwbp_on_hit(3, 0x12, true, &hit), HWBP_REPORT);
    /* bytes beyond the watched length do not count */
    assert_int_equal(hwbp_on_hit(3, 0xabcd00000012ull, true, &hit), HWBP_REPORT);
    /* unreadable now: reported rather than missed */
    assert_int_equal(hwbp_on_hit(3, 0, false, &hit), HWBP_REPORT);
    /* an access watchpoint reports writes too */
    assert_int_equal(hwbp_insert(POINT_WATCH_ACCESS, 0x1008, 1), TARGET_OK);
    assert_int_equal(hwbp_on_hit(2, 1, true, &hit), HWBP_REPORT);
    assert_int_equal(hwbp_on_hit(2, 2, true, &hit), HWBP_REPORT);
    assert_int_equal(hit.type, POINT_WATCH_ACCESS);
}

static void test_read_snapshot_unknown(void **state)
{
    (void)state;
    struct hwbp_hit hit;
    fake_read_ok = false;
    assert_int_equal(hwbp_insert(POINT_WATCH_READ, 0x1000, 8), TARGET_OK);
    /* no snapshot: the first hit is reported and becomes the snapshot */
    assert_int_equal(hwbp_on_hit(3, 5, true, &hit), HWBP_REPORT);
    assert_int_equal(hwbp_on_hit(3, 6, true, &hit), HWBP_RESUME);
    assert_int_equal(hwbp_on_hit(3, 6, true, &hit), HWBP_REPORT);
}

static void test_hit_to_stop(void **state)
{
    (void)state;
    struct stop_event ev = { .thread = 2, .reason = STOP_SIGNAL };
    struct hwbp_hit h = { 1, POINT_WATCH_ACCESS, 0x100000, 8 };
    hwbp_hit_to_stop(&h, &ev);
    assert_int_equal(ev.thread, 2);
    assert_int_equal(ev.reason, STOP_WATCH);
    assert_int_equal(ev.signal, 5);
    assert_int_equal(ev.watch_kind, POINT_WATCH_ACCESS);
    assert_int_equal(ev.data_addr, 0x100000);
    assert_int_equal(ev.hw_index, 1);
    h = (struct hwbp_hit){ 3, POINT_HW_BREAK, 0xffffffff80200000ull, 1 };
    hwbp_hit_to_stop(&h, &ev);
    assert_int_equal(ev.reason, STOP_HW_BREAK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_encoding_table, setup),
        cmocka_unit_test_setup(test_four_slots_then_enospc, setup),
        cmocka_unit_test_setup(test_einval, setup),
        cmocka_unit_test_setup(test_refcount_and_generation, setup),
        cmocka_unit_test_setup(test_hit_report, setup),
        cmocka_unit_test_setup(test_read_emulation, setup),
        cmocka_unit_test_setup(test_read_snapshot_unknown, setup),
        cmocka_unit_test(test_hit_to_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
