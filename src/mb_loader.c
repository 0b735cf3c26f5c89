#include "mb_loader.h"

#include "lib/string.h"
#include "multiboot.h"

const char *mb_error_name(enum mb_error e)
{
    static const char *const names[] = {
        [MB_OK] = "ok",
        [MB_ERR_NO_HEADER] = "no multiboot header in the first 8 KiB",
        [MB_ERR_AOUT_FIELDS] = "a.out kludge addresses inconsistent with the file",
        [MB_ERR_NOT_ELF] = "header flag 16 clear and the image is not ELF",
        [MB_ERR_ELF_BAD] = "bad ELF program headers",
        [MB_ERR_ENTRY] = "entry point outside the loaded segments",
        [MB_ERR_ABOVE_4G] = "segment above 4 GiB",
    };
    return (unsigned)e < sizeof names / sizeof names[0] ? names[e] : "?";
}

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static long find_header(const uint8_t *image, size_t size, struct mb_header *h)
{
    size_t limit = size < MB_SEARCH_BYTES ? size : MB_SEARCH_BYTES;
    for (size_t off = 0; off + 12 <= limit; off += 4) {
        uint32_t magic = rd32(image + off), flags = rd32(image + off + 4);
        uint32_t sum = rd32(image + off + 8);
        if (magic != MB_HEADER_MAGIC || (uint32_t)(magic + flags + sum) != 0)
            continue;
        memset(h, 0, sizeof *h);
        memcpy(h, image + off, off + sizeof *h <= size ? sizeof *h : size - off);
        return (long)off;
    }
    return -1;
}

/* Multiboot spec 3.1.3: the file bytes from header_addr - load_addr before
 * the header on are the image; load_end 0 means "to the end of the file";
 * bss_end 0 means no bss. */
static enum mb_error parse_aout(size_t size, long hoff, const struct mb_header *h, struct mb_image *out)
{
    if ((size_t)hoff + sizeof *h > size)
        return MB_ERR_AOUT_FIELDS;
    if (h->header_addr < h->load_addr || h->header_addr - h->load_addr > (uint32_t)hoff)
        return MB_ERR_AOUT_FIELDS;
    uint64_t file_off = (uint64_t)hoff - (h->header_addr - h->load_addr);
    uint64_t load_size;
    if (h->load_end_addr == 0) {
        load_size = size - file_off;
    } else {
        if (h->load_end_addr < h->load_addr)
            return MB_ERR_AOUT_FIELDS;
        load_size = h->load_end_addr - h->load_addr;
        if (file_off + load_size > size)
            return MB_ERR_AOUT_FIELDS;
    }
    uint64_t mem_size = load_size;
    if (h->bss_end_addr) {
        if (h->bss_end_addr < h->load_addr + load_size)
            return MB_ERR_AOUT_FIELDS;
        mem_size = h->bss_end_addr - h->load_addr;
    }
    if ((uint64_t)h->load_addr + mem_size > (1ull << 32))
        return MB_ERR_ABOVE_4G;
    if (h->entry_addr < h->load_addr || h->entry_addr >= h->load_addr + mem_size)
        return MB_ERR_ENTRY;
    out->nsegments = 1;
    out->seg[0] = (struct mb_segment){ h->load_addr, file_off, load_size, mem_size };
    out->entry = h->entry_addr;
    return MB_OK;
}

#define PT_LOAD 1

static enum mb_error parse_elf(const uint8_t *image, size_t size, struct mb_image *out)
{
    if (size < 52 || memcmp(image, "\x7f" "ELF", 4) != 0)
        return MB_ERR_NOT_ELF;
    bool is64 = image[4] == 2;
    if ((image[4] != 1 && image[4] != 2) || image[5] != 1)   /* class, little-endian */
        return MB_ERR_ELF_BAD;
    if (is64 && size < 64)
        return MB_ERR_ELF_BAD;
    uint64_t entry = is64 ? rd64(image + 24) : rd32(image + 24);
    uint64_t phoff = is64 ? rd64(image + 32) : rd32(image + 28);
    unsigned phentsize = rd16(image + (is64 ? 54 : 42));
    unsigned phnum = rd16(image + (is64 ? 56 : 44));
    if (phentsize < (is64 ? 56u : 32u) || phoff > size || (uint64_t)phnum * phentsize > size - phoff)
        return MB_ERR_ELF_BAD;
    out->nsegments = 0;
    bool entry_found = false;
    uint64_t entry_phys = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = image + phoff + (uint64_t)i * phentsize;
        uint64_t offset, vaddr, paddr, filesz, memsz;
        if (rd32(ph) != PT_LOAD)
            continue;
        if (is64) {
            offset = rd64(ph + 8); vaddr = rd64(ph + 16); paddr = rd64(ph + 24);
            filesz = rd64(ph + 32); memsz = rd64(ph + 40);
        } else {
            offset = rd32(ph + 4); vaddr = rd32(ph + 8); paddr = rd32(ph + 12);
            filesz = rd32(ph + 16); memsz = rd32(ph + 20);
        }
        if (memsz == 0)
            continue;
        if (filesz > memsz || offset > size || filesz > size - offset)
            return MB_ERR_ELF_BAD;
        if (paddr >= (1ull << 32) || memsz > (1ull << 32) - paddr)
            return MB_ERR_ABOVE_4G;
        if (out->nsegments == MB_MAX_SEGMENTS)
            return MB_ERR_ELF_BAD;
        out->seg[out->nsegments++] = (struct mb_segment){ paddr, offset, filesz, memsz };
        /* The entry is virtual; a loader runs it at its physical twin. */
        if (!entry_found && entry >= vaddr && entry - vaddr < memsz) {
            entry_found = true;
            entry_phys = paddr + (entry - vaddr);
        }
    }
    if (out->nsegments == 0)
        return MB_ERR_ELF_BAD;
    if (!entry_found || entry_phys >= (1ull << 32))
        return MB_ERR_ENTRY;
    out->entry = (uint32_t)entry_phys;
    return MB_OK;
}

enum mb_error mb_parse(const uint8_t *image, size_t size, struct mb_image *out)
{
    struct mb_header h;
    memset(out, 0, sizeof *out);
    long hoff = find_header(image, size, &h);
    if (hoff < 0)
        return MB_ERR_NO_HEADER;
    out->header_flags = h.flags;
    if (h.flags & MB_FLAG_AOUT_KLUDGE)
        return parse_aout(size, hoff, &h, out);
    return parse_elf(image, size, out);
}
