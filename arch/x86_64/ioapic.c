/* The first IOAPIC at its architectural default address (Intel 82093AA
 * datasheet, 3.0: IOREGSEL/IOWIN, redirection table from register 0x10,
 * two registers per pin). */
#include "ioapic.h"

#include "cpu.h"
#include "lapic.h"

#define IOAPIC_BASE       0xfec00000ull
#define IOAPIC_REGSEL     0x00
#define IOAPIC_WIN        0x10
#define IOAPIC_REDIR(pin) (0x10 + 2 * (pin))

static void ioapic_write(uint32_t reg, uint32_t value)
{
    mmio_write32(IOAPIC_BASE + IOAPIC_REGSEL, reg);
    mmio_write32(IOAPIC_BASE + IOAPIC_WIN, value);
}

void ioapic_route_nmi(unsigned pin, uint32_t apic_id)
{
    /* destination first: the entry is never live with a half-written one */
    ioapic_write(IOAPIC_REDIR(pin) + 1, apic_id << 24);
    ioapic_write(IOAPIC_REDIR(pin), ICR_DELIVERY_NMI << 8);
}
