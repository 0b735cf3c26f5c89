/* The freestanding runtime: string routines and the small printf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/printf.h"
#include "lib/string.h"

static void test_memcpy_memset(void **state)
{
    (void)state;
    unsigned char a[32], b[32];
    memset(a, 0xab, sizeof a);
    for (int i = 0; i < 32; i++)
        assert_int_equal(a[i], 0xab);
    for (int i = 0; i < 32; i++)
        b[i] = (unsigned char)i;
    assert_ptr_equal(memcpy(a + 1, b, 7), a + 1);
    assert_int_equal(a[0], 0xab);
    assert_memory_equal(a + 1, b, 7);
    assert_int_equal(a[8], 0xab);
    memset(a, 0, 0);
    assert_int_equal(a[0], 0xab);
}

static void test_memmove_overlap(void **state)
{
    (void)state;
    char s[] = "abcdefghij";
    memmove(s + 2, s, 5);           /* forward overlap: must copy backwards */
    assert_string_equal(s, "ababcdehij");
    char t[] = "abcdefghij";
    memmove(t, t + 3, 5);
    assert_string_equal(t, "defghfghij");
    /* direction flag left clear: a following forward copy still works */
    char u[4] = { 0 };
    memcpy(u, "xyz", 3);
    assert_string_equal(u, "xyz");
}

static void test_compare_and_length(void **state)
{
    (void)state;
    assert_int_equal(memcmp("abc", "abd", 3), -1);
    assert_int_equal(memcmp("abd", "abc", 3), 1);
    assert_int_equal(memcmp("abc", "abd", 2), 0);
    assert_int_equal(strlen(""), 0);
    assert_int_equal(strlen("husk"), 4);
    assert_int_equal(strnlen("husk", 2), 2);
    assert_true(strcmp("a", "b") < 0);
    assert_true(strcmp("b", "a") > 0);
    assert_int_equal(strcmp("same", "same"), 0);
    assert_int_equal(strncmp("abcx", "abcy", 3), 0);
    assert_true(strncmp("ab", "abc", 3) < 0);
}

static void test_strlcpy(void **state)
{
    (void)state;
    char buf[5];
    assert_int_equal(strlcpy(buf, "hi", sizeof buf), 2);
    assert_string_equal(buf, "hi");
    assert_int_equal(strlcpy(buf, "truncated", sizeof buf), 9);
    assert_string_equal(buf, "trun");
    buf[0] = 'z';
    assert_int_equal(strlcpy(buf, "abc", 0), 3);
    assert_int_equal(buf[0], 'z');
}

static const char *fmt(const char *f, ...)
{
    static char buf[128];
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

static void test_printf_conversions(void **state)
{
    (void)state;
    assert_string_equal(fmt("%d %i %u", -42, 7, 4000000000u), "-42 7 4000000000");
    assert_string_equal(fmt("%x %X %lx", 0xbeefu, 0xbeefu, 0x123456789abcdefull), "beef BEEF 123456789abcdef");
    assert_string_equal(fmt("%016lx", 0x1000ul), "0000000000001000");
    assert_string_equal(fmt("[%5d][%-5d][%05d]", 42, 42, -42), "[   42][42   ][-0042]");
    assert_string_equal(fmt("%s|%-6s|%4s", "ab", "cd", "toolong"), "ab|cd    |toolong");
    assert_string_equal(fmt("%s", (char *)NULL), "(null)");
    assert_string_equal(fmt("%c%c%%", 'o', 'k'), "ok%");
    assert_string_equal(fmt("%p", (void *)0x1234), "0x1234");
    assert_string_equal(fmt("%ld", (long)INT64_MIN), "-9223372036854775808");
    assert_string_equal(fmt("%lu", UINT64_MAX), "18446744073709551615");
    assert_string_equal(fmt("%zu", (size_t)99), "99");
}

static void test_printf_bad_input(void **state)
{
    (void)state;
    /* unknown conversions are printed as written, a lone % at the end too */
    assert_string_equal(fmt("a%qb", 1), "a%qb");
    assert_string_equal(fmt("end%"), "end%");
}

static void test_printf_truncation(void **state)
{
    (void)state;
    char buf[8];
    assert_int_equal(snprintf(buf, sizeof buf, "%s", "0123456789"), 10);
    assert_string_equal(buf, "0123456");
    assert_int_equal(snprintf(buf, 1, "xyz"), 3);
    assert_string_equal(buf, "");
    buf[0] = 'q';
    assert_int_equal(snprintf(buf, 0, "xyz"), 3);
    assert_int_equal(buf[0], 'q');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memcpy_memset),
        cmocka_unit_test(test_memmove_overlap),
        cmocka_unit_test(test_compare_and_length),
        cmocka_unit_test(test_strlcpy),
        cmocka_unit_test(test_printf_conversions),
        cmocka_unit_test(test_printf_bad_input),
        cmocka_unit_test(test_printf_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
