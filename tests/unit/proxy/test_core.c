/* The core writer: a core for a fake 2-CPU target, loaded by gdb --batch
 * with an ELF built here, must show the registers and memory we wrote. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "testutil.h"

static const char source[] =
    "unsigned int marker = 1;\n"
    "int leaf(int x) { return x + (int)marker; }\n"
    "void _start(void) { leaf(3); for (;;) { } }\n";

static char elf[512], core_path[512];

static uint64_t nm_address(const char *name)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "nm '%s' | awk '$3 == \"%s\" { print $1 }'", elf, name);
    char *out = run_capture(cmd);
    assert_non_null(out);
    uint64_t v = strtoull(out, NULL, 16);
    free(out);
    return v;
}

/* Fake memory: every byte is its address's low byte, except the marker. */
struct fake { uint64_t marker; int reads; };

static int fake_read(void *ctx, const struct core_segment *seg, uint64_t off, void *buf, size_t len)
{
    struct fake *f = ctx;
    uint8_t *b = buf;
    f->reads++;
    for (size_t i = 0; i < len; i++) {
        uint64_t va = seg->vaddr + off + i;
        b[i] = (uint8_t)va;
        if (va >= f->marker && va < f->marker + 4)
            b[i] = (uint8_t)(0xfeedface >> (8 * (va - f->marker)));
    }
    return 0;
}

static int unreadable(void *ctx, const struct core_segment *seg, uint64_t off, void *buf, size_t len)
{
    (void)ctx; (void)seg; (void)off; (void)buf; (void)len;
    return -1;
}

static void gdb_reads_registers_and_memory(void **state)
{
    (void)state;
    assert_int_equal(build_elf("coretest", source, "", elf, sizeof elf), 0);
    snprintf(core_path, sizeof core_path, "%s/coretest.core", test_tmp());
    uint64_t leaf = nm_address("leaf"), marker = nm_address("marker");
    assert_true(leaf && marker);

    struct core_cpu cpus[2];
    memset(cpus, 0, sizeof cpus);
    cpus[0].id = 1;
    cpus[0].regs.rip = leaf + 1;
    cpus[0].regs.rsp = 0x7ffc1000;
    cpus[0].regs.rax = 0x1122334455667788ULL;
    cpus[0].regs.cs = 0x8;
    cpus[1].id = 2;
    cpus[1].regs.rip = leaf + 4;
    cpus[1].regs.rsp = 0x7ffc2000;

    uint64_t page = marker & ~0xfffULL;
    struct core_segment segs[] = { { page, page, 0x2000, PF_R | PF_W } };
    struct fake f = { marker, 0 };
    struct core_result res;
    char err[256];
    assert_int_equal(core_write(core_path, cpus, 2, segs, 1, fake_read, &f, NULL, NULL,
                                &res, err, sizeof err), 0);
    assert_int_equal(res.bytes, 0x2000);
    assert_int_equal(res.unreadable, 0);
    assert_true(f.reads > 0);

    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "timeout 60 gdb -nx --batch -ex 'set style enabled off' -ex 'core-file %s' "
             "-ex 'printf \"rip=%%lx rsp=%%lx rax=%%lx\\n\", $rip, $rsp, $rax' "
             "-ex 'printf \"marker=%%x\\n\", marker' "
             "-ex 'printf \"byte=%%x\\n\", *(unsigned char *)%llu' "
             "-ex 'thread 2' -ex 'printf \"rip2=%%lx rsp2=%%lx\\n\", $rip, $rsp' "
             "'%s' 2>&1",
             core_path, (unsigned long long)(page + 0x1ff0), elf);
    char *out = run_capture(cmd);
    assert_non_null(out);
    char want[256];
    snprintf(want, sizeof want, "rip=%llx rsp=7ffc1000 rax=1122334455667788",
             (unsigned long long)(leaf + 1));
    if (!strstr(out, want))
        print_error("gdb said:\n%s\n", out);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "marker=feedface"));
    assert_non_null(strstr(out, "byte=f0"));
    snprintf(want, sizeof want, "rip2=%llx rsp2=7ffc2000", (unsigned long long)(leaf + 4));
    assert_non_null(strstr(out, want));
    free(out);
}

static void unreadable_memory_is_zero_filled_and_counted(void **state)
{
    (void)state;
    struct core_cpu cpu = { .id = 1 };
    struct core_segment seg = { 0x1000, 0x1000, 0x3000, PF_R };
    struct core_result res;
    char err[256], path[512];
    snprintf(path, sizeof path, "%s/zero.core", test_tmp());
    assert_int_equal(core_write(path, &cpu, 1, &seg, 1, unreadable, NULL, NULL, NULL,
                                &res, err, sizeof err), 0);
    assert_int_equal(res.unreadable, 0x3000);

    /* The headers: an x86_64 ET_CORE with one PT_NOTE and one PT_LOAD. */
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    Elf64_Ehdr eh;
    Elf64_Phdr ph[2];
    assert_int_equal(fread(&eh, sizeof eh, 1, f), 1);
    assert_int_equal(fread(ph, sizeof ph, 1, f), 1);
    fclose(f);
    assert_int_equal(eh.e_type, ET_CORE);
    assert_int_equal(eh.e_machine, EM_X86_64);
    assert_int_equal(eh.e_phnum, 2);
    assert_int_equal(ph[0].p_type, PT_NOTE);
    assert_int_equal(ph[1].p_type, PT_LOAD);
    assert_int_equal(ph[1].p_vaddr, 0x1000);
    assert_int_equal(ph[1].p_filesz, 0x3000);
    assert_int_equal(ph[1].p_offset % 4096, 0);
}

static void refuses_bad_requests(void **state)
{
    (void)state;
    struct core_cpu cpu = { .id = 1 };
    char err[256];
    assert_int_equal(core_write("/nonexistent/dir/x.core", &cpu, 1, NULL, 0, unreadable, NULL,
                                NULL, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot create /nonexistent/dir/x.core"));
    assert_int_equal(core_write("x.core", &cpu, 0, NULL, 0, unreadable, NULL,
                                NULL, NULL, NULL, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gdb_reads_registers_and_memory),
        cmocka_unit_test(unreadable_memory_is_zero_filled_and_counted),
        cmocka_unit_test(refuses_bad_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
