/* attack_mem_read: read every page of the monitor region by physical
 * address (three qwords a page). Hosted the reads must reveal nothing: all
 * that complete return one and the same value (an unbacked hole, not code
 * or data). Bare the region is ordinary RAM and every read completes: that
 * run shows the probe itself works. */
#include "attack.h"
#include "guest.h"
#include "region.h"

const char guest_name[] = "attack_mem_read";

int guest_main(void)
{
    struct region r;
    struct region_scan s;
    bool hosted = environment_is_hosted();
    if (!region_from_cmdline(&r))
        return GUEST_FAIL;
    region_scan(&r, &s);
    region_scan_print("mem_read", &s);
    bool ok = hosted ? check(s.differing == 0, "reads of the monitor region reveal nothing")
                     : check(s.faults == 0 && s.reads == s.pages * REGION_PROBES_PER_PAGE,
                             "bare: every read of the region completes");
    return ok && monitor_still_answers() ? GUEST_PASS : GUEST_FAIL;
}
