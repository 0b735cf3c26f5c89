/* The guest's view of PCI configuration space. Once the monitor hides a
 * function (its debug link), ports 0xCF8-0xCFF are intercepted and emulated:
 * configuration cycles to the hidden function read all ones, as from an
 * empty slot, and writes to it are dropped; every other access goes to the
 * real ports unchanged. The function's I/O BARs become monitor ports (reads
 * all ones, writes dropped) and it stops decoding memory, so its registers
 * are reachable neither by port nor through the nested page tables. */
#ifndef HUSK_X86_PCI_GUEST_H
#define HUSK_X86_PCI_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"

/* Hides a from the guest; false when the table of hidden functions is full. */
bool pci_guest_hide(struct pci_addr a);

/* 0xCF8-0xCFF while something is hidden (the IOPM intercepts them then). */
bool pci_guest_config_port(uint16_t port);
/* A port inside an I/O BAR of a hidden function. */
bool pci_guest_hidden_port(uint16_t port);

uint32_t pci_guest_in(uint16_t port, unsigned size);
void pci_guest_out(uint16_t port, unsigned size, uint32_t value);

#endif
