/* The guest's xAPIC stores. The page is read-only in the nested tables, so
 * every store exits here: the MOV is decoded, and the value replayed on the
 * real LAPIC register, except the ICR with delivery mode INIT or SIPI:
 * those would reset a physical CPU out from under the monitor, so they are
 * turned into vCPU starts (INIT to a parked vCPU, then SIPI = real-mode
 * start at vector << 12), and dropped for CPUs that run the guest. */
#include "lapic_emul.h"

#include "cpu.h"
#include "exits.h"
#include "guest_insn.h"
#include "lapic.h"
#include "log.h"

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
    switch (ICR_SHORTHAND(icr)) {
    case ICR_DEST_FIELD: {
        if (icr & ICR_DEST_LOGICAL) {
            log_console("cpu %u: INIT/SIPI in logical destination mode dropped", v->index);
            return;
        }
        struct vcpu *to = vcpu_by_apic_id(lapic_read(LAPIC_ICR_HIGH) >> 24);
        if (to)
            deliver(v, to, icr);
        return;
    }
    case ICR_SELF:
        deliver(v, v, icr);
        return;
    default:
        for (unsigned i = 0; i < vcpu_count; i++)
            if (&vcpus[i] != v || ICR_SHORTHAND(icr) == ICR_ALL)
                deliver(v, &vcpus[i], icr);
        return;
    }
}

static void replay(uint64_t gpa, unsigned size, uint64_t value)
{
    switch (size) {
    case 1: mmio_write8(gpa, (uint8_t)value); break;
    case 2: mmio_write16(gpa, (uint16_t)value); break;
    case 4: mmio_write32(gpa, (uint32_t)value); break;
    default: mmio_write64(gpa, value); break;
    }
}

void lapic_emulate_store(struct vcpu *v, uint64_t gpa)
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
    unsigned mode = ICR_DELIVERY((uint32_t)value);
    if (reg == LAPIC_ICR_LOW && (mode == ICR_DELIVERY_INIT || mode == ICR_DELIVERY_SIPI))
        emulate_init_sipi(v, (uint32_t)value);
    else if (reg == LAPIC_ICR_LOW && mode == ICR_DELIVERY_SMI)
        log_ring("cpu %u: SMI IPI dropped", v->index);
    else
        replay(gpa, in.op_size, value);
    guest_skip(v, in.length);
}
