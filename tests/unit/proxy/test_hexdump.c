/* Hexdump formatting: exact lines, short lines, ASCII column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hexdump.h"

static void full_line(void **state)
{
    (void)state;
    char line[HEXDUMP_LINE_MAX];
    const uint8_t data[16] = "husk demo target";
    hexdump_line(line, 0x200200, data, 16);
    assert_string_equal(line,
        "0000000000200200  68 75 73 6b 20 64 65 6d  6f 20 74 61 72 67 65 74  |husk demo target|");
}

static void unprintable_bytes_are_dots(void **state)
{
    (void)state;
    char line[HEXDUMP_LINE_MAX];
    const uint8_t data[4] = { 0x00, 0x41, 0x7f, 0xff };
    size_t n = hexdump_line(line, 0xffffffff80200000ULL, data, 4);
    assert_string_equal(line,
        "ffffffff80200000  00 41 7f ff                                       |.A..|");
    assert_int_equal(n, strlen(line));
}

static void short_line_keeps_ascii_column(void **state)
{
    (void)state;
    char a[HEXDUMP_LINE_MAX], b[HEXDUMP_LINE_MAX];
    const uint8_t data[16] = { 0 };
    hexdump_line(a, 0, data, 16);
    hexdump_line(b, 0, data, 9);
    assert_ptr_equal(strchr(a, '|') - a, strchr(b, '|') - b);
}

static void whole_dump_splits_lines(void **state)
{
    (void)state;
    uint8_t data[40];
    for (int i = 0; i < 40; i++)
        data[i] = (uint8_t)('A' + i % 26);
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    hexdump(f, 0x1000, data, sizeof data);
    fclose(f);
    const char *want =
        "0000000000001000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|\n"
        "0000000000001010  51 52 53 54 55 56 57 58  59 5a 41 42 43 44 45 46  |QRSTUVWXYZABCDEF|\n"
        "0000000000001020  47 48 49 4a 4b 4c 4d 4e                           |GHIJKLMN|\n";
    assert_string_equal(text, want);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_line),
        cmocka_unit_test(unprintable_bytes_are_dots),
        cmocka_unit_test(short_line_keeps_ascii_column),
        cmocka_unit_test(whole_dump_splits_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
