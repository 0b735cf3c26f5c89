/*
 * tests/unit/stub/test_target_xml.c - the target description the stub
 * serves and the C layout table must agree byte for byte. The XML is read
 * the way a client reads it: through qXfer:features:read, following
 * target.xml's includes, chunk by chunk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

/* Fetch a whole annex with small qXfer reads, as GDB does with big files. */
static char *fetch(struct harness *h, const char *annex)
{
    static char doc[65536];
    size_t len = 0;
    for (;;) {
        char packet[128];
        snprintf(packet, sizeof packet, "qXfer:features:read:%s:%zx,200", annex, len);
        const char *r = request(h, packet);
        assert_true(r[0] == 'm' || r[0] == 'l');
        size_t n = strlen(r + 1);
        assert_true(len + n < sizeof doc);
        memcpy(doc + len, r + 1, n);
        len += n;
        if (r[0] == 'l')
            break;
        assert_int_equal(n, 0x200);
    }
    doc[len] = 0;
    return strdup(doc);
}

static bool attr(const char *elem, const char *name, char *out, size_t cap)
{
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *end = strchr(elem, '>');
    const char *p = strstr(elem, key);
    if (!p || (end && p > end))
        return false;
    p += strlen(key);
    const char *q = strchr(p, '"');
    size_t n = (size_t)(q - p);
    assert_true(n < cap);
    memcpy(out, p, n);
    out[n] = 0;
    return true;
}

struct parsed_reg {
    char name[32];
    unsigned bits;
    int regnum;
    char feature[64];
};

static struct parsed_reg regs[128];
static int nregs;

static void parse_feature(const char *doc)
{
    char feature[64];
    const char *f = strstr(doc, "<feature ");
    assert_non_null(f);
    assert_true(attr(f, "name", feature, sizeof feature));
    for (const char *p = strstr(doc, "<reg "); p; p = strstr(p + 1, "<reg ")) {
        struct parsed_reg *r = &regs[nregs++];
        char num[16];
        assert_true(attr(p, "name", r->name, sizeof r->name));
        assert_true(attr(p, "bitsize", num, sizeof num));
        r->bits = (unsigned)atoi(num);
        r->regnum = attr(p, "regnum", num, sizeof num) ? atoi(num) : -1;
        snprintf(r->feature, sizeof r->feature, "%s", feature);
    }
}

static void parse_all(void)
{
    struct harness *h = harness_new();
    char *target = fetch(h, "target.xml");
    nregs = 0;
    assert_non_null(strstr(target, "<architecture>i386:x86-64</architecture>"));
    for (const char *p = strstr(target, "<xi:include "); p; p = strstr(p + 1, "<xi:include ")) {
        char href[64];
        assert_true(attr(p, "href", href, sizeof href));
        char *doc = fetch(h, href);
        parse_feature(doc);
        free(doc);
    }
    free(target);
    harness_free(h);
}

static void xml_and_layout_table_agree(void **state)
{
    (void)state;
    parse_all();
    const struct target_desc *d = &x86_64_target_desc;
    assert_int_equal(nregs, (int)d->nregs);
    unsigned offset = 0;
    for (int i = 0; i < nregs; i++) {
        const struct target_reg *t = &d->regs[i];
        assert_string_equal(regs[i].name, t->name);
        /* numbering: explicit regnum or implied by order, equal to the index */
        assert_true(regs[i].regnum == -1 || regs[i].regnum == i);
        assert_int_equal(t->regnum, i);
        assert_int_equal(regs[i].bits % 8, 0);
        assert_int_equal(regs[i].bits / 8, t->size);
        assert_int_equal(t->offset, offset);
        offset += t->size;
    }
    assert_int_equal(offset, d->g_size);
    assert_int_equal(d->g_size, X86_64_G_SIZE);
}

/* QEMU's i386-64bit.xml order, which GDB and LLDB already know how to show. */
static void core_and_sse_follow_qemu_order(void **state)
{
    (void)state;
    static const char *const order[] = {
        "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
        "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs",
        "fs_base", "gs_base", "k_gs_base", "cr0", "cr2", "cr3", "cr4", "cr8", "efer",
        "st0", "st1", "st2", "st3", "st4", "st5", "st6", "st7",
        "fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop",
        "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
        "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "mxcsr",
    };
    parse_all();
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        assert_string_equal(regs[i].name, order[i]);
        assert_string_equal(regs[i].feature, i < 49 ? "org.gnu.gdb.i386.core"
                                                    : "org.gnu.gdb.i386.sse");
    }
    static const char *const system[] = { "gdtr_base", "gdtr_limit", "idtr_base", "idtr_limit",
        "tr_base", "tr_limit", "ldtr_base", "ldtr_limit", "dr6", "dr7", "star", "lstar",
        "sfmask", "tsc", "exit_code" };
    for (size_t k = 0; k < sizeof system / sizeof system[0]; k++) {
        bool found = false;
        for (int i = 66; i < nregs; i++)
            if (strcmp(regs[i].name, system[k]) == 0) {
                found = true;
                assert_string_equal(regs[i].feature, "org.husk.x86_64.system");
            }
        assert_true(found);
    }
}

static void every_xml_document_is_served(void **state)
{
    (void)state;
    const struct target_desc *d = &x86_64_target_desc;
    assert_int_equal(d->nxml, x86_64_target_xml_count);
    for (size_t i = 0; i < d->nxml; i++) {
        assert_int_equal(strlen(d->xml[i].text), d->xml[i].len);
        assert_non_null(strstr(d->xml[i].text, "<?xml version=\"1.0\"?>"));
    }
    assert_int_equal(d->pc_regnum, X86_REG_RIP);
    assert_string_equal(d->regs[X86_REG_CR3].name, "cr3");
    assert_string_equal(d->regs[X86_REG_FS_BASE].name, "fs_base");
    assert_string_equal(d->regs[X86_REG_EXIT_CODE].name, "exit_code");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xml_and_layout_table_agree),
        cmocka_unit_test(core_and_sse_follow_qemu_order),
        cmocka_unit_test(every_xml_document_is_served),
    };
    return cmocka_run_group_tests_name("x86_64 target description", tests, NULL, NULL);
}
