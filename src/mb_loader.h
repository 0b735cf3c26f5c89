/* Parses a Multiboot v1 kernel image the way a boot loader does: the a.out
 * kludge fields when header flag 16 is set, else the ELF32/ELF64 program
 * headers. Pure: works on a byte buffer, copies nothing, so the unit tests
 * feed it hand-built images and the monitor then copies the segments. */
#ifndef HUSK_MB_LOADER_H
#define HUSK_MB_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB_MAX_SEGMENTS 8

struct mb_segment {
    uint64_t paddr;        /* where the bytes go */
    uint64_t file_offset;  /* where they are in the image */
    uint64_t file_size;    /* bytes to copy */
    uint64_t mem_size;     /* bytes to occupy; the rest past file_size is zeroed */
};

struct mb_image {
    uint32_t header_flags;
    uint32_t entry;                    /* physical, 32-bit (the kernel starts in protected mode) */
    unsigned nsegments;
    struct mb_segment seg[MB_MAX_SEGMENTS];
};

enum mb_error {
    MB_OK = 0,
    MB_ERR_NO_HEADER,      /* no valid header (magic + checksum) in the first 8 KiB */
    MB_ERR_AOUT_FIELDS,    /* a.out kludge addresses inconsistent or outside the file */
    MB_ERR_NOT_ELF,        /* flag 16 clear and the image is not ELF */
    MB_ERR_ELF_BAD,        /* program headers outside the file, too many segments, ... */
    MB_ERR_ENTRY,          /* entry point not in any loaded segment, or above 4 GiB */
    MB_ERR_ABOVE_4G,       /* a segment does not fit below 4 GiB */
};

const char *mb_error_name(enum mb_error e);
enum mb_error mb_parse(const uint8_t *image, size_t size, struct mb_image *out);

#endif
