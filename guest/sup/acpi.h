/* Just enough ACPI to list the CPUs: RSDP -> RSDT/XSDT -> MADT. */
#ifndef SUP_ACPI_H
#define SUP_ACPI_H
#include <stdint.h>

/* Fills up to `max` APIC IDs of enabled processors; returns how many, or 0
 * when there is no MADT. */
int acpi_cpu_apic_ids(uint32_t *ids, int max);

#endif
