/* Starting the application processors. */
#ifndef SUP_SMP_H
#define SUP_SMP_H
#include "multiboot.h"

/* Starts every enabled CPU the MADT lists; returns how many CPUs run,
 * the boot CPU included. */
unsigned smp_start(const struct boot_info *bi, uint32_t timer_counts);
/* Releases the APs into the scheduler once the shards exist. */
void smp_release(void);

#endif
