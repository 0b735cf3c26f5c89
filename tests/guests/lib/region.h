/* The monitor region an attack guest aims at: `region=START-END` (hex,
 * physical, END exclusive) on the command line. tests/e2e computes it as
 * what the hosted memory map omits compared with the bare one. */
#ifndef GUEST_REGION_H
#define GUEST_REGION_H

#include <stdbool.h>
#include <stdint.h>

struct region {
    uint64_t start, end;
};

/* Parses and sanity-checks it (page aligned, above the guest image, below
 * 4 GiB where the guest's identity map ends); prints why when false. */
bool region_from_cmdline(struct region *r);

/* Offsets probed in each page: first, middle and last qword. Reading or
 * writing every byte would cost one exit each where the monitor emulates. */
#define REGION_PROBES_PER_PAGE 3
extern const uint32_t region_probe_offsets[REGION_PROBES_PER_PAGE];

/* What the reads of a region showed. */
struct region_scan {
    uint64_t pages, reads, faults;
    int fault_vector;                /* first fault's vector, -1 if none */
    uint64_t first_value;            /* value of the first read that completed */
    uint64_t differing;              /* reads that returned something else */
    uint64_t matching_pattern;       /* reads that returned region_pattern(addr) */
};

/* The value the write attacks store at addr: unlike any real content. */
static inline uint64_t region_pattern(uint64_t addr) { return addr ^ 0x5A17C0DE00000000ull; }

void region_scan(const struct region *r, struct region_scan *s);
void region_scan_print(const char *what, const struct region_scan *s);

#endif
