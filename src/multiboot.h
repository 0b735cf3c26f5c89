/* Multiboot v1 structures (Multiboot Specification 0.6.96, section 3). */
#ifndef HUSK_MULTIBOOT_H
#define HUSK_MULTIBOOT_H

#include <stdint.h>

#define MB_HEADER_MAGIC      0x1BADB002u
#define MB_BOOT_MAGIC        0x2BADB002u   /* in EAX at the kernel's entry */
#define MB_SEARCH_BYTES      8192          /* the header lies in the first 8 KiB */

#define MB_FLAG_AOUT_KLUDGE  (1u << 16)    /* header carries the load addresses */
#define MB_FLAG_VIDEO        (1u << 2)

/* info->flags */
#define MBI_MEM              (1u << 0)
#define MBI_CMDLINE          (1u << 2)
#define MBI_MODS             (1u << 3)
#define MBI_MMAP             (1u << 6)

struct mb_header {
    uint32_t magic, flags, checksum;
    uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

struct mb_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;     /* KiB below 1 MiB, KiB from 1 MiB to the first hole */
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
    uint32_t apm_table;
    uint32_t vbe_control_info, vbe_mode_info;
    uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
};
_Static_assert(sizeof(struct mb_info) == 88, "multiboot info is 88 bytes up to vbe");

struct mb_module {
    uint32_t mod_start, mod_end, string, reserved;
};

/* One memory map entry; `size` counts the bytes after itself. */
struct mb_mmap_entry {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;                      /* 1 = usable RAM */
} __attribute__((packed));
_Static_assert(sizeof(struct mb_mmap_entry) == 24, "mmap entry is 24 bytes");

#endif
