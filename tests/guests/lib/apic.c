#include "apic.h"
#include "guest.h"
#include "idt.h"
#include "x86.h"

#define SPURIOUS_VECTOR 0xFF

static volatile uint32_t *reg_ptr(uint32_t reg) { return phys_ptr(LAPIC_BASE + reg); }

uint32_t lapic_read(uint32_t reg) { return *reg_ptr(reg); }
void lapic_write(uint32_t reg, uint32_t value) { *reg_ptr(reg) = value; }
uint8_t lapic_id(void) { return (uint8_t)(lapic_read(LAPIC_ID) >> 24); }
void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

/* A spurious interrupt needs no EOI (SDM vol. 3, 11.9). */
static void spurious(struct interrupt_frame *f) { (void)f; }

void lapic_enable(void)
{
    irq_set_handler(SPURIOUS_VECTOR, spurious);
    lapic_write(LAPIC_SVR, 0x100 | SPURIOUS_VECTOR);
}

static void wait_idle(void)
{
    while (lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_BUSY)
        cpu_relax();
}

void lapic_send_ipi(uint8_t dest_apic_id, uint32_t icr_low)
{
    wait_idle();
    lapic_write(LAPIC_ICR_HIGH, (uint32_t)dest_apic_id << 24);
    lapic_write(LAPIC_ICR_LOW, icr_low);
    wait_idle();
}

void lapic_send_self_ipi(uint8_t vector)
{
    wait_idle();
    lapic_write(LAPIC_ICR_LOW, ICR_SHORTHAND_SELF | ICR_FIXED | vector);
    wait_idle();
}
