#include "pci_guest.h"

#include "cpu.h"
#include "permission_maps.h"

#define MAX_HIDDEN 2

struct io_range {
    uint16_t base, size;
};

static struct {
    uint32_t function;                          /* PCI_ADDRESS_FUNCTION bits */
    struct io_range bars[PCI_BAR_COUNT];
} hidden[MAX_HIDDEN];
static unsigned nhidden;

/* The guest's CONFIG_ADDRESS. One register for the whole machine, as on a
 * host bridge: every CPU's stores land here. The real register is loaded
 * from it before each data access the guest makes. */
static volatile uint32_t guest_config_address;

static void intercept_range(uint16_t base, uint32_t size)
{
    for (uint32_t p = base; p < (uint32_t)base + size && p <= 0xffff; p++)
        permission_maps_intercept_port((uint16_t)p);
}

bool pci_guest_hide(struct pci_addr a)
{
    if (nhidden == MAX_HIDDEN)
        return false;
    unsigned slot = nhidden;
    hidden[slot].function = PCI_ADDRESS_FUNCTION(pci_config_address(a, 0));

    /* Memory decoding off: the nested page tables map the PCI hole 1:1, so a
     * memory BAR of this function would otherwise be a guest-reachable
     * window onto its registers (PCI 3.0, 6.2.2: Command register bit 1). */
    uint16_t command = pci_read16(a, PCI_COMMAND);
    pci_write16(a, PCI_COMMAND, command & (uint16_t)~PCI_COMMAND_MEMORY);

    /* I/O BARs are sized with I/O decoding off (PCI 3.0, 6.2.5.1) */
    pci_write16(a, PCI_COMMAND, command & (uint16_t)~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO));
    for (unsigned bar = 0; bar < PCI_BAR_COUNT; bar++) {
        uint32_t size = pci_io_bar_size(a, bar);
        if (size) {
            uint16_t base = (uint16_t)(pci_read32(a, (uint8_t)(PCI_BAR0 + 4 * bar)) & PCI_BAR_IO_MASK);
            hidden[slot].bars[bar] = (struct io_range){ base, (uint16_t)size };
            intercept_range(base, size);
        } else {
            uint32_t v = pci_read32(a, (uint8_t)(PCI_BAR0 + 4 * bar));
            if (!(v & PCI_BAR_IO) && (v & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM_64)
                bar++;  /* the next BAR is this one's upper half (PCI 3.0, 6.2.5.1) */
        }
    }
    pci_write16(a, PCI_COMMAND, command & (uint16_t)~PCI_COMMAND_MEMORY);

    intercept_range(PCI_CONFIG_ADDRESS, PCI_CONFIG_PORTS);
    __atomic_store_n(&nhidden, slot + 1, __ATOMIC_RELEASE);
    return true;
}

bool pci_guest_config_port(uint16_t port)
{
    return nhidden && port >= PCI_CONFIG_ADDRESS && port < PCI_CONFIG_ADDRESS + PCI_CONFIG_PORTS;
}

bool pci_guest_hidden_port(uint16_t port)
{
    for (unsigned i = 0; i < nhidden; i++)
        for (unsigned b = 0; b < PCI_BAR_COUNT; b++) {
            const struct io_range *r = &hidden[i].bars[b];
            if (r->size && port >= r->base && (uint32_t)port < (uint32_t)r->base + r->size)
                return true;
        }
    return false;
}

static bool targets_hidden(uint32_t address)
{
    if (!(address & PCI_CONFIG_ENABLE))
        return false;
    for (unsigned i = 0; i < nhidden; i++)
        if (PCI_ADDRESS_FUNCTION(address) == hidden[i].function)
            return true;
    return false;
}

/* Only a dword access at 0xCF8 is CONFIG_ADDRESS; byte and word accesses to
 * 0xCF8-0xCFB are ordinary I/O that the host bridge passes on (PCI 3.0,
 * 3.2.2.3.2), e.g. the PIIX/ICH reset control register at 0xCF9. */
static bool is_config_address(uint16_t port, unsigned size)
{
    return port == PCI_CONFIG_ADDRESS && size == 4;
}

static bool is_config_data(uint16_t port)
{
    return port >= PCI_CONFIG_DATA && port < PCI_CONFIG_DATA + 4;
}

static uint32_t port_in(uint16_t port, unsigned size)
{
    return size == 4 ? inl(port) : size == 2 ? inw(port) : inb(port);
}

static void port_out(uint16_t port, unsigned size, uint32_t value)
{
    if (size == 4)
        outl(port, value);
    else if (size == 2)
        outw(port, (uint16_t)value);
    else
        outb(port, (uint8_t)value);
}

uint32_t pci_guest_in(uint16_t port, unsigned size)
{
    if (is_config_address(port, size))
        return guest_config_address;
    if (!is_config_data(port))
        return port_in(port, size);
    uint32_t address = guest_config_address;
    if (targets_hidden(address))
        return size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu;
    /* with the enable bit clear the data port is ordinary I/O; passing the
     * guest's address on gives exactly that */
    return pci_config_in(address, port, size);
}

void pci_guest_out(uint16_t port, unsigned size, uint32_t value)
{
    if (is_config_address(port, size)) {
        guest_config_address = value;
        return;
    }
    if (!is_config_data(port)) {
        port_out(port, size, value);
        return;
    }
    uint32_t address = guest_config_address;
    if (!targets_hidden(address))
        pci_config_out(address, port, size, value);
}
