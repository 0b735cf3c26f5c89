/* attack_vm_cr: set VM_CR.SVMDIS and LOCK (APM vol. 2, 15.30.1), which on a
 * real CPU disable SVM until reset. Hosted the monitor owns the MSR: the
 * write raises #GP or is dropped (docs/monitor.md), and the monitor keeps
 * working. The bare reference records what QEMU's CPU model does. */
#include "attack.h"
#include "guest.h"
#include "idt.h"
#include "x86.h"

const char guest_name[] = "attack_vm_cr";

#define VM_CR_LOCK   (1ull << 3)
#define VM_CR_SVMDIS (1ull << 4)

int guest_main(void)
{
    uint64_t before = 0, after = 0;
    bool hosted = environment_is_hosted();
    int rd = probe_rdmsr(MSR_VM_CR, &before);
    int wr = probe_wrmsr(MSR_VM_CR, before | VM_CR_SVMDIS | VM_CR_LOCK);
    int rd2 = probe_rdmsr(MSR_VM_CR, &after);
    printf("vm_cr: rdmsr %s value 0x%lx; wrmsr svmdis|lock raised %s; rdmsr %s value 0x%lx\n",
           vector_name(rd), before, vector_name(wr), vector_name(rd2), after);
    bool ok = monitor_still_answers();
    if (hosted)
        ok &= check(wr == VEC_GP || wr < 0, "the write raised #GP or was dropped");
    return ok ? GUEST_PASS : GUEST_FAIL;
}
