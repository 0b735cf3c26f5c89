/* cmocka tests of the MOV DR emulation rules (arch/x86_64/guest_dr.c): one
 * table row per architectural case of APM vol. 2, 13.1.1 and the MOV (DRn)
 * exception table, plus the composition of the real registers and the split
 * of #DB causes between debugger and guest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "guest_dr.h"

#define RD(n)  false, n
#define WR(n)  true, n

struct dr_case {
    const char *what;
    uint64_t dr7_before;        /* the shadow's DR7 before the access (0: reset value) */
    bool write;
    unsigned dr;
    uint64_t value;
    unsigned cpl;
    bool cr4_de;
    bool vm86;
    enum dr_action action;
    uint64_t read_value;        /* DR_DONE reads */
    int check_reg;              /* -1, or the register whose shadow value to check afterwards */
    uint64_t reg_after;
    uint64_t dr6_after;         /* 0: not checked */
};

static const struct dr_case cases[] = {
    { "read DR0 after reset", 0, RD(0), 0, 0, false, false, DR_DONE, 0, -1, 0, 0 },
    { "read DR6 after reset", 0, RD(6), 0, 0, false, false, DR_DONE, 0xffff0ff0, -1, 0, 0 },
    { "read DR7 after reset", 0, RD(7), 0, 0, false, false, DR_DONE, 0x400, -1, 0, 0 },
    { "write DR0 64-bit address", 0, WR(0), 0xffffffff80201000ull, 0, false, false, DR_DONE, 0, 0,
      0xffffffff80201000ull, 0 },
    { "write DR3", 0, WR(3), 0x1234, 0, false, false, DR_DONE, 0, 3, 0x1234, 0 },
    { "write DR7 keeps bit 10, drops 11/12/14/15", 0, WR(7), 0x000ddbff & ~0x2000ull, 0, false, false,
      DR_DONE, 0, 7, 0x000d07ff, 0 },
    { "write DR7 zero reads 0x400", 0, WR(7), 0, 0, false, false, DR_DONE, 0, 7, 0x400, 0 },
    { "write DR6 zero reads fixed ones", 0, WR(6), 0, 0, false, false, DR_DONE, 0, 6, 0xffff0ff0, 0 },
    { "write DR6 keeps B0-3 BD BS BT only", 0, WR(6), 0xfffff00full & ~0x1000ull, 0, false, false, DR_DONE,
      0, 6, 0xffffeff0 | 0xf, 0 },
    { "write DR6 bit 32: #GP", 0, WR(6), 1ull << 32, 0, false, false, DR_INJECT_GP, 0, 6, 0xffff0ff0, 0 },
    { "write DR7 bit 63: #GP", 0, WR(7), 1ull << 63, 0, false, false, DR_INJECT_GP, 0, 7, 0x400, 0 },
    { "write DR7 bits 63:32 with GD: #GP, GD not set", 0, WR(7), 0x100002000ull, 0, false, false,
      DR_INJECT_GP, 0, 7, 0x400, 0 },
    { "write DR0 bit 63 is fine", 0, WR(0), 1ull << 63, 0, false, false, DR_DONE, 0, 0, 1ull << 63, 0 },
    { "read DR4 aliases DR6 (DE=0)", 0, RD(4), 0, 0, false, false, DR_DONE, 0xffff0ff0, -1, 0, 0 },
    { "read DR5 aliases DR7 (DE=0)", 0x401, RD(5), 0, 0, false, false, DR_DONE, 0x401, -1, 0, 0 },
    { "write DR5 writes DR7 (DE=0)", 0, WR(5), 0x3, 0, false, false, DR_DONE, 0, 7, 0x403, 0 },
    { "write DR4 writes DR6 (DE=0)", 0, WR(4), 0x1, 0, false, false, DR_DONE, 0, 6, 0xffff0ff1, 0 },
    { "read DR4 with DE=1: #UD", 0, RD(4), 0, 0, true, false, DR_INJECT_UD, 0, -1, 0, 0 },
    { "write DR5 with DE=1: #UD", 0, WR(5), 0x3, 0, true, false, DR_INJECT_UD, 0, 7, 0x400, 0 },
    { "DR6 with DE=1 is fine", 0, RD(6), 0, 0, true, false, DR_DONE, 0xffff0ff0, -1, 0, 0 },
    { "DR8 (REX.R): #UD", 0, RD(8), 0, 0, false, false, DR_INJECT_UD, 0, -1, 0, 0 },
    { "DR15 write: #UD", 0, WR(15), 0, 0, false, false, DR_INJECT_UD, 0, -1, 0, 0 },
    { "read at CPL 3: #GP", 0, RD(0), 0, 3, false, false, DR_INJECT_GP, 0, -1, 0, 0 },
    { "write at CPL 1: #GP", 0, WR(7), 0x3, 1, false, false, DR_INJECT_GP, 0, 7, 0x400, 0 },
    { "virtual-8086 mode: #GP", 0, RD(7), 0, 0, false, true, DR_INJECT_GP, 0, -1, 0, 0 },
    { "CPL 3 beats #UD of DR4 with DE=1", 0, RD(4), 0, 3, true, false, DR_INJECT_GP, 0, -1, 0, 0 },
    { "CPL 3 beats GD", 0x2400, RD(0), 0, 3, false, false, DR_INJECT_GP, 0, 7, 0x2400, 0 },
    { "GD: read DR0 is #DB with BD, GD cleared", 0x2401, RD(0), 0, 0, false, false, DR_INJECT_DB, 0, 7, 0x401,
      0xffff2ff0 },
    { "GD: write DR7 is #DB, value not written", 0x2400, WR(7), 0xff, 0, false, false, DR_INJECT_DB, 0, 7,
      0x400, 0xffff2ff0 },
    { "#UD of DR4 with DE=1 beats GD", 0x2400, RD(4), 0, 0, true, false, DR_INJECT_UD, 0, 7, 0x2400, 0 },
    { "GD beats the reserved-bit #GP", 0x2400, WR(6), 1ull << 40, 0, false, false, DR_INJECT_DB, 0, 7, 0x400,
      0xffff2ff0 },
    { "write DR7 with GD sets GD", 0, WR(7), 0x2000, 0, false, false, DR_DONE, 0, 7, 0x2400, 0 },
};

