/* CPU enumeration from the ACPI MADT: the monitor's parser
 * (arch/x86_64/acpi.c), linked into every test guest. */
#ifndef GUEST_ACPI_H
#define GUEST_ACPI_H

#include <stdint.h>

#include "x86_64/acpi.h"

#define ACPI_MAX_CPUS 16

/* Enabled processor-local-APIC entries in the MADT (at most ACPI_MAX_CPUS),
 * 0 without one. */
static inline int acpi_cpu_count(void)
{
    uint32_t ids[ACPI_MAX_CPUS];
    return (int)acpi_cpu_apic_ids(ids, ACPI_MAX_CPUS);
}

#endif
