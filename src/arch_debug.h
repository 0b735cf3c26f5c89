/* The debugger's half of the arch contract: what src/debug/ needs from an
 * architecture to stop, inspect, step and resume one vCPU. arch/x86_64/
 * implements it in debug_*.c. Every function here is called only while
 * the vCPU named is parked in the monitor, except arch_dbg_kick(). */
#ifndef HUSK_ARCH_DEBUG_H
#define HUSK_ARCH_DEBUG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pagewalk.h"
#include "stub/target.h"

struct vcpu;

/* Register layout served to the debugger (target.xml, `g` block). */
const struct target_desc *arch_target_desc(void);
/* One register by target.xml number; buf holds desc->regs[regnum].size bytes. */
int arch_dbg_read_reg(struct vcpu *v, int regnum, uint8_t *buf);
/* TARGET_OK, or TARGET_EINVAL for a value the monitor must refuse. */
int arch_dbg_write_reg(struct vcpu *v, int regnum, const uint8_t *buf);

/* The guest's paging registers and its current privilege level. */
struct paging_regs arch_dbg_paging(struct vcpu *v, unsigned *cpl);
/* Linear address of the next instruction. */
uint64_t arch_dbg_pc_linear(struct vcpu *v);

/* Brings v into the monitor soon, wherever it runs (an NMI on x86). */
void arch_dbg_kick(struct vcpu *v);

/* Entering and leaving the parked state: the FPU state is saved so it can
 * be read and written. */
void arch_dbg_park_enter(struct vcpu *v);
void arch_dbg_park_leave(struct vcpu *v);
/* Sets v's guest clock back by `cycles` (time the machine was held). */
void arch_dbg_clock_back(struct vcpu *v, uint64_t cycles);

/* Single step: arm before the entry that runs the instruction, disarm when
 * the step is over (the guest never sees the trap flag). Returns true when
 * the step was completed without entering the guest (an instruction the
 * monitor performs itself while stepping, e.g. HLT with interrupts held). */
bool arch_dbg_step_arm(struct vcpu *v);
void arch_dbg_step_disarm(struct vcpu *v);
/* True when the last exit means the stepped instruction completed (it
 * was emulated by the monitor, or trapped) without a #DB of its own. */
bool arch_dbg_step_done_by_exit(struct vcpu *v);

/* Exceptions the debugger catches (bit n: vector n), applied before entry;
 * reapply: the same again, after the monitor's own intercepts changed. */
void arch_dbg_apply_catch(struct vcpu *v, uint32_t vectors);
void arch_dbg_reapply_catch(struct vcpu *v);

/* "ring 0, long mode" and similar, for qThreadExtraInfo. */
size_t arch_dbg_describe(struct vcpu *v, char *buf, size_t cap);
/* Starts the debugger's periodic exit (so the link is polled even when
 * every guest CPU spins with interrupts off); the NMI handler calls
 * arch_dbg_tick_ack() on every NMI so the next tick comes. */
void arch_dbg_tick_start(void);
void arch_dbg_tick_ack(void);
/* Cycles of a monotonic counter (the TSC on x86). */
uint64_t arch_dbg_cycles(void);

/* Text views for monitor commands; `out` is called once per line. */
typedef void (*dbg_print_fn)(void *ctx, const char *line);
void arch_dbg_print_state(struct vcpu *v, dbg_print_fn out, void *ctx);
void arch_dbg_print_exits(struct vcpu *v, dbg_print_fn out, void *ctx);
/* Name of an exception vector ("#GP"), or NULL; and back. */
const char *arch_dbg_vector_name(unsigned vector);
int arch_dbg_vector_by_name(const char *name);

#endif
