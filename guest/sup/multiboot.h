/* Multiboot v1 information, copied into supervisor memory before the frame
 * allocator runs (the loader may have put it anywhere). */
#ifndef SUP_MULTIBOOT_H
#define SUP_MULTIBOOT_H
#include <stdint.h>

#define MULTIBOOT_LOADER_MAGIC 0x2BADB002u
#define MAX_MEM_RANGES 32
#define CMDLINE_MAX    512

struct mem_range {
    uint64_t base;
    uint64_t len;
};

struct boot_info {
    char cmdline[CMDLINE_MAX];        /* whole command line, image path first */
    struct mem_range avail[MAX_MEM_RANGES]; /* type 1 (available) ranges only */
    int navail;
};

/* Returns 0, or -1 with a message printed when the information is unusable. */
int multiboot_read(uint32_t magic, uint64_t info_phys, struct boot_info *out);
/* Whether [base, base+len) lies inside one available range. */
int mem_is_available(const struct boot_info *bi, uint64_t base, uint64_t len);

#endif
