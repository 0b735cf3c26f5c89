/* Register layouts from target descriptions, the fallback layout, and
 * reading values out of a 'g' block. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "regs.h"

static struct reg_layout layout;
static char included[4][64];
static int nincluded;

static void note(void *ctx, const char *href)
{
    (void)ctx;
    strcpy(included[nincluded++], href);
}

static void parses_features_and_includes(void **state)
{
    (void)state;
    static const char top[] =
        "<?xml version=\"1.0\"?><target><architecture>i386:x86-64</architecture>"
        "<xi:include href=\"core.xml\"/><xi:include href=\"extra.xml\"/></target>";
    static const char core[] =
        "<feature name=\"org.gnu.gdb.i386.core\">"
        "<reg name=\"rax\" bitsize=\"64\" type=\"int64\"/>"
        "<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>"
        "<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>"
        "</feature>";
    static const char extra[] =
        "<feature name=\"husk.system\">"
        "<reg name=\"dr7\" bitsize=\"64\" regnum=\"10\"/>"
        "<reg name=\"st0\" bitsize=\"80\"/>"
        "</feature>";
    regs_clear(&layout);
    nincluded = 0;
    assert_int_equal(regs_parse_xml(&layout, top, note, NULL), 0);
    assert_int_equal(nincluded, 2);
    assert_string_equal(included[0], "core.xml");
    assert_int_equal(regs_parse_xml(&layout, core, NULL, NULL), 3);
    assert_int_equal(regs_parse_xml(&layout, extra, NULL, NULL), 2);
    regs_finish(&layout);

    const struct reg_desc *r = regs_find(&layout, "eflags");
    assert_non_null(r);
    assert_int_equal(r->regnum, 2);
    assert_int_equal(r->offset, 16);
    assert_string_equal(r->feature, "org.gnu.gdb.i386.core");
    r = regs_find(&layout, "dr7");
    assert_int_equal(r->regnum, 10);
    assert_int_equal(r->offset, 20);
    r = regs_find(&layout, "st0");
    assert_int_equal(r->regnum, 11);
    assert_int_equal(layout.g_size, 8 + 8 + 4 + 8 + 10);
    assert_null(regs_find(&layout, "rbx"));
}

static void skips_commented_out_registers(void **state)
{
    (void)state;
    /* as in QEMU 7.2's i386-64bit.xml: registers inside a comment do not exist */
    static const char xml[] =
        "<feature name=\"org.gnu.gdb.i386.core\">"
        "<reg name=\"gs\" bitsize=\"32\"/>"
        "<!-- Segment descriptor caches -->"
        "<!--reg name=\"cs_base\" bitsize=\"64\"/>\n"
        "<reg name=\"ss_base\" bitsize=\"64\"/-->"
        "<reg name=\"fs_base\" bitsize=\"64\"/>"
        "</feature>";
    regs_clear(&layout);
    assert_int_equal(regs_parse_xml(&layout, xml, NULL, NULL), 2);
    regs_finish(&layout);
    assert_null(regs_find(&layout, "ss_base"));
    assert_int_equal(regs_find(&layout, "fs_base")->regnum, 1);
    assert_int_equal(regs_find(&layout, "fs_base")->offset, 4);
}

static void default_is_qemu_x86_64(void **state)
{
    (void)state;
    regs_default_layout(&layout);
    assert_int_equal(regs_find(&layout, "rip")->regnum, 16);
    assert_int_equal(regs_find(&layout, "rip")->offset, 128);
    assert_int_equal(regs_find(&layout, "eflags")->offset, 136);
    assert_int_equal(regs_find(&layout, "fs_base")->offset, 164);
    assert_int_equal(regs_find(&layout, "cr3")->offset, 204);
    assert_int_equal(regs_find(&layout, "mxcsr")->regnum, 65);
}

static void reads_little_endian_values(void **state)
{
    (void)state;
    regs_default_layout(&layout);
    uint8_t g[1024] = { 0 };
    const uint8_t rip[8] = { 0x00, 0x10, 0x20, 0x80, 0xff, 0xff, 0xff, 0xff };
    memcpy(g + 128, rip, 8);
    g[136] = 0x02;
    g[137] = 0x02;
    uint64_t v;
    assert_true(regs_get(&layout, g, sizeof g, "rip", &v));
    assert_int_equal(v, 0xffffffff80201000ULL);
    assert_true(regs_get(&layout, g, sizeof g, "eflags", &v));
    assert_int_equal(v, 0x202);
    assert_false(regs_get(&layout, g, 130, "rip", &v));      /* block too short */
    assert_false(regs_get(&layout, g, sizeof g, "st0", &v)); /* wider than 64 bits */
    assert_false(regs_get(&layout, g, sizeof g, "nope", &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_features_and_includes),
        cmocka_unit_test(skips_commented_out_registers),
        cmocka_unit_test(default_is_qemu_x86_64),
        cmocka_unit_test(reads_little_endian_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
