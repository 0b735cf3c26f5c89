/* The guest's xAPIC stores. The page is read-only in the nested tables, so
 * every store exits here: the MOV is decoded, and the value replayed on the
 * real LAPIC register, except the ICR with delivery mode INIT or SIPI:
 * those would reset a physical CPU out from under the monitor, so they are
 * turned into vCPU starts (INIT to a parked vCPU, then SIPI = real-mode
 * start at vector << 12), and dropped for CPUs that run the guest; and
 * NMI IPIs, which are counted on their targets so that no physical NMI is
 * ever the guest's (guest_nmi.c). */
#include "lapic_emul.h"

#include "cpu.h"
#include "exit_path.h"
#include "exits.h"
#include "guest_insn.h"
#include "guest_nmi.h"
#include "lapic.h"
#include "log.h"

/* The vCPUs an IPI goes to (bit i: vcpus[i]): by the destination
 * shorthand, else the APIC ID in the real ICR high in physical mode, where
 * 0xFF is every CPU (Intel SDM vol. 3, 10.6.2.1). Logical destinations
 * are not resolved (the monitor keeps no copy of the LDR/DFR): none. */
static uint32_t icr_targets(const struct vcpu *v, uint32_t icr)
{
    uint32_t all = (1u << vcpu_count) - 1, self = 1u << v->index;
    switch (ICR_SHORTHAND(icr)) {
    case ICR_SELF: return self;
    case ICR_ALL: return all;
    case ICR_ALL_BUT_SELF: return all & ~self;
    default: break;
    }
    if (icr & ICR_DEST_LOGICAL)
        return 0;
    uint32_t dest = lapic_read(LAPIC_ICR_HIGH) >> 24;
    if (dest == 0xff)
        return all;
    struct vcpu *to = vcpu_by_apic_id(dest);
    return to ? 1u << to->index : 0;
}

static bool logical(const struct vcpu *v, uint32_t icr, const char *what)
{
    if (ICR_SHORTHAND(icr) != ICR_DEST_FIELD || !(icr & ICR_DEST_LOGICAL))
        return false;
    log_console("cpu %u: %s in logical destination mode dropped", v->index, what);
    return true;
}

static void deliver(struct vcpu *from, struct vcpu *to, uint32_t icr)
{
    bool accepted;
    if (ICR_DELIVERY(icr) == ICR_DELIVERY_INIT)
        accepted = to != from && vcpu_deliver_init(to);
    else
        accepted = to != from && vcpu_deliver_sipi(to, (uint8_t)ICR_VECTOR(icr));
    log_ring("cpu %u: %s to cpu %u %s", from->index, ICR_DELIVERY(icr) == ICR_DELIVERY_INIT ? "INIT" : "SIPI",
             to->index, accepted ? "delivered" : "dropped (target not waiting for it)");
}

static void emulate_init_sipi(struct vcpu *v, uint32_t icr)
{
    /* INIT level de-assert (level 0, level-triggered) is a no-op on
     * xAPICs of this age (Intel SDM 10.6.1); nothing to emulate. */
    if (ICR_DELIVERY(icr) == ICR_DELIVERY_INIT && !(icr & ICR_LEVEL_ASSERT) && (icr & ICR_TRIGGER_LEVEL))
        return;
    if (logical(v, icr, "INIT/SIPI"))
        return;
    uint32_t targets = icr_targets(v, icr);
    for (unsigned i = 0; i < vcpu_count; i++)
        if (targets & (1u << i))
            deliver(v, &vcpus[i], icr);
}

static void emulate_nmi(struct vcpu *v, uint32_t icr)
{
    /* counted on each target, never sent as a physical NMI (guest_nmi.c) */
    if (logical(v, icr, "NMI IPI"))
        return;
    uint32_t targets = icr_targets(v, icr);
    for (unsigned i = 0; i < vcpu_count; i++)
        if (targets & (1u << i))
            guest_nmi_send(v, &vcpus[i]);
}

static void drop_smi(struct vcpu *v, uint32_t icr)
{
    (void)icr;
    log_ring("cpu %u: SMI IPI dropped", v->index);
}

/* ICR low stores by delivery mode: these are emulated; the others (fixed,
 * lowest priority, ...) are replayed on the real LAPIC. */
static void (*const icr_emulated[8])(struct vcpu *, uint32_t) = {
    [ICR_DELIVERY_SMI] = drop_smi,
    [ICR_DELIVERY_NMI] = emulate_nmi,
    [ICR_DELIVERY_INIT] = emulate_init_sipi,
    [ICR_DELIVERY_SIPI] = emulate_init_sipi,
};

static void replay(uint64_t gpa, unsigned size, uint64_t value)
{
    switch (size) {
    case 1: mmio_write8(gpa, (uint8_t)value); break;
    case 2: mmio_write16(gpa, (uint16_t)value); break;
    case 4: mmio_write32(gpa, (uint32_t)value); break;
    default: mmio_write64(gpa, value); break;
    }
}

EXIT_PATH void lapic_emulate_store(struct vcpu *v, uint64_t gpa)
{
    struct insn in;
    const char *why;
    if (guest_decode(v, &in, &why) != 0) {
        exit_stop(v, why);
        return;
    }
    uint64_t value;
    if (in.kind == INSN_MOV_STORE_REG)
        value = insn_reg_read(v, &in);
    else if (in.kind == INSN_MOV_STORE_IMM)
        value = in.imm;
    else {
        exit_stop(v, "store to the LAPIC page that is not a MOV");
        return;
    }
    uint32_t reg = gpa & 0xfff;
    void (*emulate)(struct vcpu *, uint32_t) = reg == LAPIC_ICR_LOW ? icr_emulated[ICR_DELIVERY((uint32_t)value)] : 0;
    if (emulate)
        emulate(v, (uint32_t)value);
    else
        replay(gpa, in.op_size, value);
    guest_skip(v, in.length);
}
