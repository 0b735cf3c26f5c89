/* attack_vmmcall: `vmmcall`, the guest-to-hypervisor call, with EFER.SVME
 * clear: #UD bare (QEMU's CPU model, as AMD hardware without SVM enabled)
 * and hosted (the monitor offers no hypercalls; docs/monitor.md). */
#include "attack.h"
#include "guest.h"
#include "idt.h"

const char guest_name[] = "attack_vmmcall";

int guest_main(void)
{
    environment_is_hosted();
    int verdict = expect_vector("vmmcall", probe_vmmcall(), VEC_UD);
    return monitor_still_answers() ? verdict : GUEST_FAIL;
}
