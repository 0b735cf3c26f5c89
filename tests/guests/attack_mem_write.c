/* attack_mem_write: write a pattern into every page of the monitor region
 * by physical address, then read it back. Hosted no write may land (the
 * monitor's health line proves its own memory unchanged; here the guest
 * proves it cannot read its pattern back); bare every write lands. */
#include "attack.h"
#include "guest.h"
#include "idt.h"
#include "region.h"

const char guest_name[] = "attack_mem_write";

int guest_main(void)
{
    struct region r;
    struct region_scan s;
    uint64_t faults = 0;
    bool hosted = environment_is_hosted();
    if (!region_from_cmdline(&r))
        return GUEST_FAIL;
    for (uint64_t page = r.start; page < r.end; page += 0x1000)
        for (int i = 0; i < REGION_PROBES_PER_PAGE; i++) {
            uint64_t addr = page + region_probe_offsets[i];
            if (probe_write64(addr, region_pattern(addr)) >= 0)
                faults++;
        }
    printf("mem_write: writes %lu faults %lu\n", ((r.end - r.start) >> 12) * REGION_PROBES_PER_PAGE,
           faults);
    region_scan(&r, &s);
    region_scan_print("mem_write readback", &s);
    bool ok = hosted ? check(s.matching_pattern == 0 && s.differing == 0,
                             "no write to the monitor region is visible")
                     : check(s.matching_pattern == s.pages * REGION_PROBES_PER_PAGE,
                             "bare: every write to the region reads back");
    return ok && monitor_still_answers() ? GUEST_PASS : GUEST_FAIL;
}
