/* attack_npt_write: the nested page tables live in the monitor region. Fill
 * slots of every page there with page-table entries that would map the
 * region itself (2 MiB pages, present, writable, user), flush the guest TLB
 * and look again: hosted the region must still reveal nothing (no slot
 * reads back as written); bare the entries are plain RAM and read back. */
#include "attack.h"
#include "guest.h"
#include "idt.h"
#include "region.h"
#include "x86.h"

const char guest_name[] = "attack_npt_write";

/* Entries 0-3, 256 and 509-511 of each would-be table page. */
static const uint16_t slots[] = { 0, 1, 2, 3, 256, 509, 510, 511 };
#define PTE_P_RW_US_PS 0x87ull

int guest_main(void)
{
    struct region r;
    uint64_t faults = 0, seen = 0, completed = 0, differing = 0, first = 0;
    bool hosted = environment_is_hosted();
    if (!region_from_cmdline(&r))
        return GUEST_FAIL;
    uint64_t pte = (r.start & ~0x1FFFFFull) | PTE_P_RW_US_PS;
    for (uint64_t page = r.start; page < r.end; page += 0x1000)
        for (size_t i = 0; i < ARRAY_LEN(slots); i++)
            if (probe_write64(page + 8u * slots[i], pte + (i << 21)) >= 0)
                faults++;
    write_cr3(read_cr3());
    for (uint64_t page = r.start; page < r.end; page += 0x1000)
        for (size_t i = 0; i < ARRAY_LEN(slots); i++) {
            uint64_t v;
            if (probe_read64(page + 8u * slots[i], &v) >= 0)
                continue;
            if (!completed++)
                first = v;
            else if (v != first)
                differing++;
            if (v == pte + (i << 21))
                seen++;
        }
    uint64_t total = ((r.end - r.start) >> 12) * ARRAY_LEN(slots);
    printf("npt_write: entries %lu write faults %lu reads %lu differing %lu read back %lu\n",
           total, faults, completed, differing, seen);
    bool ok = hosted ? check(seen == 0 && differing == 0, "no table entry written into the monitor region is visible")
                     : check(seen == total, "bare: every entry reads back");
    return ok && monitor_still_answers() ? GUEST_PASS : GUEST_FAIL;
}
