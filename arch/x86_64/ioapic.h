/* The IOAPIC pins the monitor claims for its own devices' ISA IRQs: 8,
 * the RTC (the debugger's tick, debug_tick.c), and 3, COM2 (the UART
 * link's input, link_uart.c). Everything else on the IOAPIC is the
 * guest's. The pins are written only at boot or while no guest code runs
 * anywhere: the IOREGSEL/IOWIN pair would race with the guest's own
 * accesses. */
#ifndef HUSK_X86_IOAPIC_H
#define HUSK_X86_IOAPIC_H

#include <stdint.h>

#define RTC_IOAPIC_PIN  8
#define COM2_IOAPIC_PIN 3   /* ISA IRQ 3: QEMU's MADT overrides only IRQ 0 */

/* Pin `pin`: NMI to the CPU with this APIC ID, edge triggered, active
 * high, unmasked. */
void ioapic_route_nmi(unsigned pin, uint32_t apic_id);

#endif
