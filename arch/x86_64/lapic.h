/* The local APIC in xAPIC mode (MMIO at 0xFEE00000). The guest owns it;
 * the monitor only sends the boot-time INIT/SIPI and replays the guest's
 * own register writes. */
#ifndef HUSK_X86_LAPIC_H
#define HUSK_X86_LAPIC_H

#include <stdint.h>

#define LAPIC_BASE      0xfee00000ull
#define LAPIC_ID        0x020
#define LAPIC_ICR_LOW   0x300
#define LAPIC_ICR_HIGH  0x310

#define ICR_VECTOR(v)        ((uint32_t)(v) & 0xff)
#define ICR_DELIVERY(icr)    (((icr) >> 8) & 7)
#define ICR_DELIVERY_SMI     2
#define ICR_DELIVERY_NMI     4
#define ICR_DELIVERY_INIT    5
#define ICR_DELIVERY_SIPI    6
#define ICR_DEST_LOGICAL     (1u << 11)
#define ICR_BUSY             (1u << 12)
#define ICR_LEVEL_ASSERT     (1u << 14)
#define ICR_TRIGGER_LEVEL    (1u << 15)
#define ICR_SHORTHAND(icr)   (((icr) >> 18) & 3)
enum { ICR_DEST_FIELD = 0, ICR_SELF = 1, ICR_ALL = 2, ICR_ALL_BUT_SELF = 3 };

uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t value);
uint32_t lapic_id(void);
/* Sends an IPI (ICR low bits) to one APIC ID and waits until it left. */
void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low);

#endif
