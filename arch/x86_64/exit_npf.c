/* Nested page faults. Two causes are expected:
 *   - a store to the read-only xAPIC page: the guest's LAPIC write, replayed
 *     on the real LAPIC, except INIT and SIPI in the ICR, which start vCPUs
 *     (lapic_emul.c);
 *   - an access where the guest has no memory (the monitor's region, above
 *     the nested tables): as on a PC with nothing behind the address, a MOV
 *     load reads all ones and a MOV store is dropped. Anything that cannot
 *     be emulated that way stops the vCPU with a report;
 *   - an instruction fetch from present memory: only the fetch trap's NX
 *     does that (npt.h).
 * EXITINFO1 is the #PF-style error code, EXITINFO2 the guest-physical
 * address (APM vol. 2, 15.25.6). */
#include "exit_path.h"
#include "exits.h"
#include "guest_insn.h"
#include "lapic.h"
#include "lapic_emul.h"
#include "lib/printf.h"
#include "log.h"
#include "npt.h"

#define NPF_PRESENT   (1ull << 0)
#define NPF_WRITE     (1ull << 1)
#define NPF_FETCH     (1ull << 4)
#define NPF_IN_WALK   (1ull << 33)   /* fault while reading the guest's page tables */

static void stop_at(struct vcpu *v, const char *what, uint64_t gpa)
{
    char line[96];
    snprintf(line, sizeof line, "%s at guest-physical 0x%lx", what, gpa);
    exit_stop(v, line);
}

static void absent_memory(struct vcpu *v, uint64_t gpa, uint64_t err)
{
    /* The CPU was delivering an event (IDT, GDT or stack access): the
     * instruction at RIP is not the one that touched gpa. */
    if (vmcb_of(v)->control.exit_int_info & EVENT_VALID) {
        stop_at(v, "event delivery touched memory the guest does not have", gpa);
        return;
    }
    if (err & NPF_FETCH) {
        stop_at(v, "instruction fetch where there is no guest memory", gpa);
        return;
    }
    if (err & NPF_IN_WALK) {
        stop_at(v, "guest page table where there is no guest memory", gpa);
        return;
    }
    struct insn in;
    const char *why;
    if (guest_decode(v, &in, &why) != 0) {
        stop_at(v, why, gpa);
        return;
    }
    switch (in.kind) {
    case INSN_MOV_LOAD:
        insn_reg_write(v, &in, ~0ull);
        break;
    case INSN_MOV_STORE_REG:
    case INSN_MOV_STORE_IMM:
        break;
    default:
        stop_at(v, "access that is not a plain MOV where there is no guest memory", gpa);
        return;
    }
    log_ring("cpu %u: %s 0x%lx (no guest memory) emulated", v->index,
             in.kind == INSN_MOV_LOAD ? "load from" : "store to", gpa);
    guest_skip(v, in.length);
}

static void fetch_trapped(struct vcpu *v)
{
    /* For the vCPU that holds the trap this exit is the point: it fetched
     * its first instruction after an event's delivery (debug_cpu.c). For
     * any other, it is another vCPU's trap or a TLB that still has it:
     * fetch again, with a fresh TLB. */
    if (!npt_fetch_trap_held_by(v->index))
        v->arch->flush_tlb = true;
}

EXIT_PATH void exit_npf(struct vcpu *v)
{
    struct vmcb_control *c = &vmcb_of(v)->control;
    uint64_t err = c->exit_info1, gpa = c->exit_info2;
    if ((gpa & ~0xfffull) == LAPIC_BASE && (err & NPF_PRESENT) && (err & NPF_WRITE) &&
        !(err & (NPF_FETCH | NPF_IN_WALK)) && !(c->exit_int_info & EVENT_VALID)) {
        lapic_emulate_store(v, gpa);
        return;
    }
    if (!(err & NPF_PRESENT)) {
        absent_memory(v, gpa, err);
        return;
    }
    if ((err & NPF_FETCH) && npt_fetch_trap_available()) {
        fetch_trapped(v);
        return;
    }
    stop_at(v, "unexpected nested page fault", gpa);
}
