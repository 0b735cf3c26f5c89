/* The Multiboot information page the monitor builds for its guest. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mbinfo.h"
#include "multiboot.h"

static uint8_t page[MBINFO_SIZE];

static const struct mem_range map[] = {
    { 0x0, 0x9fc00, 1 },
    { 0x100000, 0xf00000, 1 },
    { 0x1200000, 0x1ede0000, 1 },
    { 0xfffc0000, 0x40000, 2 },
};

static void test_build(void **state)
{
    (void)state;
    memset(page, 0xcc, sizeof page);
    assert_int_equal(mbinfo_build(page, 0x9000, map, 4, "build/guest.elf exit-when-done"), 0);
    struct mb_info info;
    memcpy(&info, page, sizeof info);
    assert_int_equal(info.flags, MBI_MEM | MBI_CMDLINE | MBI_MMAP | (1u << 9));
    assert_int_equal(info.mem_lower, 639);
    assert_int_equal(info.mem_upper, 15 * 1024);
    assert_int_equal(info.mods_count, 0);
    assert_int_equal(info.cmdline, 0x9000 + MBINFO_CMD_OFF);
    assert_string_equal((char *)page + MBINFO_CMD_OFF, "build/guest.elf exit-when-done");
    assert_int_equal(info.boot_loader_name, 0x9000 + MBINFO_NAME_OFF);
    assert_string_equal((char *)page + MBINFO_NAME_OFF, "husk");
    assert_int_equal(info.mmap_addr, 0x9000 + MBINFO_MMAP_OFF);
    assert_int_equal(info.mmap_length, 4 * 24);
    for (int i = 0; i < 4; i++) {
        struct mb_mmap_entry e;
        memcpy(&e, page + MBINFO_MMAP_OFF + 24 * i, sizeof e);
        assert_int_equal(e.size, 20);           /* bytes after the size field */
        assert_int_equal(e.addr, map[i].addr);
        assert_int_equal(e.len, map[i].len);
        assert_int_equal(e.type, map[i].type);
    }
    /* the rest of the page is cleared, not left as it was */
    assert_int_equal(page[MBINFO_SIZE - 1], 0);
}

static void test_limits(void **state)
{
    (void)state;
    char cmd[MBINFO_CMD_MAX + 1];
    memset(cmd, 'x', sizeof cmd);
    cmd[MBINFO_CMD_MAX] = '\0';                 /* one byte too long with its terminator */
    assert_int_equal(mbinfo_build(page, 0x9000, map, 4, cmd), -1);
    cmd[MBINFO_CMD_MAX - 1] = '\0';             /* exactly fits */
    assert_int_equal(mbinfo_build(page, 0x9000, map, 4, cmd), 0);
    assert_int_equal(strlen((char *)page + MBINFO_CMD_OFF), MBINFO_CMD_MAX - 1);
    struct mem_range many[40];
    for (int i = 0; i < 40; i++)
        many[i] = (struct mem_range){ (uint64_t)i << 20, 1 << 20, 1 };
    assert_int_equal(mbinfo_build(page, 0x9000, many, 40, ""), -1);
    assert_int_equal(mbinfo_build(page, 0x9000, many, 31, ""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
