/* attack_stgi: `stgi` with EFER.SVME clear in the guest must raise #UD
 * (APM vol. 3, STGI), hosted exactly as bare: the guest cannot touch the
 * global interrupt flag the monitor relies on. */
#include "attack.h"
#include "guest.h"
#include "idt.h"

const char guest_name[] = "attack_stgi";

int guest_main(void)
{
    environment_is_hosted();
    int verdict = expect_vector("stgi", probe_stgi(), VEC_UD);
    return monitor_still_answers() ? verdict : GUEST_FAIL;
}
