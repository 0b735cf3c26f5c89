#ifndef HUSK_X86_ACPI_H
#define HUSK_X86_ACPI_H

#include <stdint.h>

/* APIC IDs of the enabled processors in the ACPI MADT (ACPI 6.x, 5.2.12),
 * boot CPU included. Returns the count (at most max), 0 without a MADT. */
unsigned acpi_cpu_apic_ids(uint32_t *ids, unsigned max);

#endif
