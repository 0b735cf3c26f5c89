/* attack_vmsave: `vmsave` with EFER.SVME clear in the guest must raise #UD
 * (APM vol. 3, VMSAVE), hosted exactly as bare: the guest never reaches the
 * monitor's SVM state. rAX points at a page of the guest's own. */
#include "attack.h"
#include "guest.h"
#include "idt.h"

const char guest_name[] = "attack_vmsave";
static uint8_t page[4096] __attribute__((aligned(4096)));

int guest_main(void)
{
    environment_is_hosted();
    int verdict = expect_vector("vmsave", probe_vmsave((uintptr_t)page), VEC_UD);
    return monitor_still_answers() ? verdict : GUEST_FAIL;
}
