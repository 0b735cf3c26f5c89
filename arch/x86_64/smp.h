#ifndef HUSK_X86_SMP_H
#define HUSK_X86_SMP_H

/* Finds every CPU (ACPI MADT), starts the APs with INIT-SIPI-SIPI and
 * waits until each has enabled SVM and parked. Returns the count online. */
unsigned smp_start_aps(void);

#endif
