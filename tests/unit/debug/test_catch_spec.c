/* `monitor catch` arguments and the signal a caught exception is
 * reported with (src/debug/catch_spec.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "debug/catch_spec.h"
#include "stub/target.h"

#define BIT(v) (1u << (v))

static uint32_t parse_ok(const char *args, uint32_t before)
{
    char bad[24] = "untouched";
    uint32_t out = 0xdeadbeef;
    assert_int_equal(catch_parse(args, before, &out, bad, sizeof bad), 0);
    assert_string_equal(bad, "untouched");
    return out;
}

static void parse_bad(const char *args, const char *word)
{
    char bad[24] = "";
    uint32_t out = 0xdeadbeef;
    assert_int_equal(catch_parse(args, BIT(14), &out, bad, sizeof bad), TARGET_EINVAL);
    assert_string_equal(bad, word);
    assert_int_equal(out, 0xdeadbeef);   /* nothing applied */
}

static void names_in_any_case_with_or_without_hash(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("#GP", 0), BIT(13));
    assert_int_equal(parse_ok("gp", 0), BIT(13));
    assert_int_equal(parse_ok("Pf", 0), BIT(14));
    assert_int_equal(parse_ok("#de #ud", 0), BIT(0) | BIT(6));
    assert_int_equal(parse_ok("#MC", 0), BIT(18));
    assert_int_equal(parse_ok("#SX", 0), BIT(30));
}

static void numbers_decimal_and_hex(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("14", 0), BIT(14));
    assert_int_equal(parse_ok("0xd", 0), BIT(13));
    assert_int_equal(parse_ok("0", 0), BIT(0));
    assert_int_equal(parse_ok("31", 0), BIT(31));
    assert_int_equal(parse_ok("  9\t 15 ", 0), BIT(9) | BIT(15));
}

static void adds_to_what_was_caught(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("#GP", BIT(14)), BIT(13) | BIT(14));
    assert_int_equal(parse_ok("", BIT(6)), BIT(6));        /* no words: show only */
}

static void off_clears_everything_before_it(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("off", BIT(13) | BIT(14)), 0);
    assert_int_equal(parse_ok("#UD off", BIT(14)), 0);
    assert_int_equal(parse_ok("off #PF", BIT(13)), BIT(14));
}

static void bad_words_are_named(void **state)
{
    (void)state;
    parse_bad("32", "32");
    parse_bad("#XX", "#XX");
    parse_bad("#GP bogus", "bogus");
    parse_bad("-1", "-1");
    parse_bad("14x", "14x");
    parse_bad("0x", "0x");
    parse_bad("veryveryverylongword", "veryveryverylongword");
}

static void the_debuggers_own_vectors_are_refused(void **state)
{
    (void)state;
    parse_bad("#DB", "#DB");
    parse_bad("1", "1");
    parse_bad("nmi", "nmi");
    parse_bad("2", "2");
    parse_bad("#BP", "#BP");
    parse_bad("3", "3");
}

static void bad_word_is_cut_to_the_buffer(void **state)
{
    (void)state;
    char bad[4];
    uint32_t out = 0;
    assert_int_equal(catch_parse("nonsense", 0, &out, bad, sizeof bad), TARGET_EINVAL);
    assert_string_equal(bad, "non");
}

static void signals_follow_the_fault_kind(void **state)
{
    (void)state;
    enum { SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11 };
    static const struct { unsigned vector; int signal; } table[] = {
        { 0, SIGFPE },   /* #DE */
        { 1, SIGTRAP },  /* #DB */
        { 3, SIGTRAP },  /* #BP */
        { 4, SIGSEGV },  /* #OF */
        { 5, SIGSEGV },  /* #BR */
        { 6, SIGILL },   /* #UD */
        { 7, SIGFPE },   /* #NM */
        { 8, SIGSEGV },  /* #DF */
        { 10, SIGSEGV }, /* #TS */
        { 11, SIGSEGV }, /* #NP */
        { 12, SIGSEGV }, /* #SS */
        { 13, SIGSEGV }, /* #GP */
        { 14, SIGSEGV }, /* #PF */
        { 16, SIGFPE },  /* #MF */
        { 17, SIGBUS },  /* #AC */
        { 18, SIGTRAP }, /* #MC */
        { 19, SIGFPE },  /* #XM */
        { 31, SIGTRAP },
        { 32, SIGTRAP }, /* not an exception */
        { 255, SIGTRAP },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        assert_int_equal(catch_signal(table[i].vector), table[i].signal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_in_any_case_with_or_without_hash),
        cmocka_unit_test(numbers_decimal_and_hex),
        cmocka_unit_test(adds_to_what_was_caught),
        cmocka_unit_test(off_clears_everything_before_it),
        cmocka_unit_test(bad_words_are_named),
        cmocka_unit_test(the_debuggers_own_vectors_are_refused),
        cmocka_unit_test(bad_word_is_cut_to_the_buffer),
        cmocka_unit_test(signals_follow_the_fault_kind),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
