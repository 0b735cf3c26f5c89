/* Starting the APs the way a kernel does: INIT, SIPI, SIPI through the
 * xAPIC's ICR (SDM vol. 3, 9.4.4.1), a real-mode trampoline below 1 MiB. */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include <stdbool.h>
#include <stdint.h>

#include "acpi.h"

/* What each AP runs after checking in; NULL: it halts with interrupts off. */
typedef void (*ap_work_fn)(int cpu);

struct smp_cpu {
    uint8_t apic_id;
    volatile int checked_in;
    bool hosted;                    /* this CPU's own CPUID says husk hosts it */
    volatile uint64_t heartbeat;    /* ap_work may count here */
};

extern struct smp_cpu smp_cpus[ACPI_MAX_CPUS];
extern volatile int smp_checked_in;

/* Starts every enabled CPU of the MADT but this one, each running `work`.
 * Returns the number of CPUs (this one included) that checked in, after
 * waiting for all of them or a timeout; -1 if no trampoline page was free. */
int smp_start_aps(ap_work_fn work);

/* Physical address of a free page below 1 MiB for the trampoline:
 * available in the memory map and clear of the Multiboot structures. */
uintptr_t smp_trampoline_page(void);

#endif
