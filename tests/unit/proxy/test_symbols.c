/* Symbols and lines, against a small ELF built here with gcc -g; every
 * expected address comes from nm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "symbols.h"
#include "testutil.h"

/* Line numbers matter: leaf is on line 3, middle's call on line 5. */
static const char source[] =
    "int marker = 0x1234;\n"
    "__attribute__((noinline))\n"
    "int leaf(int x) { return x + marker; }\n"
    "__attribute__((noinline)) int middle(int x) {\n"
    "    return leaf(x) * 2;\n"
    "}\n"
    "void _start(void) { middle(3); for (;;) { } }\n";

static char elf[512];
static struct symtab *st;

static uint64_t nm_address(const char *name)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "nm '%s' | awk '$3 == \"%s\" { print $1 }'", elf, name);
    char *out = run_capture(cmd);
    assert_non_null(out);
    uint64_t v = strtoull(out, NULL, 16);
    free(out);
    assert_true(v != 0);
    return v;
}

static int setup(void **state)
{
    (void)state;
    char err[256];
    if (build_elf("symtest", source, "", elf, sizeof elf))
        return -1;
    st = symtab_open(elf, err, sizeof err);
    return st ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    symtab_close(st);
    return 0;
}

static void looks_up_names(void **state)
{
    (void)state;
    uint64_t a;
    assert_true(symtab_lookup(st, "leaf", &a));
    assert_int_equal(a, nm_address("leaf"));
    assert_true(symtab_lookup(st, "marker", &a));
    assert_int_equal(a, nm_address("marker"));
    assert_false(symtab_lookup(st, "no_such_symbol", &a));
}

static void resolves_symbol_plus_offset(void **state)
{
    (void)state;
    uint64_t a;
    char err[128];
    assert_true(parse_address("middle+0x4", symtab_lookup, st, &a, err, sizeof err));
    assert_int_equal(a, nm_address("middle") + 4);
    assert_false(parse_address("nowhere+4", symtab_lookup, st, &a, err, sizeof err));
    assert_string_equal(err, "unknown symbol 'nowhere'");
}

static void symbolizes_addresses(void **state)
{
    (void)state;
    uint64_t off;
    const char *name = symtab_symbolize(st, nm_address("middle") + 5, &off);
    assert_non_null(name);
    assert_string_equal(name, "middle");
    assert_int_equal(off, 5);
    assert_null(symtab_symbolize(st, 0x10, &off));
    /* past the end of the last (sized) function there is no name */
    uint64_t start, size;
    assert_true(symtab_lookup_sized(st, "_start", &start, &size));
    assert_true(size > 0);
    assert_null(symtab_symbolize(st, start + size + 0x40, &off));
    assert_null(symtab_symbolize(st, 0xffffffff00000000ULL, &off));
}

static void finds_lines(void **state)
{
    (void)state;
    const char *file;
    int line;
    assert_true(symtab_line(st, nm_address("leaf"), &file, &line));
    assert_int_equal(line, 3);
    assert_non_null(strstr(file, "symtest.c"));
    char text[256];
    symtab_describe(st, nm_address("leaf"), text, sizeof text);
    assert_non_null(strstr(text, "symtest.c:3: leaf+0x0"));
}

static void completes_names(void **state)
{
    (void)state;
    const char *m = symtab_complete(st, "mid", 0);
    assert_non_null(m);
    assert_string_equal(m, "middle");
    assert_null(symtab_complete(st, "mid", 1));
}

static void bad_files_get_clear_errors(void **state)
{
    (void)state;
    char err[256];
    assert_null(symtab_open("/nonexistent/guest.elf", err, sizeof err));
    assert_non_null(strstr(err, "cannot open /nonexistent/guest.elf"));
    char path[512];
    snprintf(path, sizeof path, "%s/symtest.c", test_tmp());
    assert_null(symtab_open(path, err, sizeof err));
    assert_non_null(strstr(err, "is not an ELF file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(looks_up_names),
        cmocka_unit_test(resolves_symbol_plus_offset),
        cmocka_unit_test(symbolizes_addresses),
        cmocka_unit_test(finds_lines),
        cmocka_unit_test(completes_names),
        cmocka_unit_test(bad_files_get_clear_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
