#ifndef HUSK_X86_TIME_H
#define HUSK_X86_TIME_H

#include <stdint.h>

/* Measures the TSC against PIT channel 2 (2 ms); before any delay. */
void time_init(void);
void udelay(uint64_t us);

#endif
