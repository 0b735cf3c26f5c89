/* The contract between the arch-neutral monitor (src/) and an architecture
 * (arch/x86_64/ today). src/ calls only these; the architecture's directory
 * provides them at link time. */
#ifndef HUSK_ARCH_H
#define HUSK_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;

/* ---- console (COM1, shared with the guest) and debug link ---- */
void arch_console_write(const char *s, size_t n);

/* The debug link's transport, chosen once at boot: a virtio console where
 * the machine has one (QEMU, KVM), else the COM2 UART. src/link.c drives it. */
struct arch_link {
    const char *name;                           /* "virtio-console", "uart" */
    /* Copies up to max received bytes to buf; returns how many. Never waits. */
    size_t (*read)(uint8_t *buf, size_t max);
    /* Queues n bytes; may send some at once. Returns how many were taken
     * (fewer only when the link has been stuck for a long time). */
    size_t (*write)(const uint8_t *buf, size_t n);
    /* Sends whatever write() queued. */
    void (*flush)(void);
    /* One line about the device: where it is, what it uses. */
    const char *(*describe)(void);
    /* Optional (NULL: the link is only polled). Input that arrives sends
     * an NMI to one CPU: wake_arm makes it this CPU (ending its
     * arch_wait_nmi()) and returns false when input is already waiting
     * (then poll, do not wait); wake_route makes it CPU `cpu`, which the
     * NMI then makes leave the guest and poll, and returns whether it
     * could. Only while no guest code runs anywhere. */
    bool (*wake_arm)(void);
    bool (*wake_route)(unsigned cpu);
    /* How long the serving CPU polls after the last byte in or out before
     * it halts: longer than the wake-up takes, so that an exchange in
     * progress never waits for one (docs/benchmarks.md, "The serving CPU
     * halts"). */
    unsigned wake_spin_us;
};
/* NULL when the machine has no debug link at all. */
const struct arch_link *arch_link(void);

/* ---- CPUs and time ---- */
unsigned arch_cpu_index(void);            /* 0 = boot CPU */
void arch_cpu_relax(void);                /* spin-wait hint */
uint64_t arch_time_us(void);              /* monotonic, since boot */
__attribute__((noreturn)) void arch_halt_forever(void);
/* Ends the run: on QEMU through isa-debug-exit (status 2*code+1); on
 * hardware where nothing listens, halts. */
__attribute__((noreturn)) void arch_machine_exit(uint8_t code);

/* ---- the monitor's own image, for the health check ---- */
void arch_image_ro_range(const uint8_t **start, size_t *len);   /* code + rodata */

/* Prints the exit counts by reason, summed over CPUs (one console line). */
void arch_exit_stats_report(void);

/* ---- guest memory ---- */
/* Host pointer for guest-physical [gpa, gpa + len), or NULL when any of it
 * is not guest memory (the monitor region, beyond the nested tables). */
void *arch_guest_phys(uint64_t gpa, size_t len);

/* The monitor's reserved region [start, end): absent from the guest's
 * memory map and from the nested page tables. */
void arch_monitor_region(uint64_t *start, uint64_t *end);
/* Guest-physical addresses from here up have no guest memory behind them
 * (the nested tables end there). */
uint64_t arch_guest_phys_limit(void);

/* ---- vCPUs ---- */
/* Puts v in the state a Multiboot v1 loader leaves the boot CPU in. */
void arch_vcpu_reset_multiboot(struct vcpu *v, uint32_t entry, uint32_t info);
/* Runs v in the guest until its state leaves VCPU_RUNNING. */
void arch_vcpu_run(struct vcpu *v);
/* Resets v to the architectural state after INIT + SIPI(vector). */
void arch_vcpu_reset_sipi(struct vcpu *v, uint8_t vector);
/* Waits in the monitor, halted, until v's state changes and
 * arch_vcpu_kick() wakes it (called with v's state not VCPU_RUNNING; may
 * return spuriously). Whoever changes the state stores it first and kicks
 * after: no wake-up is lost. */
void arch_vcpu_idle(struct vcpu *v);
/* The same for any word: halts this CPU until *word != seen and a kick
 * came (may return spuriously). */
void arch_idle_until_change(const volatile unsigned *word, unsigned seen);
/* NMIs this CPU has taken; arch_wait_nmi(seen) halts until that count is
 * no longer `seen` (at once if it already is not): no wake-up is lost
 * between reading the count and halting. */
unsigned arch_nmi_count(void);
void arch_wait_nmi(unsigned seen);
/* Wakes the CPU of v from its idle halt, or makes it leave the guest. */
void arch_vcpu_kick(struct vcpu *v);
/* Prints every register of v (prefix "husk: "). */
void arch_vcpu_dump(struct vcpu *v);

#endif
