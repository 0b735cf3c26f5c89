#include "lapic.h"

#include "cpu.h"

uint32_t lapic_read(uint32_t reg)
{
    return mmio_read32(LAPIC_BASE + reg);
}

void lapic_write(uint32_t reg, uint32_t value)
{
    mmio_write32(LAPIC_BASE + reg, value);
}

uint32_t lapic_id(void)
{
    return lapic_read(LAPIC_ID) >> 24;
}

static void wait_idle(void)
{
    for (unsigned spins = 0; (lapic_read(LAPIC_ICR_LOW) & ICR_BUSY) && spins < 1000000; spins++)
        cpu_relax();
}

void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
    wait_idle();
    lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
    lapic_write(LAPIC_ICR_LOW, icr_low);
    wait_idle();
}
