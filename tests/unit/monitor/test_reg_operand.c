/* Register-operand semantics of the emulated MOVs (loads of all ones from
 * where the guest has no memory, the value of a LAPIC store). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "reg_operand.h"

#define OLD 0x1122334455667788ull

static void test_write_sizes(void **state)
{
    (void)state;
    assert_int_equal(reg_operand_write(OLD, 8, false, ~0ull), ~0ull);
    /* 32-bit writes zero-extend into the full register */
    assert_int_equal(reg_operand_write(OLD, 4, false, ~0ull), 0x00000000ffffffffull);
    /* 16- and 8-bit writes merge */
    assert_int_equal(reg_operand_write(OLD, 2, false, ~0ull), 0x112233445566ffffull);
    assert_int_equal(reg_operand_write(OLD, 1, false, ~0ull), 0x11223344556677ffull);
    /* AH: bits 15:8 only */
    assert_int_equal(reg_operand_write(OLD, 1, true, ~0ull), 0x112233445566ff88ull);
    assert_int_equal(reg_operand_write(OLD, 1, true, 0x1ab), 0x112233445566ab88ull);
}

static void test_read_sizes(void **state)
{
    (void)state;
    assert_int_equal(reg_operand_read(OLD, 8, false), OLD);
    assert_int_equal(reg_operand_read(OLD, 4, false), 0x55667788);
    assert_int_equal(reg_operand_read(OLD, 2, false), 0x7788);
    assert_int_equal(reg_operand_read(OLD, 1, false), 0x88);
    assert_int_equal(reg_operand_read(OLD, 1, true), 0x77);
}

static void test_high_byte_registers(void **state)
{
    (void)state;
    /* AH, CH, DH, BH are encoded as 4..7 and live in RAX, RCX, RDX, RBX */
    assert_int_equal(reg_operand_gpr(4, true), 0);
    assert_int_equal(reg_operand_gpr(7, true), 3);
    /* with REX, 4..7 are SPL..DIL: the registers themselves */
    assert_int_equal(reg_operand_gpr(4, false), 4);
    assert_int_equal(reg_operand_gpr(15, false), 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_sizes),
        cmocka_unit_test(test_read_sizes),
        cmocka_unit_test(test_high_byte_registers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