static void test_rules_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const struct dr_case *c = &cases[k];
        struct dr_shadow s;
        dr_shadow_reset(&s);
        if (c->dr7_before)
            s.dr7 = c->dr7_before;
        struct dr_access a = { c->write, c->dr, c->value, c->cpl, c->cr4_de, c->vm86 };
        struct dr_result r = dr_emulate(&s, &a);
        if (r.action != c->action)
            fail_msg("%s: action %d, want %d", c->what, r.action, c->action);
        if (c->action == DR_DONE && !c->write && r.value != c->read_value)
            fail_msg("%s: read %#lx, want %#lx", c->what, r.value, c->read_value);
        if (c->check_reg >= 0) {
            uint64_t got = c->check_reg == 6 ? s.dr6 : c->check_reg == 7 ? s.dr7 : s.dr[c->check_reg];
            if (got != c->reg_after)
                fail_msg("%s: DR%d %#lx, want %#lx", c->what, c->check_reg, got, c->reg_after);
        }
        if (c->dr6_after && s.dr6 != c->dr6_after)
            fail_msg("%s: DR6 %#lx, want %#lx", c->what, s.dr6, c->dr6_after);
    }
}

static void test_round_trips(void **state)
{
    (void)state;
    struct dr_shadow s;
    dr_shadow_reset(&s);
    static const uint64_t values[4] = { 0x1000, 0xffffffff80200000ull, 0x7ff000, 0xdeadbeefcafef00dull };
    for (unsigned i = 0; i < 4; i++) {
        struct dr_access w = { true, i, values[i], 0, false, false };
        assert_int_equal(dr_emulate(&s, &w).action, DR_DONE);
    }
    for (unsigned i = 0; i < 4; i++) {
        struct dr_access r = { false, i, 0, 0, false, false };
        struct dr_result res = dr_emulate(&s, &r);
        assert_int_equal(res.action, DR_DONE);
        assert_int_equal(res.value, values[i]);
    }
}

