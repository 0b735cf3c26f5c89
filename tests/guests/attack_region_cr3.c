/* attack_region_cr3: put the guest's own page tables in the monitor region
 * (copy the top-level table there, load CR3 with it). Bare the region is RAM:
 * the copy is a valid table, the guest runs on and restores CR3. Hosted the
 * copy is dropped and the CPU's page walk reads where there is no guest
 * memory: the monitor stops the vCPU with a report ("guest page table where
 * there is no guest memory") and ends the run. */
#include "attack.h"
#include "guest.h"
#include "region.h"
#include "x86.h"

const char guest_name[] = "attack_region_cr3";

/* Plain MOV stores, one a word, which the monitor drops one by one; memcpy
 * would use `rep movs` (attack_region_string is that case). */
static void copy_page(uint64_t dst, uint64_t src)
{
    volatile uint64_t *d = phys_ptr(dst);
    const uint64_t *s = phys_ptr(src);
    for (int i = 0; i < 512; i++)
        d[i] = s[i];
}

int guest_main(void)
{
    struct region r;
    environment_is_hosted();
    if (!region_from_cmdline(&r))
        return GUEST_FAIL;
    uint64_t old = read_cr3();
    copy_page(r.start, old & ~0xFFFull);
    printf("region_cr3: loading cr3 0x%lx\n", r.start);
    write_cr3(r.start);
    /* Any access now walks from the region; print one. */
    printf("region_cr3: running on page tables in the region\n");
    write_cr3(old);
    return hosted_by_husk() ? GUEST_FAIL : GUEST_PASS;
}
