/* Scheduling: one run queue (the shard table, scanned round-robin) under
 * one lock, shared by every CPU; shards migrate freely. The supervisor runs
 * with interrupts off; a CPU with nothing to run halts until its next tick. */
#ifndef SUP_SCHED_H
#define SUP_SCHED_H
#include <stdint.h>
#include "trap.h"

/* Global tick count, advanced by CPU 0's timer at TICK_HZ. Debuggers watch
 * it (it is written on every tick). */
extern volatile uint64_t timer_ticks;

/* The LAPIC timer interrupt on every CPU: counts, then preempts the shard
 * it interrupted (FXSAVE, pick the next, FXRSTOR). */
void timer_preempt(struct trap_frame *f);
/* Leaves the current shard (saving it as `requeue_as`, SHARD_READY or
 * SHARD_SLEEPING, if it is still running) and loads the next one into `f`;
 * with nothing to run the CPU goes idle and this does not return. */
void schedule(struct trap_frame *f, int requeue_as);
/* Ends the current shard with `code` (SYS_EXIT, or all ones after a fault)
 * and runs something else. */
__attribute__((noreturn)) void handle_sys_exit(struct trap_frame *f, uint64_t code);
__attribute__((noreturn)) void sched_idle_loop(void);
/* Stops every endless (daemon) shard still alive: the end of the run. */
void sched_stop_daemons(void);
/* Ring-0 failure: halt this CPU (or end the run under exit-when-done). */
__attribute__((noreturn)) void supervisor_halt(void);

#endif
