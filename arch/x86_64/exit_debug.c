/* Exits that belong to the debugger: #DB (single step), INT3 through
 * both the INTn and #BP intercepts (QEMU TCG reports int3 as INTn, real
 * hardware as #BP: svm-under-qemu-tcg.md rule 1), exceptions caught with
 * `monitor catch` or raised during a step, #DF and SHUTDOWN. */
#include "arch_debug.h"
#include "cpu.h"
#include "debug_x86.h"
#include "debug/debugger.h"
#include "exits.h"
#include "guest_insn.h"
#include "guest_mem.h"

#define DR6_BS     (1ull << 14)

enum { SIGTRAP = 5, SIGSEGV = 11 };

/* Vectors that push an error code (APM vol. 2, 8.2). */
static bool has_error_code(unsigned vector)
{
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 ||
           vector == 30;
}

/* Puts the intercepted exception back so that resuming delivers it. */
static void requeue(struct vcpu *v, unsigned vector)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint64_t ev = EVENT_VALID | EVENT_TYPE_EXCEPTION | vector;
    if (has_error_code(vector))
        ev |= EVENT_ERROR_VALID | ((uint64_t)(uint32_t)vmcb->control.exit_info1 << 32);
    if (vector == 14)
        vmcb->save.cr2 = vmcb->control.exit_info2;   /* #PF intercepts leave CR2 alone (15.12) */
    vmcb->control.event_inj = ev;
}

bool exit_db_is_step(struct vcpu *v)
{
    /* TF's trap sets DR6.BS (APM vol. 2, 13.1.1.3); the VMCB's DR6 is
     * reset before every VMRUN (host_dr.c), so BS is this #DB's */
    return debug_stepping(v) && (vmcb_of(v)->save.dr6 & DR6_BS);
}

/* int3 (CC) or int n (CD nn) at RIP: the debugger's breakpoint, or the
 * guest's own, re-injected as the CPU would have delivered it. */
static void software_interrupt(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint8_t insn[INSN_MAX];
    size_t n = guest_fetch(v, insn);
    unsigned i = insn_opcode_offset(insn, (unsigned)n, guest_decode_mode(v) == DECODE_64);
    if (i < n && insn[i] == 0xcc) {
        unsigned cpl;
        struct paging_regs r = arch_dbg_paging(v, &cpl);
        struct walk_result w;
        uint64_t lin = guest_rip_linear(v) + i;
        if (page_walk(&r, lin, WALK_READ, gmem_pte_reader, 0, &w) == WALK_OK && debug_swbp_owns(w.gpa)) {
            /* RIP stays on the int3: GDB and LLDB expect the pc there
             * (swbreak), and an event lost to another CPU's stop simply
             * happens again on resume. */
            struct stop_event ev = { .reason = STOP_SW_BREAK, .signal = SIGTRAP };
            debug_report(v, &ev);
            return;
        }
        debug_note_exception(v, 3, 0, vmcb->save.rip);
        guest_skip(v, i + 1);
        /* a trap-like #BP: the frame's RIP is the next instruction */
        vmcb->control.event_inj = EVENT_VALID | EVENT_TYPE_EXCEPTION | 3;
        return;
    }
    if (i + 1 < n && insn[i] == 0xcd) {
        uint8_t vector = insn[i + 1];
        guest_skip(v, i + 2);
        /* type 4: the CPU checks the gate's DPL as for a real INT n */
        vmcb->control.event_inj = EVENT_VALID | EVENT_TYPE_SOFT_INT | vector;
        return;
    }
    exit_stop(v, "software-interrupt exit but no int3/int n at RIP");
}

void exit_swint(struct vcpu *v)
{
    software_interrupt(v);
}

void exit_excp_bp(struct vcpu *v)
{
    software_interrupt(v);
}

/* Any other intercepted exception: caught by `monitor catch`, or raised
 * by the instruction being stepped. */
void exit_excp_other(struct vcpu *v)
{
    events_iret_faulted(v);     /* first: the frame must not carry the monitor's TF */
    struct vmcb *vmcb = vmcb_of(v);
    unsigned vector = (unsigned)(vmcb->control.exit_code - SVM_EXIT_EXCP_BASE) & 31;
    bool caught = debug_catch_mask() & (1u << vector);
    bool stepping = debug_stepping(v);
    debug_note_exception(v, vector, has_error_code(vector) ? vmcb->control.exit_info1 : 0, vmcb->save.rip);
    if (caught || stepping) {
        struct stop_event ev = { .reason = STOP_EXCEPTION, .vector = vector, .description = arch_dbg_vector_name(vector) };
        ev.signal = debug_signal_for_vector(vector);
        if (!debug_report(v, &ev))
            return;     /* another CPU stopped first: the instruction faults again on resume */
    }
    requeue(v, vector);
}

void exit_note_first_fault(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint64_t first = vmcb->control.exit_int_info;
    /* valid bit only: QEMU leaves stale bits in the rest (rule 5) */
    if ((first & EVENT_VALID) && (first & EVENT_TYPE_MASK) == EVENT_TYPE_EXCEPTION)
        debug_note_exception(v, (unsigned)(first & 0xff), (first & EVENT_ERROR_VALID) ? first >> 32 : 0,
                             vmcb->save.rip);
}

void exit_excp_df(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    /* The first exception is the one whose delivery failed. The state is
     * still the one at the faulting instruction, which SHUTDOWN would not
     * keep on hardware (rule 4). (QEMU TCG never raises this intercept for
     * a #DF it makes out of two faults; its SHUTDOWN keeps the state.) */
    exit_note_first_fault(v);
    debug_note_exception(v, 8, 0, vmcb->save.rip);
    if (debug_attached()) {
        struct stop_event ev = { .reason = STOP_EXCEPTION, .vector = 8, .signal = SIGSEGV,
                                 .description = "double fault (#DF): the next fault is a triple fault" };
        if (!debug_report(v, &ev))
            return;
    }
    requeue(v, 8);
}
