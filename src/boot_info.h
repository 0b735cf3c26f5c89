/* What the architecture's boot code hands the monitor core: the machine's
 * memory map and the guest module, already copied out of the boot loader's
 * structures (the guest may overwrite those). */
#ifndef HUSK_BOOT_INFO_H
#define HUSK_BOOT_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "mbinfo.h"
#include "memmap.h"

struct boot_info {
    struct mem_range map[MEMMAP_MAX];
    unsigned map_count;
    const uint8_t *guest_image;         /* module 0, or NULL */
    size_t guest_size;
    char guest_cmdline[MBINFO_CMD_MAX]; /* module 0's string, verbatim */
};

/* Entry of the monitor core on the boot CPU, after the architecture has
 * brought up every CPU and enabled virtualisation. */
__attribute__((noreturn)) void monitor_main(const struct boot_info *bi);

#endif
