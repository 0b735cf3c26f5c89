/* The debug-register side of a vCPU: the guest's shadow registers, the exit
 * handler for its MOV DR instructions (exit_dr.c), the single-step trap
 * after an emulated instruction, and the loading of the real registers before
 * each VMRUN (host_dr.c). */
#ifndef HUSK_X86_VCPU_DR_H
#define HUSK_X86_VCPU_DR_H

#include <stdbool.h>

#include "guest_dr.h"

struct vcpu;

/* The guest's view of DR0-DR7 on v. */
struct dr_shadow *vcpu_dr_shadow(struct vcpu *v);
/* Back to the values after RESET/INIT (APM vol. 2, 13.1.1); called by the
 * vCPU resets. */
void vcpu_dr_reset(struct vcpu *v);
/* The shadow changed in a way the real registers must follow. */
void vcpu_dr_changed(struct vcpu *v);

/* Exits 0x20-0x2F (MOV from DRn) and 0x30-0x3F (MOV to DRn). */
void exit_dr_access(struct vcpu *v);

/* Called when the monitor has emulated and skipped a guest instruction: the
 * instruction completed, so RF is cleared, and an intercepted instruction
 * never raises the TF trap in the guest, so when the guest's own TF is set
 * the single-step #DB (DR6.BS) is delivered here (pitfalls note, item 6).
 * When the debugger owns TF (debug_stepping()) nothing is injected: its
 * step is complete, RIP has moved on. */
void vcpu_dr_after_emulation(struct vcpu *v);

/* Loads the real DR0-DR3 and DR7 (and VMCB DR6/DR7) for v; called right
 * before every VMRUN. */
void host_dr_load(struct vcpu *v);
/* Which slots the debugger and the guest had loaded on v at the last VMRUN. */
void host_dr_loaded_masks(struct vcpu *v, unsigned *debugger, unsigned *guest);

#endif
