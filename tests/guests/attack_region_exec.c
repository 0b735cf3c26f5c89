/* attack_region_exec: run code at the start of the monitor region. The
 * guest first stores a `ret` there and then calls it. Bare the region is RAM
 * and the call returns. Hosted the store is dropped (no guest memory there)
 * and the instruction fetch cannot be emulated: the monitor stops the vCPU
 * with a report ("instruction fetch where there is no guest memory") and,
 * no vCPU being left running, ends the run itself. */
#include "attack.h"
#include "guest.h"
#include "region.h"
#include "x86.h"

const char guest_name[] = "attack_region_exec";

int guest_main(void)
{
    struct region r;
    environment_is_hosted();
    if (!region_from_cmdline(&r))
        return GUEST_FAIL;
    volatile uint8_t *code = phys_ptr(r.start);
    *code = 0xC3;                                   /* ret */
    printf("region_exec: calling 0x%lx\n", r.start);
    ((void (*)(void))phys_ptr(r.start))();
    printf("region_exec: returned from the region\n");
    return hosted_by_husk() ? GUEST_FAIL : GUEST_PASS;
}
