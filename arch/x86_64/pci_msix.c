#include "pci_msix.h"

#include "cpu.h"
#include "lapic.h"

#define MSIX_CONTROL        2               /* capability + 2: Message Control */
#define MSIX_TABLE          4               /* capability + 4: Table Offset / BIR */
#define MSIX_CONTROL_ENABLE (1u << 15)
#define MSIX_CONTROL_MASK   (1u << 14)      /* function mask */
#define MSIX_TABLE_SIZE(c)  (((c) & 0x7ffu) + 1)
#define MSIX_ENTRY_BYTES    16
#define MSIX_ADDR_LO        0
#define MSIX_ADDR_HI        4
#define MSIX_DATA           8
#define MSIX_VECTOR_CONTROL 12
#define MSIX_ENTRY_MASKED   1u

/* The message: a write to the LAPIC range naming the destination (physical
 * mode, no redirection hint) with delivery mode NMI (Intel SDM vol. 3,
 * 10.11.1 and 10.11.2; the vector field is ignored for NMI). */
#define MSI_ADDRESS(apic_id) (0xfee00000u | (uint32_t)(apic_id) << 12)
#define MSI_DATA_NMI         (ICR_DELIVERY_NMI << 8)

static uint64_t entry_reg(const struct msix *m, unsigned entry, unsigned reg)
{
    return m->table + (uint64_t)entry * MSIX_ENTRY_BYTES + reg;
}

/* Memory decoding on around an access to the table, then as it was. */
static uint16_t decode_on(const struct msix *m)
{
    uint16_t command = pci_read16(m->pci, PCI_COMMAND);
    pci_write16(m->pci, PCI_COMMAND, command | PCI_COMMAND_MEMORY);
    return command;
}

static void decode_restore(const struct msix *m, uint16_t command)
{
    pci_write16(m->pci, PCI_COMMAND, command);
}

bool msix_init(struct msix *m, struct pci_addr a)
{
    *m = (struct msix){ .pci = a };
    m->cap = pci_find_capability(a, PCI_CAP_MSIX);
    if (!m->cap)
        return false;
    uint32_t where = pci_read32(a, (uint8_t)(m->cap + MSIX_TABLE));
    uint64_t bar = pci_mem_bar(a, where & 7);
    if (!bar || bar + (where & ~7u) >= (4ull << 30))
        return false;
    m->table = bar + (where & ~7u);
    uint16_t control = pci_read16(a, (uint8_t)(m->cap + MSIX_CONTROL));
    m->entries = MSIX_TABLE_SIZE(control);
    uint16_t command = decode_on(m);
    for (unsigned i = 0; i < m->entries; i++)
        mmio_write32(entry_reg(m, i, MSIX_VECTOR_CONTROL), MSIX_ENTRY_MASKED);
    decode_restore(m, command);
    pci_write16(a, (uint8_t)(m->cap + MSIX_CONTROL),
                (uint16_t)((control | MSIX_CONTROL_ENABLE) & ~MSIX_CONTROL_MASK));
    return true;
}

void msix_route_nmi(struct msix *m, unsigned entry, uint32_t apic_id)
{
    if (entry >= m->entries || entry >= 2 || m->nmi_target[entry] == apic_id + 1)
        return;
    uint16_t command = decode_on(m);
    mmio_write32(entry_reg(m, entry, MSIX_VECTOR_CONTROL), MSIX_ENTRY_MASKED);
    mmio_write32(entry_reg(m, entry, MSIX_ADDR_LO), MSI_ADDRESS(apic_id));
    mmio_write32(entry_reg(m, entry, MSIX_ADDR_HI), 0);
    mmio_write32(entry_reg(m, entry, MSIX_DATA), MSI_DATA_NMI);
    mmio_write32(entry_reg(m, entry, MSIX_VECTOR_CONTROL), 0);
    decode_restore(m, command);
    m->nmi_target[entry] = apic_id + 1;
}
