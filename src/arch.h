/* The contract between the arch-neutral monitor (src/) and an architecture
 * (arch/x86_64/ today). src/ calls only these; the architecture's directory
 * provides them at link time. */
#ifndef HUSK_ARCH_H
#define HUSK_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;

/* ---- console (COM1, shared with the guest) and debug link (COM2) ---- */
void arch_console_write(const char *s, size_t n);
/* One byte from the debug link, or -1 when none is waiting. */
int arch_link_getc(void);
void arch_link_putc(uint8_t c);

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

/* ---- vCPUs ---- */
/* Puts v in the state a Multiboot v1 loader leaves the boot CPU in. */
void arch_vcpu_reset_multiboot(struct vcpu *v, uint32_t entry, uint32_t info);
/* Runs v in the guest until its state leaves VCPU_RUNNING. */
void arch_vcpu_run(struct vcpu *v);
/* Resets v to the architectural state after INIT + SIPI(vector). */
void arch_vcpu_reset_sipi(struct vcpu *v, uint8_t vector);
/* Prints every register of v (prefix "husk: "). */
void arch_vcpu_dump(struct vcpu *v);

#endif
