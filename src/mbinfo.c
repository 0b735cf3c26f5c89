#include "mbinfo.h"

#include "lib/string.h"
#include "multiboot.h"

_Static_assert(sizeof(struct mb_info) <= MBINFO_MMAP_OFF, "info fits before the map");

int mbinfo_build(uint8_t *page, uint32_t gpa, const struct mem_range *map, unsigned n,
                 const char *cmdline)
{
    size_t cmd_len = strlen(cmdline);
    if (cmd_len + 1 > MBINFO_CMD_MAX)
        return -1;
    if ((size_t)n * sizeof(struct mb_mmap_entry) > MBINFO_NAME_OFF - MBINFO_MMAP_OFF)
        return -1;
    memset(page, 0, MBINFO_SIZE);

    struct mb_info info = { 0 };
    info.flags = MBI_MEM | MBI_CMDLINE | MBI_MMAP | (1u << 9) /* boot_loader_name */;
    memmap_lower_upper(map, n, &info.mem_lower, &info.mem_upper);
    info.cmdline = gpa + MBINFO_CMD_OFF;
    info.mods_count = 0;
    info.mods_addr = 0;
    info.mmap_addr = gpa + MBINFO_MMAP_OFF;
    info.mmap_length = n * sizeof(struct mb_mmap_entry);
    info.boot_loader_name = gpa + MBINFO_NAME_OFF;

    for (unsigned i = 0; i < n; i++) {
        struct mb_mmap_entry e = { sizeof e - 4, map[i].addr, map[i].len, map[i].type };
        memcpy(page + MBINFO_MMAP_OFF + i * sizeof e, &e, sizeof e);
    }
    memcpy(page, &info, sizeof info);
    memcpy(page + MBINFO_NAME_OFF, "husk", 5);
    memcpy(page + MBINFO_CMD_OFF, cmdline, cmd_len + 1);
    return 0;
}
