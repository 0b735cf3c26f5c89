/* attack_invlpga: `invlpga` (flush another ASID's TLB entries, here ASID 1,
 * the monitor's guests') with EFER.SVME clear must raise #UD (APM vol. 3,
 * INVLPGA), hosted exactly as bare. */
#include "attack.h"
#include "guest.h"
#include "idt.h"

const char guest_name[] = "attack_invlpga";

int guest_main(void)
{
    environment_is_hosted();
    int verdict = expect_vector("invlpga", probe_invlpga(0x100000, 1), VEC_UD);
    return monitor_still_answers() ? verdict : GUEST_FAIL;
}
