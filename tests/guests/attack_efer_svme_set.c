/* attack_efer_svme_set: set EFER.SVME, as a guest hypervisor would. Hosted
 * the bit goes into the guest's shadow only (docs/monitor.md): EFER reads
 * back with SVME set, yet `vmrun` still raises #UD: the guest gets no SVM of
 * its own. Bare QEMU really enables SVM; the guest then clears the bit again
 * without running vmrun (it would run a guest of its own). */
#include "attack.h"
#include "guest.h"
#include "idt.h"
#include "x86.h"

const char guest_name[] = "attack_efer_svme_set";
static uint8_t vmcb[4096] __attribute__((aligned(4096)));

int guest_main(void)
{
    uint64_t before = rdmsr(MSR_EFER), after = 0;
    bool hosted = environment_is_hosted();
    int wr = probe_wrmsr(MSR_EFER, before | EFER_SVME);
    int rd = probe_rdmsr(MSR_EFER, &after);
    printf("efer_svme_set: 0x%lx -> wrmsr %s -> 0x%lx (svme %d)\n", before, vector_name(wr), after,
           (int)((after & EFER_SVME) != 0));
    bool ok = check(wr < 0 && rd < 0 && (after & EFER_SVME), "EFER reads back with SVME set");
    if (hosted)
        ok &= expect_vector("vmrun with the shadow svme set", probe_vmrun((uintptr_t)vmcb), VEC_UD) == GUEST_PASS;
    ok &= check(probe_wrmsr(MSR_EFER, before) < 0 && rdmsr(MSR_EFER) == before, "EFER restored");
    ok &= monitor_still_answers();
    return ok ? GUEST_PASS : GUEST_FAIL;
}