static void test_deliver_db(void **state)
{
    (void)state;
    struct dr_shadow s;
    dr_shadow_reset(&s);
    s.dr7 = 0x2403;
    dr_shadow_deliver_db(&s, DR6_B(1));
    assert_int_equal(s.dr6, 0xffff0ff2);
    assert_int_equal(s.dr7, 0x403);             /* GD cleared on any #DB */
    dr_shadow_deliver_db(&s, DR6_B(0) | DR6_BS);
    assert_int_equal(s.dr6, 0xffff4ff1);        /* B1 replaced by B0; BS added */
    dr_shadow_deliver_db(&s, DR6_B(2));
    assert_int_equal(s.dr6, 0xffff4ff4);        /* BS sticks until software clears it */
}

static void test_compose(void **state)
{
    (void)state;
    struct dr_shadow g;
    dr_shadow_reset(&g);
    static const uint64_t dbg_addr[4] = { 0, 0, 0, 0xffffffff80201008ull };
    /* nothing anywhere: DR7 is the reset value */
    struct dr_hw hw = dr_compose(&g, 0, 0, dbg_addr, 0, 0);
    assert_int_equal(hw.dr7, 0x400);
    /* the guest: DR0 execute (L0), DR3 write 4 bytes (G3), GE, GD */
    g.dr[0] = 0x100100;
    g.dr[3] = 0x200000;
    g.dr7 = 0x400 | 0x1 | 0x80 | 0x200 | 0x2000 | (0xdull << 28);
    hw = dr_compose(&g, 0, 0, dbg_addr, 0, 0);
    assert_int_equal(hw.dr[0], 0x100100);
    assert_int_equal(hw.dr[3], 0x200000);
    assert_int_equal(hw.dr7, 0x400 | 0x1 | 0x80 | 0x200 | (0xdull << 28));   /* no GD */
    /* the debugger holds DR3 (G3, write 8 bytes): it wins that slot */
    uint64_t dbg_dr7 = 0x80 | (0x9ull << 28);
    hw = dr_compose(&g, 0x8, dbg_dr7, dbg_addr, 0, 0);
    assert_int_equal(hw.dr[0], 0x100100);
    assert_int_equal(hw.dr[3], 0xffffffff80201008ull);
    assert_int_equal(hw.dr7, 0x400 | 0x1 | 0x80 | 0x200 | (0x9ull << 28));
    /* a guest slot with address but no enable bit is not loaded */
    g.dr7 = 0x400 | (0x1ull << 16);
    g.dr[1] = 0x5000;
    hw = dr_compose(&g, 0, 0, dbg_addr, 0, 0);
    assert_int_equal(hw.dr[1], 0);
    assert_int_equal(hw.dr7, 0x400);
    /* the debugger alone: no guest LE/GE */
    g.dr7 = 0x400 | 0x300;
    hw = dr_compose(&g, 0x8, dbg_dr7, dbg_addr, 0, 0);
    assert_int_equal(hw.dr7, 0x400 | dbg_dr7);
}

