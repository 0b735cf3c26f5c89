/* Command-line parsing: ';' splitting, words and quotes, numbers,
 * addresses with symbols, byte strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "cmdline.h"

static void split_at_semicolons_outside_quotes(void **state)
{
    (void)state;
    char line[] = " regs 1;  x 0x10 4 ; monitor 'a;b' ;; quit ";
    char *cmds[8];
    int n = cmdline_split_commands(line, cmds, 8);
    assert_int_equal(n, 4);
    assert_string_equal(cmds[0], "regs 1");
    assert_string_equal(cmds[1], "x 0x10 4 ");
    assert_string_equal(cmds[2], "monitor 'a;b' ");
    assert_string_equal(cmds[3], "quit ");
}

static void split_rejects_open_quote(void **state)
{
    (void)state;
    char line[] = "monitor \"abc; x 1";
    char *cmds[8];
    assert_int_equal(cmdline_split_commands(line, cmds, 8), -1);
}

static void words_unquote(void **state)
{
    (void)state;
    char cmd[] = "  monitor   \"two words\" x'y'z last";
    struct cmd_words w;
    char err[64];
    assert_int_equal(cmdline_words(cmd, &w, err, sizeof err), 0);
    assert_int_equal(w.argc, 4);
    assert_string_equal(w.argv[0], "monitor");
    assert_string_equal(w.argv[1], "two words");
    assert_string_equal(w.argv[2], "xyz");
    assert_string_equal(w.argv[3], "last");
    assert_null(w.argv[4]);
}

static void words_single_and_empty(void **state)
{
    (void)state;
    struct cmd_words w;
    char err[64];
    char one[] = "cpus";
    assert_int_equal(cmdline_words(one, &w, err, sizeof err), 0);
    assert_int_equal(w.argc, 1);
    assert_string_equal(w.argv[0], "cpus");
    char none[] = "   ";
    assert_int_equal(cmdline_words(none, &w, err, sizeof err), 0);
    assert_int_equal(w.argc, 0);
}

static void words_limit_and_quote_errors(void **state)
{
    (void)state;
    struct cmd_words w;
    char err[64];
    char many[] = "a b c d e f g h i j k l m n o p q r";
    assert_int_equal(cmdline_words(many, &w, err, sizeof err), -1);
    assert_non_null(strstr(err, "too many"));
    char open[] = "x 'abc";
    assert_int_equal(cmdline_words(open, &w, err, sizeof err), -1);
    assert_non_null(strstr(err, "unterminated"));
}

static void numbers_in_every_radix(void **state)
{
    (void)state;
    static const struct { const char *text; uint64_t value; } good[] = {
        { "0", 0 }, { "42", 42 }, { "0x2a", 42 }, { "0X2A", 42 }, { "0b101010", 42 },
        { "0o52", 42 }, { "0xffffffff80200000", 0xffffffff80200000ULL },
        { "0xffffffff`80200000", 0xffffffff80200000ULL }, { "1_000", 1000 },
        { "18446744073709551615", UINT64_MAX },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint64_t v = 1234;
        assert_true(parse_u64(good[i].text, &v));
        assert_int_equal(v, good[i].value);
    }
    static const char *const bad[] = {
        "", "0x", "12a", "0xg", "0b2", "-1", "18446744073709551616", "0x1ffffffffffffffff", "_1", " 1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t v;
        assert_false(parse_u64(bad[i], &v));
    }
}

static bool fake_lookup(void *ctx, const char *name, uint64_t *addr)
{
    (void)ctx;
    if (strcmp(name, "supervisor_main") == 0) {
        *addr = 0xffffffff80201000ULL;
        return true;
    }
    return false;
}

static void addresses_with_symbols(void **state)
{
    (void)state;
    uint64_t a;
    char err[128];
    assert_true(parse_address("0x1000", fake_lookup, NULL, &a, err, sizeof err));
    assert_int_equal(a, 0x1000);
    assert_true(parse_address("supervisor_main", fake_lookup, NULL, &a, err, sizeof err));
    assert_int_equal(a, 0xffffffff80201000ULL);
    assert_true(parse_address("supervisor_main+0x10", fake_lookup, NULL, &a, err, sizeof err));
    assert_int_equal(a, 0xffffffff80201010ULL);
    assert_true(parse_address("supervisor_main-16", fake_lookup, NULL, &a, err, sizeof err));
    assert_int_equal(a, 0xffffffff80200ff0ULL);

    assert_false(parse_address("no_such", fake_lookup, NULL, &a, err, sizeof err));
    assert_string_equal(err, "unknown symbol 'no_such'");
    assert_false(parse_address("0x12q", fake_lookup, NULL, &a, err, sizeof err));
    assert_string_equal(err, "bad number '0x12q'");
    assert_false(parse_address("supervisor_main+zz", fake_lookup, NULL, &a, err, sizeof err));
    assert_string_equal(err, "bad offset 'zz'");
    assert_false(parse_address("", fake_lookup, NULL, &a, err, sizeof err));
    assert_false(parse_address("supervisor_main", NULL, NULL, &a, err, sizeof err));
}

static void byte_strings(void **state)
{
    (void)state;
    uint8_t b[8];
    char err[128];
    char *words[] = { "41", "0x4243", "dead" };
    assert_int_equal(parse_bytes(3, words, b, sizeof b, err, sizeof err), 5);
    static const uint8_t want[] = { 0x41, 0x42, 0x43, 0xde, 0xad };
    assert_memory_equal(b, want, sizeof want);

    char *odd[] = { "414" };
    assert_int_equal(parse_bytes(1, odd, b, sizeof b, err, sizeof err), -1);
    char *nothex[] = { "4g" };
    assert_int_equal(parse_bytes(1, nothex, b, sizeof b, err, sizeof err), -1);
    assert_non_null(strstr(err, "bad hex byte"));
    char *toolong[] = { "000102030405060708" };
    assert_int_equal(parse_bytes(1, toolong, b, sizeof b, err, sizeof err), -1);
    assert_int_equal(parse_bytes(0, NULL, b, sizeof b, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_at_semicolons_outside_quotes),
        cmocka_unit_test(split_rejects_open_quote),
        cmocka_unit_test(words_unquote),
        cmocka_unit_test(words_single_and_empty),
        cmocka_unit_test(words_limit_and_quote_errors),
        cmocka_unit_test(numbers_in_every_radix),
        cmocka_unit_test(addresses_with_symbols),
        cmocka_unit_test(byte_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
