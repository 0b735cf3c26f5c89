/* attack_efer_svme: clear EFER.SVME. The monitor needs SVME set on the real
 * CPU for every VMRUN (APM vol. 2, 15.4), so it must keep the real bit and
 * give the guest a consistent view of its own: the write completes, EFER
 * then reads back with SVME clear, and SVM instructions raise #UD as on a
 * CPU with SVME clear. Bare this is exactly what the hardware does. */
#include "attack.h"
#include "guest.h"
#include "idt.h"
#include "x86.h"

const char guest_name[] = "attack_efer_svme";

int guest_main(void)
{
    uint64_t before = 0, after = 0;
    environment_is_hosted();
    int rd = probe_rdmsr(MSR_EFER, &before);
    printf("efer before: 0x%lx (svme %d), rdmsr raised %s\n", before, (int)((before & EFER_SVME) != 0),
           vector_name(rd));
    int wr = probe_wrmsr(MSR_EFER, before & ~EFER_SVME);
    int rd2 = probe_rdmsr(MSR_EFER, &after);
    printf("efer after: 0x%lx (svme %d), wrmsr raised %s\n", after, (int)((after & EFER_SVME) != 0),
           vector_name(wr));
    bool ok = check(rd < 0 && wr < 0 && rd2 < 0, "EFER reads and writes complete");
    ok &= check(!(after & EFER_SVME), "EFER reads back with SVME clear");
    ok &= check((after & ~EFER_SVME) == (before & ~EFER_SVME), "the other EFER bits are unchanged");
    ok &= expect_vector("vmrun after clearing svme", probe_vmrun(0), VEC_UD) == GUEST_PASS;
    ok &= monitor_still_answers();
    return ok ? GUEST_PASS : GUEST_FAIL;
}
