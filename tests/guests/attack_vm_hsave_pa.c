/* attack_vm_hsave_pa: point VM_HSAVE_PA (where VMRUN saves host state, APM
 * vol. 2, 15.30.4) at a page of the guest's own. If the write reached the
 * real MSR, the next #VMEXIT would restore the monitor from guest-controlled
 * memory. Hosted the monitor owns the MSR: the write raises #GP or is
 * dropped (docs/monitor.md), and the monitor keeps working through a burst of
 * exits. Bare (TCG, no SVM in use) the MSR simply takes the value. */
#include "attack.h"
#include "guest.h"
#include "idt.h"
#include "x86.h"

const char guest_name[] = "attack_vm_hsave_pa";
static uint8_t fake_save_area[4096] __attribute__((aligned(4096)));

int guest_main(void)
{
    uint64_t before = 0, after = 0, target = (uintptr_t)fake_save_area;
    bool hosted = environment_is_hosted();
    int rd = probe_rdmsr(MSR_VM_HSAVE_PA, &before);
    int wr = probe_wrmsr(MSR_VM_HSAVE_PA, target);
    int rd2 = probe_rdmsr(MSR_VM_HSAVE_PA, &after);
    printf("vm_hsave_pa: rdmsr %s value 0x%lx; wrmsr 0x%lx raised %s; rdmsr %s value 0x%lx\n",
           vector_name(rd), before, target, vector_name(wr), vector_name(rd2), after);
    memset(fake_save_area, 0xEE, sizeof(fake_save_area));
    bool ok = monitor_still_answers();
    if (hosted) {
        ok &= check(wr == VEC_GP || wr < 0, "the write raised #GP or was dropped");
        ok &= check(!memcmp(fake_save_area, (uint8_t[16]){ [0 ... 15] = 0xEE }, 16),
                    "the monitor did not use the guest's page as its save area");
    } else {
        ok &= check(wr < 0 && rd2 < 0 && after == target, "bare: the MSR takes the value");
    }
    return ok ? GUEST_PASS : GUEST_FAIL;
}
