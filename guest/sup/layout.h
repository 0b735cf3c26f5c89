/* Where the supervisor lives (see docs/guest.md, "Memory layout"). */
#ifndef SUP_LAYOUT_H
#define SUP_LAYOUT_H
#include <stdint.h>

#define KERNEL_VMA     0xFFFFFFFF80000000UL  /* supervisor: phys 0x200000 -> KERNEL_VMA + 0x200000 */
#define HHDM_BASE      0xFFFF800000000000UL  /* all physical memory */
#define FRAMES_FROM    0x800000UL            /* the frame allocator starts here */
#define AP_TRAMPOLINE  0x8000UL              /* real-mode AP entry page (SIPI vector 0x08) */

#define PAGE_SIZE      4096UL
#define MAX_CPUS       16
#define MAX_SHARDS     16

#define KSTACK_SIZE    16384   /* per CPU: traps and syscalls from ring 3; lowest page = guard */
#define IDLE_STACK_SIZE 16384  /* per CPU: boot, idle loop, interrupts while idle; lowest page = guard */
#define IST_STACK_SIZE 4096    /* per CPU: #DF, so a blown stack still reports */

static inline void *phys_to_virt(uint64_t pa) { return (void *)(HHDM_BASE + pa); }
static inline uint64_t virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)va;
    return v >= KERNEL_VMA ? v - KERNEL_VMA : v - HHDM_BASE;
}

#endif
