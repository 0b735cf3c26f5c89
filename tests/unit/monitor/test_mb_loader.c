/* Multiboot v1 image parsing: a.out kludge, ELF32, ELF64, and bad images. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mb_loader.h"
#include "multiboot.h"

static uint8_t img[0x4000];
static struct mb_image out;

static void put32(size_t off, uint32_t v) { memcpy(img + off, &v, 4); }
static void put16(size_t off, uint16_t v) { memcpy(img + off, &v, 2); }
static void put64(size_t off, uint64_t v) { memcpy(img + off, &v, 8); }

static void header(size_t off, uint32_t flags)
{
    put32(off, MB_HEADER_MAGIC);
    put32(off + 4, flags);
    put32(off + 8, (uint32_t)-(MB_HEADER_MAGIC + flags));
}

/* a.out kludge image: header at file offset 0x40, loaded at 0x100000 */
static void aout(uint32_t load_end, uint32_t bss_end, uint32_t entry)
{
    memset(img, 0, sizeof img);
    header(0x40, MB_FLAG_AOUT_KLUDGE);
    put32(0x4c, 0x100040);      /* header_addr */
    put32(0x50, 0x100000);      /* load_addr */
    put32(0x54, load_end);
    put32(0x58, bss_end);
    put32(0x5c, entry);
}

static void test_aout(void **state)
{
    (void)state;
    aout(0x100200, 0x100400, 0x100080);
    assert_int_equal(mb_parse(img, 0x300, &out), MB_OK);
    assert_int_equal(out.nsegments, 1);
    assert_int_equal(out.seg[0].paddr, 0x100000);
    assert_int_equal(out.seg[0].file_offset, 0);
    assert_int_equal(out.seg[0].file_size, 0x200);
    assert_int_equal(out.seg[0].mem_size, 0x400);
    assert_int_equal(out.entry, 0x100080);
    /* load_end 0: up to the end of the file; bss_end 0: no bss */
    aout(0, 0, 0x100080);
    assert_int_equal(mb_parse(img, 0x300, &out), MB_OK);
    assert_int_equal(out.seg[0].file_size, 0x300);
    assert_int_equal(out.seg[0].mem_size, 0x300);
}

static void test_aout_header_not_at_start(void **state)
{
    (void)state;
    /* header 0x1000 into the file, image starts 0x800 before it */
    memset(img, 0, sizeof img);
    header(0x1000, MB_FLAG_AOUT_KLUDGE | 2);
    put32(0x100c, 0x200800);
    put32(0x1010, 0x200000);
    put32(0x1014, 0x201000);
    put32(0x1018, 0x202000);
    put32(0x101c, 0x200900);
    assert_int_equal(mb_parse(img, 0x2000, &out), MB_OK);
    assert_int_equal(out.seg[0].file_offset, 0x800);
    assert_int_equal(out.seg[0].paddr, 0x200000);
}

static void test_aout_errors(void **state)
{
    (void)state;
    aout(0x100200, 0x100400, 0x100080);
    put32(0x48, 0);                                     /* bad checksum */
    assert_int_equal(mb_parse(img, 0x300, &out), MB_ERR_NO_HEADER);
    aout(0x100800, 0, 0x100080);                        /* load_end past the file */
    assert_int_equal(mb_parse(img, 0x300, &out), MB_ERR_AOUT_FIELDS);
    aout(0x100200, 0x100100, 0x100080);                 /* bss_end before load_end */
    assert_int_equal(mb_parse(img, 0x300, &out), MB_ERR_AOUT_FIELDS);
    aout(0x100200, 0x100400, 0x200000);                 /* entry outside */
    assert_int_equal(mb_parse(img, 0x300, &out), MB_ERR_ENTRY);
    aout(0x100200, 0x100400, 0x100080);
    put32(0x4c, 0x200000);                              /* header_addr - load_addr > header offset */
    assert_int_equal(mb_parse(img, 0x300, &out), MB_ERR_AOUT_FIELDS);
    aout(0x100200, 0x100400, 0x100080);
    assert_int_equal(mb_parse(img, 0x50, &out), MB_ERR_AOUT_FIELDS);   /* header cut short */
    /* a header beyond the first 8 KiB does not count */
    memset(img, 0, sizeof img);
    header(0x2000, MB_FLAG_AOUT_KLUDGE);
    assert_int_equal(mb_parse(img, sizeof img, &out), MB_ERR_NO_HEADER);
    assert_int_equal(mb_parse(img, 0, &out), MB_ERR_NO_HEADER);
    assert_string_equal(mb_error_name(MB_ERR_ENTRY), "entry point outside the loaded segments");
}

