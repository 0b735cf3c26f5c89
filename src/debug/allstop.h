/* All-stop: when one vCPU stops, every other running vCPU is brought into
 * the monitor and parked; a resume releases them with one action each. */
#ifndef HUSK_DEBUG_ALLSTOP_H
#define HUSK_DEBUG_ALLSTOP_H

#include <stdbool.h>

#include "stub/target.h"
#include "vcpu.h"

struct dbg_cpu {
    volatile bool parked;       /* in the park loop, state safe to touch */
    volatile int action;        /* enum resume_kind given at the last release */
    bool stepping;              /* armed for one instruction */
    bool dead;                  /* triple fault: shown, never resumed */
    uint64_t step_pc;           /* linear pc where the step began */
    uint64_t step_exits;        /* exits seen during this step */
    uint64_t clock_back;        /* held time already taken off its guest clock */
    unsigned nmis_polled;       /* its NMI count when it last polled the link */
};

extern struct dbg_cpu dbg_cpus[MAX_CPUS];

/* -1: every continue releases all CPUs; N: only CPU N runs (`monitor pin`). */
extern int dbg_pin_cpu;
/* `monitor step-irqs on`: interrupts may be delivered during a step. */
extern bool dbg_step_irqs;

/* Stops the machine as if `ev` happened (thread 0 in ev: first running CPU). */
bool allstop_request(const struct stop_event *ev);
/* Releases the parked CPUs: actions[i] is CPU i's. TARGET_ERR when nothing would run. */
int allstop_release(const struct resume_action *actions, int n);
/* True while the debugger holds (or is bringing in) the machine. */
bool allstop_active(void);
/* The stop the stub should report once every CPU is parked, or NULL. */
const struct stop_event *allstop_ready_to_report(void);
/* Parks v until a release lets it run. */
void allstop_park(struct vcpu *v);
/* Takes the time the machine was held off v's guest clock. */
void allstop_sync_clock(struct vcpu *v);
/* Holds the machine at boot (husk.wait). */
void allstop_hold_at_boot(void);

#endif
