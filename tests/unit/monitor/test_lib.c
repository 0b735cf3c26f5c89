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

/*
 * Every length 0..64 at every alignment of source and destination, every
 * overlap up to 9 bytes either way, and a page-sized copy, against byte
 * loops. The references go through volatile pointers: a plain loop could
 * be compiled into a call to memcpy or memset, the code under test.
 */
#define MAX_N 64
#define PAD 16
#define AREA (2 * PAD + MAX_N + 8)

static void fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
    volatile unsigned char *v = p;
    for (size_t i = 0; i < n; i++)
        v[i] = (unsigned char)(seed + 7 * i + (i >> 3));
}

/* What memmove must leave in area: the n bytes at from copied to to, the
 * rest as it was. */
static void reference_move(unsigned char *area, size_t to, size_t from, size_t n)
{
    volatile unsigned char *v = area;
    unsigned char tmp[MAX_N];
    for (size_t i = 0; i < n; i++)
        tmp[i] = v[from + i];
    for (size_t i = 0; i < n; i++)
        v[to + i] = tmp[i];
}

static void test_memcpy_lengths_and_alignments(void **state)
{
    (void)state;
    unsigned char src[AREA], dst[AREA], want[AREA];
    fill_pattern(src, sizeof src, 1);
    for (size_t n = 0; n <= MAX_N; n++)
        for (size_t so = 0; so < 8; so++)
            for (size_t d_o = 0; d_o < 8; d_o++) {
                fill_pattern(dst, sizeof dst, 200);
                fill_pattern(want, sizeof want, 200);
                volatile unsigned char *w = want;
                for (size_t i = 0; i < n; i++)
                    w[PAD + d_o + i] = src[PAD + so + i];
                assert_ptr_equal(memcpy(dst + PAD + d_o, src + PAD + so, n), dst + PAD + d_o);
                assert_memory_equal(dst, want, sizeof dst);
            }
}

static void test_memmove_every_overlap(void **state)
{
    (void)state;
    unsigned char area[AREA], want[AREA];
    for (size_t n = 0; n <= MAX_N; n++)
        for (size_t base = 0; base < 8; base++)
            for (int shift = -9; shift <= 9; shift++) {
                size_t from = PAD + base, to = (size_t)((int)from + shift);
                fill_pattern(area, sizeof area, (unsigned)n);
                fill_pattern(want, sizeof want, (unsigned)n);
                reference_move(want, to, from, n);
                assert_ptr_equal(memmove(area + to, area + from, n), area + to);
                assert_memory_equal(area, want, sizeof area);
            }
}

static void test_memset_lengths_and_alignments(void **state)
{
    (void)state;
    static const int values[] = { 0, 0xab, 0x1ff, -1 };
    unsigned char area[AREA], want[AREA];
    for (size_t k = 0; k < sizeof values / sizeof values[0]; k++)
        for (size_t n = 0; n <= MAX_N; n++)
            for (size_t off = 0; off < 8; off++) {
                fill_pattern(area, sizeof area, 3);
                fill_pattern(want, sizeof want, 3);
                volatile unsigned char *w = want;
                for (size_t i = 0; i < n; i++)
                    w[PAD + off + i] = (unsigned char)values[k];
                assert_ptr_equal(memset(area + PAD + off, values[k], n), area + PAD + off);
                assert_memory_equal(area, want, sizeof area);
            }
}

/* Lengths the monitor copies: a page of guest memory, plus an odd tail,
 * overlapping both ways. */
static void test_large_copies(void **state)
{
    (void)state;
    enum { BIG = 4096 + 13 };
    static unsigned char a[BIG + 64], b[BIG + 64];
    fill_pattern(a, sizeof a, 5);
    memcpy(b + 3, a + 1, BIG);
    for (size_t i = 0; i < BIG; i++)
        assert_int_equal(b[3 + i], a[1 + i]);

    fill_pattern(a, sizeof a, 9);
    memmove(a + 37, a + 1, BIG);                 /* destination above */
    fill_pattern(b, sizeof b, 9);
    for (size_t i = 0; i < BIG; i++)
        assert_int_equal(a[37 + i], b[1 + i]);

    fill_pattern(a, sizeof a, 11);
    memmove(a + 1, a + 38, BIG);                 /* destination below */
    fill_pattern(b, sizeof b, 11);
    for (size_t i = 0; i < BIG; i++)
        assert_int_equal(a[1 + i], b[38 + i]);

    memset(a + 5, 0x5a, BIG);
    for (size_t i = 0; i < BIG; i++)
        assert_int_equal(a[5 + i], 0x5a);
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
        cmocka_unit_test(test_memcpy_lengths_and_alignments),
        cmocka_unit_test(test_memmove_every_overlap),
        cmocka_unit_test(test_memset_lengths_and_alignments),
        cmocka_unit_test(test_large_copies),
        cmocka_unit_test(test_compare_and_length),
        cmocka_unit_test(test_strlcpy),
        cmocka_unit_test(test_printf_conversions),
        cmocka_unit_test(test_printf_bad_input),
        cmocka_unit_test(test_printf_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
