/* MSI-X (PCI 3.0, 6.8.2) used for one thing: a device's message as an NMI
 * to one CPU, which ends that CPU's HLT without any interrupt being
 * enabled in the host. The table lives in a memory BAR; a function the
 * monitor hides from the guest keeps its memory decoding off (pci_guest.c),
 * so the table is reached only with decoding switched on for the access,
 * at boot and while no guest code runs. */
#ifndef HUSK_X86_PCI_MSIX_H
#define HUSK_X86_PCI_MSIX_H

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"

struct msix {
    struct pci_addr pci;
    uint8_t cap;                    /* capability offset in configuration space */
    uint64_t table;                 /* physical address of entry 0 */
    unsigned entries;
    uint32_t nmi_target[2];         /* APIC ID entry 0/1 is routed to, +1 (0: none yet) */
};

/* Finds a's MSI-X table and enables MSI-X with every entry masked;
 * false when the function has none the monitor can reach (below 4 GiB). */
bool msix_init(struct msix *m, struct pci_addr a);

/* Routes table entry `entry` (0 or 1) as an NMI to the CPU with this APIC
 * ID and unmasks it; does nothing when it already is. Only while no
 * guest code runs (the table is decoded for the duration). */
void msix_route_nmi(struct msix *m, unsigned entry, uint32_t apic_id);

#endif