static void elf32(void)
{
    memset(img, 0, sizeof img);
    memcpy(img, "\x7f" "ELF", 4);
    img[4] = 1;                 /* ELFCLASS32 */
    img[5] = 1;                 /* little-endian */
    put32(24, 0x100010);        /* e_entry */
    put32(28, 52);              /* e_phoff */
    put16(42, 32);              /* e_phentsize */
    put16(44, 2);               /* e_phnum */
    /* PT_LOAD: offset 0x1000 -> 0x100000, 0x200 bytes, 0x300 in memory */
    put32(52, 1); put32(56, 0x1000); put32(60, 0x100000); put32(64, 0x100000);
    put32(68, 0x200); put32(72, 0x300);
    /* PT_NOTE: ignored */
    put32(84, 4); put32(88, 0x10);
    header(0x1000, 0);
}

static void test_elf32(void **state)
{
    (void)state;
    elf32();
    assert_int_equal(mb_parse(img, 0x2000, &out), MB_OK);
    assert_int_equal(out.nsegments, 1);
    assert_int_equal(out.seg[0].paddr, 0x100000);
    assert_int_equal(out.seg[0].file_offset, 0x1000);
    assert_int_equal(out.seg[0].file_size, 0x200);
    assert_int_equal(out.seg[0].mem_size, 0x300);
    assert_int_equal(out.entry, 0x100010);
    put32(68, 0x400);           /* filesz > memsz */
    assert_int_equal(mb_parse(img, 0x2000, &out), MB_ERR_ELF_BAD);
    elf32();
    put32(56, 0x1f00);          /* segment past the end of the file */
    assert_int_equal(mb_parse(img, 0x2000, &out), MB_ERR_ELF_BAD);
    elf32();
    put16(44, 0xffff);          /* program headers past the end */
    assert_int_equal(mb_parse(img, 0x2000, &out), MB_ERR_ELF_BAD);
    elf32();
    put32(24, 0x500000);        /* entry in no segment */
    assert_int_equal(mb_parse(img, 0x2000, &out), MB_ERR_ENTRY);
    elf32();
    img[0] = 0;                 /* not ELF and no kludge */
    assert_int_equal(mb_parse(img, 0x2000, &out), MB_ERR_NOT_ELF);
}

static void test_elf64_higher_half(void **state)
{
    (void)state;
    memset(img, 0, sizeof img);
    memcpy(img, "\x7f" "ELF", 4);
    img[4] = 2;
    img[5] = 1;
    put64(24, 0xffffffff80200040ull);   /* e_entry (virtual) */
    put64(32, 64);                      /* e_phoff */
    put16(54, 56);
    put16(56, 1);
    put32(64, 1);
    put64(64 + 8, 0x1000);              /* p_offset */
    put64(64 + 16, 0xffffffff80200000ull);
    put64(64 + 24, 0x200000);           /* p_paddr */
    put64(64 + 32, 0x800);
    put64(64 + 40, 0x2000);
    header(0x1000, 0);
    assert_int_equal(mb_parse(img, 0x3000, &out), MB_OK);
    assert_int_equal(out.seg[0].paddr, 0x200000);
    assert_int_equal(out.entry, 0x200040);   /* the entry's physical twin */
    put64(64 + 24, 0x1fffff000ull);          /* does not fit below 4 GiB */
    assert_int_equal(mb_parse(img, 0x3000, &out), MB_ERR_ABOVE_4G);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aout),
        cmocka_unit_test(test_aout_header_not_at_start),
        cmocka_unit_test(test_aout_errors),
        cmocka_unit_test(test_elf32),
        cmocka_unit_test(test_elf64_higher_half),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
