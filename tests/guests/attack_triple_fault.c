/* attack_triple_fault: load an empty IDT and raise an exception: #GP on the
 * IDT limit, #DF, then shutdown (SDM vol. 3, 6.15, interrupt 8). Bare QEMU
 * (-no-reboot) then exits with status 0 and no verdict. Hosted the monitor
 * intercepts the shutdown: it stops this vCPU with a reported fault, prints
 * its fault report and exits QEMU itself (docs/monitor.md) instead of
 * letting the machine reset. The guest never reaches a verdict either way. */
#include "attack.h"
#include "guest.h"

const char guest_name[] = "attack_triple_fault";

int guest_main(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) empty = { 0, 0 };
    environment_is_hosted();
    printf("triple_fault: loading an empty IDT and executing ud2\n");
    __asm__ volatile("lidt %0; ud2" :: "m"(empty));
    printf("triple_fault: still running after the fault\n");
    return GUEST_FAIL;
}
