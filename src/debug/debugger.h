/* The debug engine: the RSP stub on the debug link, all-stop control of
 * every vCPU, software breakpoints, catchpoints and stepping policy.
 *
 * Stops flow in from the exit handlers through debug_report(); the vCPU
 * loop calls debug_poll() after every exit and debug_before_entry() before
 * a vCPU (re)enters the guest, and that is where vCPUs park while the
 * debugger holds the machine. */
#ifndef HUSK_DEBUG_DEBUGGER_H
#define HUSK_DEBUG_DEBUGGER_H

#include <stdbool.h>
#include <stdint.h>

#include "stub/target.h"

struct vcpu;

/* Guest command-line word that holds every CPU before the guest's first
 * instruction until a debugger connects and resumes it. */
#define DEBUG_WAIT_WORD "husk.wait"

/* Starts the debugger; returns the guest's command line without the
 * words meant for the monitor (DEBUG_WAIT_WORD). */
const char *debug_init(const char *guest_cmdline);

/* Called on every exit and by CPUs idling in the monitor. */
void debug_poll(struct vcpu *v);
/* Called before a running vCPU enters the guest from the vCPU loop. */
void debug_before_entry(struct vcpu *v);
/* The debugger holds (or is bringing in) the machine: no vCPU may enter. */
bool debug_holds_machine(void);

/* A vCPU stopped for the debugger (breakpoint, step, catchpoint...).
 * Returns false when another stop already holds the machine: the caller
 * then leaves the guest state as it was, so the event happens again on
 * resume (a fault re-faults, an int3 re-traps). */
bool debug_report(struct vcpu *v, const struct stop_event *ev);

/* A client has spoken since boot (or since the last detach). */
bool debug_attached(void);
/* v is being single-stepped by the debugger. */
bool debug_stepping(struct vcpu *v);
/* Interrupts and NMIs must wait: v is stepped without `step-irqs on`. */
bool debug_events_held(struct vcpu *v);
/* Exception vectors the debugger stops on before delivery (bit n). */
uint32_t debug_catch_mask(void);
/* An int3 at this guest-physical address is one of the debugger's. */
bool debug_swbp_owns(uint64_t gpa);
/* Remembers an exception the vCPU took, for `monitor why`. */
void debug_note_exception(struct vcpu *v, unsigned vector, uint64_t error, uint64_t rip);
/* GDB signal number an exception is reported with. */
int debug_signal_for_vector(unsigned vector);
/* A triple fault: with a debugger attached the vCPU stops for it (and is
 * never resumed); returns false when nobody is attached. */
bool debug_triple_fault(struct vcpu *v);

#endif
