/* The real debug registers before each VMRUN. Only DR6 and DR7 live in the
 * VMCB (APM vol. 2, 15.5.1, table B-2); DR0-DR3 are the CPU's own and stay
 * live across VMRUN and #VMEXIT, so they are loaded with real `mov`s. Under
 * QEMU TCG breakpoints are armed only by a real `mov` to DR7 (notes,
 * svm-under-qemu-tcg.md rule 2), so host DR7 is written with the value the
 * VMCB gets whenever anything is armed; #VMEXIT may leave host DR7 disabled
 * on hardware, so it is written before every VMRUN while a slot is armed,
 * and not at all while nothing is (the common case costs no `mov`). */
#include "arch.h"
#include "debug/hwbp.h"
#include "exit_path.h"
#include "svm.h"
#include "vcpu_dr.h"

/* What this vCPU's CPU holds, and from which table generation. */
struct loaded_dr {
    bool valid;
    bool guest_dirty;
    uint64_t generation;
    uint64_t dr[4];
    uint64_t dr7;
    unsigned debugger_mask;
    unsigned guest_mask;
};

static struct loaded_dr loaded[MAX_CPUS];

void vcpu_dr_changed(struct vcpu *v) { loaded[v->index].guest_dirty = true; }

void host_dr_loaded_masks(struct vcpu *v, unsigned *debugger, unsigned *guest)
{
    *debugger = loaded[v->index].debugger_mask;
    *guest = loaded[v->index].guest_mask;
}

static void write_dr(unsigned n, uint64_t value)
{
    switch (n) {
    case 0: __asm__ volatile("mov %0, %%dr0" : : "r"(value)); break;
    case 1: __asm__ volatile("mov %0, %%dr1" : : "r"(value)); break;
    case 2: __asm__ volatile("mov %0, %%dr2" : : "r"(value)); break;
    case 3: __asm__ volatile("mov %0, %%dr3" : : "r"(value)); break;
    }
}

static void write_dr7(uint64_t value) { __asm__ volatile("mov %0, %%dr7" : : "r"(value)); }

/* Recomposes after a change of the debugger's table or the guest's shadow;
 * returns whether DR7 must be written even if nothing is armed now. */
static bool recompose(struct vcpu *v, struct loaded_dr *l)
{
    struct hwbp_slot slots[HWBP_SLOTS];
    uint64_t gen = hwbp_snapshot(slots);
    uint64_t addr[4];
    for (unsigned i = 0; i < 4; i++)
        addr[i] = slots[i].addr;
    unsigned dmask = hwbp_used_mask(slots);
    const struct dr_shadow *g = vcpu_dr_shadow(v);
    uint64_t lo, hi;
    arch_monitor_region(&lo, &hi);      /* identity-mapped: linear == physical */
    struct dr_hw hw = dr_compose(g, dmask, hwbp_dr7_bits(slots), addr, lo, hi);

    /* disarm before moving addresses, so no half-updated slot can fire */
    bool dr7_changed = !l->valid || hw.dr7 != l->dr7;
    if (l->valid && l->dr7 != DR7_FIXED_1 && dr7_changed)
        write_dr7(DR7_FIXED_1);
    for (unsigned i = 0; i < 4; i++)
        if (!l->valid || hw.dr[i] != l->dr[i])
            write_dr(i, hw.dr[i]);

    l->valid = true;
    l->guest_dirty = false;
    l->generation = gen;
    for (unsigned i = 0; i < 4; i++)
        l->dr[i] = hw.dr[i];
    l->dr7 = hw.dr7;
    l->debugger_mask = 0;
    for (unsigned i = 0; i < 4; i++)
        if ((dmask & (1u << i)) && (hw.dr7 & DR7_SLOT_ENABLE(i)))
            l->debugger_mask |= 1u << i;
    l->guest_mask = 0;
    for (unsigned i = 0; i < 4; i++)
        if (!(dmask & (1u << i)) && (hw.dr7 & DR7_SLOT_ENABLE(i)))
            l->guest_mask |= 1u << i;
    return dr7_changed;
}

EXIT_PATH void host_dr_load(struct vcpu *v)
{
    struct loaded_dr *l = &loaded[v->index];
    struct vmcb *vmcb = vmcb_of(v);
    bool write7 = false;
    if (!l->valid || l->guest_dirty || hwbp_generation() != l->generation)
        write7 = recompose(v, l);
    if (write7 || l->dr7 != DR7_FIXED_1)
        write_dr7(l->dr7);
    vmcb->save.dr7 = l->dr7;
    /* DR6 is sticky: start every run clean so the next #DB's cause bits are
     * exactly that #DB's (pitfalls note, item 3) */
    vmcb->save.dr6 = DR6_FIXED_1;
}
