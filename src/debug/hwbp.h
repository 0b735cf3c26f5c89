/* The debugger's hardware breakpoints and watchpoints: ONE table of the four
 * x86 address slots (DR0-DR3) shared by every CPU. A Z1-Z4 packet changes
 * the table once; each CPU notices the new generation before its next VMRUN
 * and reloads its debug registers (host_dr.c), so a change costs one link
 * round trip, not one per CPU.
 *
 * Pure: no hardware, no monitor state beyond the table itself, so it builds
 * freestanding into the monitor and hosted into tests/unit/debug.
 *
 * x86 has no read-only data breakpoint (APM vol. 2, 13.1.1.5: R/W = 01 write,
 * 11 read or write). A Z3 read watchpoint takes a read/write slot and keeps a
 * snapshot of the watched bytes: a hit where the value changed was a write,
 * which is not reported; the snapshot is refreshed and the guest resumes. */
#ifndef HUSK_DEBUG_HWBP_H
#define HUSK_DEBUG_HWBP_H

#include <stdbool.h>
#include <stdint.h>

#include "stub/target.h"

#define HWBP_SLOTS 4

struct hwbp_slot {
    bool used;
    enum point_type type;       /* POINT_HW_BREAK .. POINT_WATCH_ACCESS */
    uint64_t addr;
    unsigned len;               /* 1 for execute, else 1/2/4/8 */
    unsigned refs;              /* identical inserts share a slot */
    bool snapshot_valid;        /* POINT_WATCH_READ: value is known */
    uint64_t snapshot;          /* POINT_WATCH_READ: the watched bytes, little-endian */
};

/* What a slot that fired means for the stop reply. */
struct hwbp_hit {
    unsigned slot;
    enum point_type type;
    uint64_t addr;              /* the watched (or breakpoint) address */
    unsigned len;
};

/* Reads len bytes of the debugged address space for the snapshot of a read
 * watchpoint; returns false when they cannot be read. The monitor binds it
 * to the stub's selected CPU. */
typedef bool (*hwbp_read_fn)(uint64_t addr, void *buf, unsigned len);
void hwbp_set_reader(hwbp_read_fn read);

/* TARGET_OK, TARGET_EINVAL (type is not Z1-Z4, length not 1/2/4/8 or not
 * aligned to it), TARGET_ENOSPC (all four slots in use). */
int hwbp_insert(enum point_type type, uint64_t addr, unsigned len);
/* TARGET_OK, or TARGET_EINVAL when no such point is inserted. */
int hwbp_remove(enum point_type type, uint64_t addr, unsigned len);
void hwbp_clear_all(void);

/* Bumped by every change of the table; CPUs compare it with what they loaded. */
uint64_t hwbp_generation(void);
/* A copy of the table and its generation, taken consistently. */
uint64_t hwbp_snapshot(struct hwbp_slot out[HWBP_SLOTS]);

/* The DR7 bits of the debugger's slots (enable, R/W, LEN), bit 10 excluded. */
uint64_t hwbp_dr7_bits(const struct hwbp_slot slots[HWBP_SLOTS]);
/* Which slots (bit i = DRi) the debugger uses. */
unsigned hwbp_used_mask(const struct hwbp_slot slots[HWBP_SLOTS]);

enum hwbp_verdict {
    HWBP_NOT_OURS,      /* the slot is not the debugger's */
    HWBP_REPORT,        /* stop and report *hit */
    HWBP_RESUME,        /* read watchpoint hit by a write: snapshot refreshed, resume */
};
/* Slot `slot` fired. For a read watchpoint `now` is the value of the watched
 * bytes after the access (now_valid false when it could not be read, which
 * is reported: better a stop too many than a read missed). */
enum hwbp_verdict hwbp_on_hit(unsigned slot, uint64_t now, bool now_valid, struct hwbp_hit *hit);

/* The stop the stub reports for a hit: STOP_HW_BREAK, or STOP_WATCH with the
 * kind (watch/rwatch/awatch), the watched address and the slot; signal 5.
 * Only reason, signal and the watch fields are set. */
void hwbp_hit_to_stop(const struct hwbp_hit *hit, struct stop_event *ev);

#endif
