/* #VMEXIT handling: one table indexed by exit code, one short handler per
 * exit. Handlers either resume the guest (RIP advanced or an event set in
 * EVENTINJ) or stop the vCPU with a reported fault; nothing is resumed
 * blindly. */
#ifndef HUSK_X86_EXITS_H
#define HUSK_X86_EXITS_H

#include "svm.h"

typedef void (*exit_handler)(struct vcpu *v);

void exit_dispatch(struct vcpu *v);
unsigned exit_slot(uint64_t code);
const char *exit_name(uint64_t code);

/* events.c: interrupt pass-through and event (re)injection */
void events_before_entry(struct vcpu *v);
void events_after_exit(struct vcpu *v);
void exit_intr(struct vcpu *v);
void exit_nmi(struct vcpu *v);
void exit_vintr(struct vcpu *v);
void exit_iret(struct vcpu *v);
/* The #DB of this exit was the monitor's step over a guest NMI handler's IRET. */
bool events_iret_step_trap(struct vcpu *v);
/* An exception exit: if it is that IRET faulting, the step is undone (the
 * guest's own TF back in RFLAGS, NMIs still blocked, the next IRET watched
 * again) before the exception is delivered. */
void events_iret_faulted(struct vcpu *v);
/* Exception intercepts the monitor needs now for itself (bit n: vector n):
 * the faults of an IRET it steps. */
uint32_t events_exception_intercepts(struct vcpu *v);

/* exit_io.c, exit_msr.c, exit_npf.c, exit_misc.c */
void exit_ioio(struct vcpu *v);
void exit_msr(struct vcpu *v);
void exit_npf(struct vcpu *v);
void exit_cpuid(struct vcpu *v);
void exit_svm_insn(struct vcpu *v);
void exit_shutdown(struct vcpu *v);
void exit_excp_db(struct vcpu *v);
void exit_excp_ac(struct vcpu *v);
void exit_init(struct vcpu *v);

/* exit_debug.c: the debugger's exits */
void exit_swint(struct vcpu *v);
void exit_excp_bp(struct vcpu *v);
void exit_excp_df(struct vcpu *v);
void exit_excp_other(struct vcpu *v);
/* Records the exception EXITINTINFO names (the one being delivered when
 * the exit came) for `monitor why`. */
void exit_note_first_fault(struct vcpu *v);
/* The #DB just taken ends the debugger's single step of v (DR6.BS). */
bool exit_db_is_step(struct vcpu *v);

/* Stops v with the exit described: "husk: cpu N stopped: <what>" + dump. */
void exit_stop(struct vcpu *v, const char *what);

#endif
