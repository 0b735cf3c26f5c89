/* Guest page walker: guest-virtual (linear) -> guest-physical, for every
 * paging mode a guest can be in (AMD APM vol. 2, 5.2-5.5): paging off,
 * 32-bit (4 KiB and 4 MiB pages, PSE-36), PAE (4 KiB and 2 MiB) and 4-level
 * long mode (4 KiB, 2 MiB, 1 GiB). Pure: table entries are read through a
 * callback, so the monitor reads guest memory and the unit tests read a
 * buffer of hand-built tables. */
#ifndef HUSK_PAGEWALK_H
#define HUSK_PAGEWALK_H

#include <stdbool.h>
#include <stdint.h>

/* The guest registers that select the paging mode. */
struct paging_regs {
    uint64_t cr0, cr3, cr4, efer;
};

/* What the access wants; the walker checks it like the CPU would. */
enum walk_access {
    WALK_READ = 0,
    WALK_WRITE = 1u << 0,
    WALK_USER = 1u << 1,    /* CPL 3 */
    WALK_FETCH = 1u << 2,
};

enum walk_status {
    WALK_OK = 0,
    WALK_NOT_PRESENT,       /* #PF, P = 0 at some level */
    WALK_PROTECTION,        /* #PF, present but U/W/NX forbid the access */
    WALK_RESERVED,          /* reserved bit set, or a non-canonical address */
    WALK_UNREADABLE,        /* a table lies where the guest has no memory */
    WALK_UNSUPPORTED,       /* 5-level paging */
};

enum paging_mode { PAGING_OFF, PAGING_32, PAGING_PAE, PAGING_4LEVEL };

struct walk_result {
    uint64_t gpa;           /* guest-physical address of va */
    uint64_t page_size;     /* 4 KiB, 2 MiB, 4 MiB, 1 GiB, or 4 GiB with paging off */
    bool writable, user, nx;/* effective permissions over all levels */
};

/* Reads one table entry of `size` bytes (4 or 8) at guest-physical `gpa`;
 * returns false when there is no guest memory there. */
typedef bool (*pte_reader)(void *opaque, uint64_t gpa, unsigned size, uint64_t *value);

enum paging_mode paging_mode_of(const struct paging_regs *r);
const char *walk_status_name(enum walk_status s);

enum walk_status page_walk(const struct paging_regs *r, uint64_t va, unsigned access,
                           pte_reader read, void *opaque, struct walk_result *out);

#endif
