/* PCI configuration space through configuration mechanism #1 (I/O ports
 * 0xCF8 CONFIG_ADDRESS and 0xCFC CONFIG_DATA; PCI Local Bus Specification
 * 3.0, 3.2.2.3.2), and a scan of every bus reachable from bus 0. */
#ifndef HUSK_X86_PCI_H
#define HUSK_X86_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc
#define PCI_CONFIG_PORTS   8            /* 0xCF8-0xCFF */
#define PCI_CONFIG_ENABLE  (1u << 31)

/* Type 0 header registers (PCI 3.0, 6.1) */
#define PCI_VENDOR_ID      0x00
#define PCI_DEVICE_ID      0x02
#define PCI_COMMAND        0x04
#define PCI_STATUS         0x06
#define PCI_CLASS_REVISION 0x08
#define PCI_HEADER_TYPE    0x0e
#define PCI_BAR0           0x10
#define PCI_SUBSYSTEM_ID   0x2e
#define PCI_CAPABILITIES   0x34         /* pointer to the first capability */
#define PCI_SECONDARY_BUS  0x19         /* type 1 (bridge) header */

#define PCI_COMMAND_IO            (1u << 0)
#define PCI_COMMAND_MEMORY        (1u << 1)
#define PCI_COMMAND_BUS_MASTER    (1u << 2)
#define PCI_COMMAND_INTX_DISABLE  (1u << 10)
#define PCI_HEADER_MULTIFUNCTION  0x80
#define PCI_BAR_IO                0x1
#define PCI_BAR_IO_MASK           0xfffffffcu
#define PCI_BAR_MEM_TYPE          0x6
#define PCI_BAR_MEM_64            0x4
#define PCI_BAR_COUNT             6
#define PCI_VENDOR_NONE           0xffff
#define PCI_STATUS_CAPABILITIES   (1u << 4)
#define PCI_CAP_MSIX              0x11

struct pci_addr {
    uint8_t bus, dev, fn;
};

/* CONFIG_ADDRESS value for register `reg` (dword aligned) of a. */
uint32_t pci_config_address(struct pci_addr a, uint8_t reg);
/* Bus, device and function bits of a CONFIG_ADDRESS value. */
#define PCI_ADDRESS_FUNCTION(addr) ((addr) & 0x00ffff00u)

uint32_t pci_read32(struct pci_addr a, uint8_t reg);
uint16_t pci_read16(struct pci_addr a, uint8_t reg);
uint8_t pci_read8(struct pci_addr a, uint8_t reg);
void pci_write16(struct pci_addr a, uint8_t reg, uint16_t value);
void pci_write32(struct pci_addr a, uint8_t reg, uint32_t value);

/* One access to configuration data: CONFIG_ADDRESS is loaded with `address`
 * and port 0xCFC + (port & 3) read or written with `size` bytes, under the
 * lock every configuration access in the monitor takes (CONFIG_ADDRESS is
 * one register for the whole machine). */
uint32_t pci_config_in(uint32_t address, uint16_t port, unsigned size);
void pci_config_out(uint32_t address, uint16_t port, unsigned size, uint32_t value);

/* Calls visit for every function present on bus 0 and the buses behind its
 * PCI-to-PCI bridges, until visit returns true; returns whether one did,
 * with that function in *found. */
typedef bool (*pci_visit)(struct pci_addr a, uint16_t vendor, uint16_t device, void *ctx);
bool pci_scan(pci_visit visit, void *ctx, struct pci_addr *found);

/* Offset of the first capability with this ID in a's list (PCI 3.0, 6.7),
 * or 0 when it has none. */
uint8_t pci_find_capability(struct pci_addr a, uint8_t id);

/* Base address of memory BAR `bar` (a 64-bit BAR takes bar and bar + 1),
 * or 0 when it is an I/O BAR or unassigned. */
uint64_t pci_mem_bar(struct pci_addr a, unsigned bar);

/* Size of an I/O BAR in bytes (0 when bar is not an implemented I/O BAR);
 * probes by writing all ones and restores the BAR (PCI 3.0, 6.2.5.1). Only
 * while the function's I/O decoding is off. */
uint32_t pci_io_bar_size(struct pci_addr a, unsigned bar);

#endif
