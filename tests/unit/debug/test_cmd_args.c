/* Arguments of `monitor pin`, `step-irqs` and the optional CPU of `why`,
 * `regs`, `exits` and `vtop` (src/debug/cmd_args.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "debug/cmd_args.h"

#define NCPUS 4

static void pin_forms(void **state)
{
    (void)state;
    static const struct { const char *args; enum cmd_arg want; uint64_t cpu; } table[] = {
        { "", ARG_NONE, 0 },
        { "   ", ARG_NONE, 0 },
        { "0", ARG_OK, 0 },
        { " 3 ", ARG_OK, 3 },
        { "0x2", ARG_OK, 2 },
        { "4", ARG_RANGE, 4 },
        { "99", ARG_RANGE, 99 },
        { "off", ARG_OFF, 0 },
        { " off  ", ARG_OFF, 0 },
        { "OFF", ARG_BAD, 0 },
        { "of", ARG_BAD, 0 },
        { "off 1", ARG_BAD, 0 },
        { "1 2", ARG_BAD, 0 },
        { "1x", ARG_BAD, 0 },
        { "-1", ARG_BAD, 0 },
        { "cpu1", ARG_BAD, 0 },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        uint64_t cpu = 0;
        enum cmd_arg got = cmd_arg_pin(table[i].args, NCPUS, &cpu);
        if (got != table[i].want)
            fail_msg("pin '%s': got %d, want %d", table[i].args, got, table[i].want);
        if (got == ARG_OK || got == ARG_RANGE)
            assert_int_equal(cpu, table[i].cpu);
    }
}

static void optional_cpu_consumes_only_a_number(void **state)
{
    (void)state;
    uint64_t cpu = 77;
    const char *args = "  ";
    assert_int_equal(cmd_arg_cpu(&args, NCPUS, &cpu), ARG_NONE);
    args = "1 rest";
    assert_int_equal(cmd_arg_cpu(&args, NCPUS, &cpu), ARG_OK);
    assert_int_equal(cpu, 1);
    assert_string_equal(args, " rest");
    args = "7";
    assert_int_equal(cmd_arg_cpu(&args, NCPUS, &cpu), ARG_RANGE);
    assert_int_equal(cpu, 7);
    /* NCPUS is one past the last CPU */
    args = "4";
    assert_int_equal(cmd_arg_cpu(&args, NCPUS, &cpu), ARG_RANGE);
    args = "3";
    assert_int_equal(cmd_arg_cpu(&args, NCPUS, &cpu), ARG_OK);
    args = "x";
    assert_int_equal(cmd_arg_cpu(&args, NCPUS, &cpu), ARG_NONE);
    assert_string_equal(args, "x");
}

static void on_off_forms(void **state)
{
    (void)state;
    bool on = false;
    assert_int_equal(cmd_arg_on_off("on", &on), ARG_OK);
    assert_true(on);
    assert_int_equal(cmd_arg_on_off("  off ", &on), ARG_OK);
    assert_false(on);
    on = true;
    assert_int_equal(cmd_arg_on_off("", &on), ARG_NONE);
    assert_true(on);
    assert_int_equal(cmd_arg_on_off("yes", &on), ARG_BAD);
    assert_int_equal(cmd_arg_on_off("on off", &on), ARG_BAD);
    assert_int_equal(cmd_arg_on_off("onward", &on), ARG_BAD);
    assert_int_equal(cmd_arg_on_off("toolongword", &on), ARG_BAD);
    assert_true(on);    /* a refused word changes nothing */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pin_forms),
        cmocka_unit_test(optional_cpu_consumes_only_a_number),
        cmocka_unit_test(on_off_forms),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
