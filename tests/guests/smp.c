/* smp: starts every AP of the MADT with INIT-SIPI-SIPI through plain stores
 * to the xAPIC ICR (0xFEE00300/310); passes when every CPU checked in. */
#include "apic.h"
#include "guest.h"
#include "smp.h"

const char guest_name[] = "smp";

int guest_main(void)
{
    int expected = acpi_cpu_count();
    printf("smp: bsp apic id %u, %d cpus in the MADT\n", lapic_id(), expected);
    if (expected < 1)
        return GUEST_FAIL;
    int present = smp_start_aps(NULL);
    printf("smp: %d of %d cpus checked in\n", present, expected);
    for (int cpu = 0; cpu < expected && cpu < ACPI_MAX_CPUS; cpu++)
        if (!smp_cpus[cpu].checked_in)
            printf("smp: cpu %d missing\n", cpu);
    return present == expected ? GUEST_PASS : GUEST_FAIL;
}
