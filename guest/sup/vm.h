/* Four-level page tables (AMD APM vol. 2, 5.3 "Long-Mode Page Translation"). */
#ifndef SUP_VM_H
#define SUP_VM_H
#include <stdint.h>
#include "multiboot.h"

#define PTE_P    (1ul << 0)
#define PTE_W    (1ul << 1)
#define PTE_U    (1ul << 2)
#define PTE_PWT  (1ul << 3)
#define PTE_PCD  (1ul << 4)
#define PTE_PS   (1ul << 7)
#define PTE_NX   (1ul << 63)
#define PTE_ADDR 0x000FFFFFFFFFF000ul

/* Builds the supervisor's tables (HHDM + supervisor image, no identity map)
 * and switches to them. Returns 0, or -1 when out of frames. */
int vm_init_kernel(const struct boot_info *bi);
uint64_t vm_kernel_cr3(void);
/* A new address space sharing the supervisor half; 0 when out of frames. */
uint64_t vm_new_space(void);
/* Maps one 4 KiB page; 0 on success, -1 when out of frames. */
int vm_map(uint64_t cr3, uint64_t va, uint64_t pa, uint64_t flags);
/* The kernel CR3 plus an identity map of the first 2 MiB, for AP start. */
uint64_t vm_ap_boot_cr3(void);
/* Physical address behind a user virtual address, or 0 when the page is
 * absent or not user-accessible (with write: not writable). */
uint64_t vm_user_phys(uint64_t cr3, uint64_t va, int write);

#endif
