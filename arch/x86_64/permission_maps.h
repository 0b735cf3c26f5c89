/* I/O and MSR permission maps (APM vol. 2, 15.10.1 and 15.11): shared by
 * every vCPU, built once. */
#ifndef HUSK_X86_PERMISSION_MAPS_H
#define HUSK_X86_PERMISSION_MAPS_H

#include <stdint.h>

#define ISA_DEBUG_EXIT_PORT 0xf4
#define ISA_DEBUG_EXIT_SIZE 4

void permission_maps_build(void);
/* Adds one port to the intercepted set (devices the monitor takes at boot). */
void permission_maps_intercept_port(uint16_t port);
uint64_t iopm_pa(void);
uint64_t msrpm_pa(void);

#endif
