#include "pci.h"

#include "cpu.h"
#include "spinlock.h"

static struct spinlock config_lock;

uint32_t pci_config_address(struct pci_addr a, uint8_t reg)
{
    return PCI_CONFIG_ENABLE | (uint32_t)a.bus << 16 | (uint32_t)(a.dev & 31) << 11 |
           (uint32_t)(a.fn & 7) << 8 | (reg & 0xfc);
}

uint32_t pci_config_in(uint32_t address, uint16_t port, unsigned size)
{
    uint32_t v;
    spin_lock(&config_lock);
    outl(PCI_CONFIG_ADDRESS, address);
    v = size == 4 ? inl(port) : size == 2 ? inw(port) : inb(port);
    spin_unlock(&config_lock);
    return v;
}

void pci_config_out(uint32_t address, uint16_t port, unsigned size, uint32_t value)
{
    spin_lock(&config_lock);
    outl(PCI_CONFIG_ADDRESS, address);
    if (size == 4)
        outl(port, value);
    else if (size == 2)
        outw(port, (uint16_t)value);
    else
        outb(port, (uint8_t)value);
    spin_unlock(&config_lock);
}

/* Byte and word registers are read through the data port's byte lanes:
 * 0xCFC + (reg & 3) (PCI 3.0, 3.2.2.3.2). */
uint32_t pci_read32(struct pci_addr a, uint8_t reg)
{
    return pci_config_in(pci_config_address(a, reg), PCI_CONFIG_DATA, 4);
}

uint16_t pci_read16(struct pci_addr a, uint8_t reg)
{
    return (uint16_t)pci_config_in(pci_config_address(a, reg), PCI_CONFIG_DATA + (reg & 2), 2);
}

uint8_t pci_read8(struct pci_addr a, uint8_t reg)
{
    return (uint8_t)pci_config_in(pci_config_address(a, reg), PCI_CONFIG_DATA + (reg & 3), 1);
}

void pci_write16(struct pci_addr a, uint8_t reg, uint16_t value)
{
    pci_config_out(pci_config_address(a, reg), PCI_CONFIG_DATA + (reg & 2), 2, value);
}

void pci_write32(struct pci_addr a, uint8_t reg, uint32_t value)
{
    pci_config_out(pci_config_address(a, reg), PCI_CONFIG_DATA, 4, value);
}

uint32_t pci_io_bar_size(struct pci_addr a, unsigned bar)
{
    uint8_t reg = (uint8_t)(PCI_BAR0 + 4 * bar);
    uint32_t old = pci_read32(a, reg);
    if (bar >= PCI_BAR_COUNT || !(old & PCI_BAR_IO))
        return 0;
    pci_write32(a, reg, ~0u);
    uint32_t mask = pci_read32(a, reg) & PCI_BAR_IO_MASK & 0xffff;
    pci_write32(a, reg, old);
    return mask ? (~mask & 0xffff) + 1 : 0;
}

struct scan {
    pci_visit visit;
    void *ctx;
    uint8_t seen[256 / 8];      /* buses already scanned: a bad bridge cannot loop us */
};

static bool scan_bus(struct scan *s, uint8_t bus, struct pci_addr *found);

static bool scan_function(struct scan *s, struct pci_addr a, struct pci_addr *found)
{
    uint32_t id = pci_read32(a, PCI_VENDOR_ID);
    if ((id & 0xffff) == PCI_VENDOR_NONE)
        return false;
    if (s->visit(a, (uint16_t)id, (uint16_t)(id >> 16), s->ctx)) {
        *found = a;
        return true;
    }
    /* class 06h subclass 04h: PCI-to-PCI bridge; its secondary bus is next */
    if ((pci_read32(a, PCI_CLASS_REVISION) >> 16) == 0x0604 && (pci_read8(a, PCI_HEADER_TYPE) & 0x7f) == 1) {
        uint8_t secondary = pci_read8(a, PCI_SECONDARY_BUS);
        if (secondary != 0 && scan_bus(s, secondary, found))
            return true;
    }
    return false;
}

static bool scan_bus(struct scan *s, uint8_t bus, struct pci_addr *found)
{
    if (s->seen[bus / 8] & (1u << (bus % 8)))
        return false;
    s->seen[bus / 8] |= (uint8_t)(1u << (bus % 8));
    for (uint8_t dev = 0; dev < 32; dev++) {
        struct pci_addr a = { bus, dev, 0 };
        if (pci_read16(a, PCI_VENDOR_ID) == PCI_VENDOR_NONE)
            continue;
        /* functions 1-7 exist only behind a multi-function header (PCI 3.0, 6.2.1) */
        uint8_t nfn = (pci_read8(a, PCI_HEADER_TYPE) & PCI_HEADER_MULTIFUNCTION) ? 8 : 1;
        for (uint8_t fn = 0; fn < nfn; fn++) {
            a.fn = fn;
            if (scan_function(s, a, found))
                return true;
        }
    }
    return false;
}

bool pci_scan(pci_visit visit, void *ctx, struct pci_addr *found)
{
    struct scan s = { .visit = visit, .ctx = ctx };
    return scan_bus(&s, 0, found);
}

uint8_t pci_find_capability(struct pci_addr a, uint8_t id)
{
    if (!(pci_read16(a, PCI_STATUS) & PCI_STATUS_CAPABILITIES))
        return 0;
    uint8_t at = pci_read8(a, PCI_CAPABILITIES) & 0xfc;
    /* at most 48 capabilities fit in 192 bytes: a looping list ends too */
    for (unsigned n = 0; at >= 0x40 && n < 48; n++) {
        if (pci_read8(a, at) == id)
            return at;
        at = pci_read8(a, (uint8_t)(at + 1)) & 0xfc;
    }
    return 0;
}

uint64_t pci_mem_bar(struct pci_addr a, unsigned bar)
{
    if (bar >= PCI_BAR_COUNT)
        return 0;
    uint8_t reg = (uint8_t)(PCI_BAR0 + 4 * bar);
    uint32_t lo = pci_read32(a, reg);
    if (lo & PCI_BAR_IO)
        return 0;
    uint64_t base = lo & ~0xfull;
    if ((lo & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM_64 && bar + 1 < PCI_BAR_COUNT)
        base |= (uint64_t)pci_read32(a, (uint8_t)(reg + 4)) << 32;
    return base;
}
