/* CPU enumeration from the ACPI MADT (ACPI 6.x, 5.2.12). */
#ifndef GUEST_ACPI_H
#define GUEST_ACPI_H

#include <stdint.h>

#define ACPI_MAX_CPUS 16

/* Enabled processor-local-APIC entries in the MADT, or -1 without one. */
int acpi_cpu_count(void);
/* Their APIC IDs, in MADT order; returns the count like acpi_cpu_count. */
int acpi_cpu_apic_ids(uint8_t ids[ACPI_MAX_CPUS]);

#endif
