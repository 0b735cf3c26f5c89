#include "multiboot.h"
#include "console.h"
#include "layout.h"
#include "../lib/string.h"

/* Multiboot Specification 0.6.96, section 3.3 "Boot information format". */
struct mb_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));
_Static_assert(__builtin_offsetof(struct mb_info, cmdline) == 16, "multiboot cmdline");
_Static_assert(__builtin_offsetof(struct mb_info, mmap_length) == 44, "multiboot mmap_length");

struct mb_mmap_entry {
    uint32_t size;          /* of the rest of the entry, not counting this field */
    uint64_t base;
    uint64_t len;
    uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct mb_mmap_entry) == 24, "multiboot mmap entry");

#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MMAP    (1u << 6)
#define MB_MEM_AVAILABLE 1

int multiboot_read(uint32_t magic, uint64_t info_phys, struct boot_info *out)
{
    memset(out, 0, sizeof *out);
    if (magic != MULTIBOOT_LOADER_MAGIC) {
        kprintf("[BOOT] error: not started by a Multiboot loader (EAX=0x%x)\n", magic);
        return -1;
    }
    const struct mb_info *mb = phys_to_virt(info_phys);
    if (mb->flags & MB_INFO_CMDLINE)
        strlcpy(out->cmdline, phys_to_virt(mb->cmdline), sizeof out->cmdline);
    if (!(mb->flags & MB_INFO_MMAP)) {
        kprintf("[BOOT] error: the loader gave no memory map\n");
        return -1;
    }
    uint64_t p = mb->mmap_addr, end = p + mb->mmap_length;
    while (p < end) {
        const struct mb_mmap_entry *e = phys_to_virt(p);
        if (e->type == MB_MEM_AVAILABLE && e->len) {
            if (out->navail == MAX_MEM_RANGES) {
                kprintf("[BOOT] warning: memory map has more than %d ranges; rest ignored\n",
                        MAX_MEM_RANGES);
                break;
            }
            out->avail[out->navail].base = e->base;
            out->avail[out->navail].len = e->len;
            out->navail++;
        }
        p += e->size + sizeof e->size;
    }
    return 0;
}

int mem_is_available(const struct boot_info *bi, uint64_t base, uint64_t len)
{
    for (int i = 0; i < bi->navail; i++)
        if (base >= bi->avail[i].base && base + len <= bi->avail[i].base + bi->avail[i].len)
            return 1;
    return 0;
}
