/* xAPIC through its MMIO page at 0xFEE00000 (SDM vol. 3, 11.4): every access
 * is a plain 32-bit mov, as a guest kernel would do it. */
#ifndef GUEST_APIC_H
#define GUEST_APIC_H

#include <stdint.h>

#define LAPIC_BASE        0xFEE00000u
#define LAPIC_ID          0x020
#define LAPIC_EOI         0x0B0
#define LAPIC_SVR         0x0F0
#define LAPIC_ICR_LOW     0x300
#define LAPIC_ICR_HIGH    0x310
#define LAPIC_LVT_TIMER   0x320
#define LAPIC_TIMER_INIT  0x380
#define LAPIC_TIMER_CUR   0x390
#define LAPIC_TIMER_DIV   0x3E0

/* ICR low fields (SDM vol. 3, 11.6.1). */
#define ICR_FIXED          (0u << 8)
#define ICR_NMI            (4u << 8)
#define ICR_INIT           (5u << 8)
#define ICR_STARTUP        (6u << 8)
#define ICR_DELIVERY_BUSY  (1u << 12)
#define ICR_LEVEL_ASSERT   (1u << 14)
#define ICR_SHORTHAND_SELF (1u << 18)

#define LVT_MASKED         (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)

uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t value);
void lapic_enable(void);          /* software-enable, spurious vector 0xFF */
uint8_t lapic_id(void);
void lapic_eoi(void);
/* Writes ICR high (destination) then low, waits until the IPI is sent. */
void lapic_send_ipi(uint8_t dest_apic_id, uint32_t icr_low);
void lapic_send_self_ipi(uint8_t vector);

#endif
