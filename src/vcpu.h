/* Virtual CPUs: one per physical CPU, pinned to it. The state machine below
 * is arch-neutral; registers and the VMCB live in the arch part
 * (struct arch_vcpu), reached through v->arch. */
#ifndef HUSK_VCPU_H
#define HUSK_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_CPUS 16

enum vcpu_state {
    VCPU_ABSENT = 0,    /* no physical CPU behind this slot */
    VCPU_PARKED,        /* in the monitor, the guest has not started it */
    VCPU_WAIT_SIPI,     /* the guest sent INIT; waits for its SIPI */
    VCPU_STARTING,      /* SIPI received; its CPU will reset and enter the guest */
    VCPU_RUNNING,       /* in the guest (or handling one of its exits) */
    VCPU_STOPPED,       /* stopped with a reported fault; never resumed blindly */
    VCPU_STATE_COUNT
};

struct arch_vcpu;

struct vcpu {
    unsigned index;                 /* 0 = boot CPU */
    uint32_t apic_id;
    volatile int state;             /* enum vcpu_state, changed with atomics */
    volatile uint8_t sipi_vector;   /* mailbox: written before state -> STARTING */
    volatile bool checked_in;       /* its physical CPU reached the monitor */
    struct arch_vcpu *arch;
    uint64_t exits;                 /* #VMEXITs handled */
    char stop_reason[96];
};

/* Exit values (isa-debug-exit; QEMU's status is 2 * value + 1). */
#define HUSK_EXIT_ALL_STOPPED 0x7d  /* every vCPU stopped with a fault: status 251 */
#define HUSK_EXIT_PANIC       0x7e  /* the monitor itself faulted: status 253 */
#define HUSK_EXIT_BOOT_ERROR  0x7c  /* no guest, bad image, no SVM: status 249 */

extern struct vcpu vcpus[MAX_CPUS];
extern unsigned vcpu_count;         /* slots with a physical CPU */

const char *vcpu_state_name(int state);
struct vcpu *vcpu_by_apic_id(uint32_t apic_id);

/* The per-CPU loop: runs, parks or idles the vCPU by its state. */
__attribute__((noreturn)) void vcpu_loop(struct vcpu *v);

/* Guest IPIs, called on the sender's CPU. Return false when dropped
 * (INIT to a running vCPU, SIPI not after INIT), as docs/monitor.md says. */
bool vcpu_deliver_init(struct vcpu *target);
bool vcpu_deliver_sipi(struct vcpu *target, uint8_t vector);

/* Stops v with a reported fault (reason printed with "husk: " prefix). When
 * no vCPU is left running the monitor reports health and ends the run. */
void vcpu_stop(struct vcpu *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Called on every exit and while parked: polls the debug link. The debug
 * engine (issue 5) hooks in here. */
void monitor_poll(struct vcpu *v);

#endif
