/* Local APIC in xAPIC mode, MMIO at the address IA32_APIC_BASE gives
 * (0xFEE00000), through the HHDM with plain 32-bit `mov`s: under husk the
 * monitor decodes those stores. */
#ifndef SUP_LAPIC_H
#define SUP_LAPIC_H
#include <stdint.h>

#define TICK_HZ 1000    /* timer interrupts per second on every CPU */

void lapic_init(void);                  /* boot CPU: find and map check */
void lapic_enable(void);                /* every CPU */
uint32_t lapic_id(void);
void lapic_eoi(void);
/* Measures the timer against the PIT (boot CPU); returns counts per tick. */
uint32_t lapic_timer_calibrate(void);
void lapic_timer_start(uint32_t counts_per_tick);
/* INIT and STARTUP IPIs (SDM vol. 3, 10.6.1, "Interrupt Command Register"). */
void lapic_send_init(uint32_t apic_id);
void lapic_send_startup(uint32_t apic_id, uint32_t page);

#endif
