#ifndef HUSK_X86_TIME_H
#define HUSK_X86_TIME_H

#include <stdint.h>

/* Measures the TSC against PIT channel 2 (the shortest of three 1 ms
 * windows); before any delay. */
void time_init(void);
void udelay(uint64_t us);
uint64_t tsc_to_ns(uint64_t cycles);

#endif
