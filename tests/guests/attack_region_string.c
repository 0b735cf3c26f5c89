/* attack_region_string: copy a page out of the monitor region with
 * `rep movsq`, the way memcpy does, instead of the plain MOV loads of
 * attack_mem_read. Bare the region is RAM and the copy completes. Hosted a
 * string instruction where there is no guest memory is not emulated: the
 * monitor stops the vCPU with a report rather than guess, and nothing of the
 * region reaches the guest's buffer. */
#include "attack.h"
#include "guest.h"
#include "region.h"
#include "x86.h"

const char guest_name[] = "attack_region_string";
static uint64_t buffer[512];

int guest_main(void)
{
    struct region r;
    environment_is_hosted();
    if (!region_from_cmdline(&r))
        return GUEST_FAIL;
    memset(buffer, 0x5A, sizeof(buffer));
    const void *src = phys_ptr(r.start);
    void *dst = buffer;
    size_t count = ARRAY_LEN(buffer);
    printf("region_string: rep movsq from 0x%lx\n", r.start);
    __asm__ volatile("rep movsq" : "+S"(src), "+D"(dst), "+c"(count) :: "memory");
    printf("region_string: copy completed, %zu qwords left\n", count);
    return hosted_by_husk() || count ? GUEST_FAIL : GUEST_PASS;
}
