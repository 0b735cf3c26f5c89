/* Builds the Multiboot information the monitor hands its guest, as a boot
 * loader would: mem_lower/upper, the reduced memory map, the command line,
 * the boot loader name, no modules. Everything lives in one page of guest
 * memory (MBINFO_GPA, see docs/monitor.md); pure, unit-tested. */
#ifndef HUSK_MBINFO_H
#define HUSK_MBINFO_H

#include <stddef.h>
#include <stdint.h>

#include "memmap.h"

/* The page QEMU's own Multiboot loader uses for its info, so a guest that
 * runs bare finds its info at the same place hosted. */
#define MBINFO_GPA        0x9000u
#define MBINFO_SIZE       0x1000u
#define MBINFO_MMAP_OFF   0x100u
#define MBINFO_NAME_OFF   0x3f0u
#define MBINFO_CMD_OFF    0x400u
#define MBINFO_CMD_MAX    (MBINFO_SIZE - MBINFO_CMD_OFF)   /* with the terminator */

/* Fills page[MBINFO_SIZE] for guest-physical base `gpa`. Returns 0, or -1
 * when the map has more entries than fit or the command line is too long. */
int mbinfo_build(uint8_t *page, uint32_t gpa, const struct mem_range *map, unsigned n,
                 const char *cmdline);

#endif
