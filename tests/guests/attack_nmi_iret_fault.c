/* attack_nmi_iret_fault: the IRET that ends an NMI handler faults (#GP: the
 * frame's CS was made null) while another NMI waits. Hosted, the monitor
 * single-steps that IRET to learn when NMIs unblock (it cannot see it
 * otherwise without virtual NMIs), so the fault must not show its trap
 * flag. As on hardware (the bare run): the #GP frame holds the RFLAGS the
 * IRET ran with, TF clear; the waiting NMI stays blocked through the #GP
 * handler and arrives when that handler's IRET completes; and no #DB ever
 * reaches the guest. */
#include "apic.h"
#include "attack.h"
#include "guest.h"
#include "idt.h"
#include "x86.h"

const char guest_name[] = "attack_nmi_iret_fault";

#define RFLAGS_TF (1ull << 8)

static volatile int nmis, gps, dbs, nmis_seen_by_gp;
static volatile uint64_t gp_rflags, gp_error, saved_cs;

static void on_nmi(struct interrupt_frame *f)
{
    if (++nmis != 1)
        return;
    /* the second NMI waits: NMIs are blocked until an IRET completes */
    lapic_send_ipi(lapic_id(), ICR_NMI);
    saved_cs = f->cs;
    f->cs = 0;              /* this handler's IRET raises #GP(0) */
}

static void on_gp(struct interrupt_frame *f)
{
    gps++;
    gp_rflags = f->rflags;
    gp_error = f->error_code;
    nmis_seen_by_gp = nmis;
    /* the faulting IRET was popping the frame at the #GP's RSP: RIP, CS,
     * RFLAGS, RSP, SS; mend CS and let it run again */
    ((uint64_t *)f->rsp)[1] = saved_cs;
}

static void on_db(struct interrupt_frame *f)
{
    (void)f;
    dbs++;
}

int guest_main(void)
{
    environment_is_hosted();
    irq_set_handler(VEC_NMI, on_nmi);
    irq_set_handler(VEC_GP, on_gp);
    irq_set_handler(1, on_db);
    lapic_enable();
    lapic_send_ipi(lapic_id(), ICR_NMI);
    for (unsigned spins = 0; nmis < 2 && spins < 100000000u; spins++)
        cpu_relax();
    bool ok = check(nmis == 2 && gps == 1, "NMIs taken %d, #GP taken %d (2 and 1)", nmis, gps);
    ok &= check(gp_error == 0, "the IRET raised #GP(0) (error code %lu)", (uint64_t)gp_error);
    ok &= check(!(gp_rflags & RFLAGS_TF), "the #GP frame's RFLAGS 0x%lx has TF clear", (uint64_t)gp_rflags);
    ok &= check(nmis_seen_by_gp == 1, "the second NMI stayed blocked through the #GP handler (NMIs then: %d)",
                nmis_seen_by_gp);
    ok &= check(dbs == 0, "no #DB reached the guest (%d)", dbs);
    return ok && monitor_still_answers() ? GUEST_PASS : GUEST_FAIL;
}