static void test_compose_keeps_guest_out_of_the_monitor(void **state)
{
    (void)state;
    static const uint64_t none[4] = { 0, 0, 0, 0 };
    const uint64_t lo = 0x1000000, hi = 0x1200000;
    struct dr_shadow g;
    dr_shadow_reset(&g);
    /* DR0 execute at the monitor's first byte, DR1 write 8 bytes ending
     * right below it, DR2 write 4 bytes at its last dword, DR3 execute
     * right after it */
    g.dr[0] = lo;
    g.dr[1] = lo - 8;
    g.dr[2] = hi - 4;
    g.dr[3] = hi;
    g.dr7 = 0x400 | 0x55 | (0x9ull << 20) | (0xdull << 24);
    struct dr_hw hw = dr_compose(&g, 0, 0, none, lo, hi);
    assert_int_equal(hw.dr[0], 0);
    assert_int_equal(hw.dr[1], lo - 8);
    assert_int_equal(hw.dr[2], 0);
    assert_int_equal(hw.dr[3], hi);
    assert_int_equal(hw.dr7, 0x400 | 0x4 | (0x9ull << 20) | 0x40);
    /* an 8-byte watch given a misaligned address covers its aligned qword */
    g.dr[1] = hi - 12;                      /* hi - 16 .. hi - 9: inside */
    g.dr7 = 0x400 | 0x4 | (0x9ull << 20);
    hw = dr_compose(&g, 0, 0, none, lo, hi);
    assert_int_equal(hw.dr7, 0x400);
    g.dr[1] = lo - 4;                       /* lo - 8 .. lo - 1: outside */
    hw = dr_compose(&g, 0, 0, none, lo, hi);
    assert_int_equal(hw.dr7, 0x400 | 0x4 | (0x9ull << 20));
    assert_int_equal(hw.dr[1], lo - 4);
    /* the debugger's slots too; its slot index still shuts the guest's out */
    static const uint64_t dbg[4] = { 0, lo + 0x100, 0, 0 };
    g.dr[1] = 0x5000;
    hw = dr_compose(&g, 0x2, 0x8 | (0x1ull << 20), dbg, lo, hi);   /* G1, write, 1 byte */
    assert_int_equal(hw.dr7, 0x400);
    assert_int_equal(hw.dr[1], 0);
}

static void test_slot_len(void **state)
{
    (void)state;
    assert_int_equal(dr7_slot_len(0x400, 0), 1);                   /* execute */
    assert_int_equal(dr7_slot_len(0x400 | (0x1ull << 16), 0), 1);  /* write, LEN 00 */
    assert_int_equal(dr7_slot_len(0x400 | (0x5ull << 20), 1), 2);
    assert_int_equal(dr7_slot_len(0x400 | (0xbull << 24), 2), 8);
    assert_int_equal(dr7_slot_len(0x400 | (0xfull << 28), 3), 4);
    assert_int_equal(dr7_slot_len(0x400 | (0xcull << 28), 3), 1);  /* execute ignores LEN */
}

static void test_split_causes(void **state)
{
    (void)state;
    struct dr_causes c = dr_split_causes(0xffff0ff8, 0x8, 0x1);
    assert_int_equal(c.debugger, DR6_B(3));
    assert_int_equal(c.guest, 0);
    c = dr_split_causes(0xffff0ff1, 0x8, 0x1);
    assert_int_equal(c.debugger, 0);
    assert_int_equal(c.guest, DR6_B(0));
    /* both at once: a guest watchpoint and the debugger's on the same store */
    c = dr_split_causes(0xffff0ff9, 0x8, 0x1);
    assert_int_equal(c.debugger, DR6_B(3));
    assert_int_equal(c.guest, DR6_B(0));
    /* a slot both claim is the debugger's (the guest's is not loaded) */
    c = dr_split_causes(0xffff0ff8, 0x8, 0x9);
    assert_int_equal(c.debugger, DR6_B(3));
    assert_int_equal(c.guest, 0);
    /* bits of slots nobody enabled are dropped; BS goes to the guest */
    c = dr_split_causes(0xffff4ff6, 0x8, 0x1);
    assert_int_equal(c.debugger, 0);
    assert_int_equal(c.guest, DR6_BS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_table),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_deliver_db),
        cmocka_unit_test(test_compose),
        cmocka_unit_test(test_compose_keeps_guest_out_of_the_monitor),
        cmocka_unit_test(test_slot_len),
        cmocka_unit_test(test_split_causes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
