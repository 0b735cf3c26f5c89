#include "vm.h"
#include "cpu.h"
#include "layout.h"
#include "pmm.h"
#include "x86.h"
#include "../lib/string.h"

#define LARGE_PAGE  (2ul << 20)
#define GIB         (1ul << 30)

extern char __text_start[], __text_end[], __rodata_end[], __kernel_end[];

static uint64_t kernel_cr3;

static unsigned index_of(uint64_t va, int level)   /* level 3 = PML4 .. 0 = PT */
{
    return (va >> (12 + 9 * level)) & 511;
}

/* The entry for `va` in the table at `level`, allocating tables on the way. */
static uint64_t *walk(uint64_t cr3, uint64_t va, int level, int create)
{
    uint64_t *table = phys_to_virt(cr3 & PTE_ADDR);
    for (int l = 3; l > level; l--) {
        uint64_t *e = &table[index_of(va, l)];
        if (!(*e & PTE_P)) {
            if (!create)
                return 0;
            uint64_t pa = pmm_alloc();
            if (!pa)
                return 0;
            /* Upper levels grant everything; the leaf decides. */
            *e = pa | PTE_P | PTE_W | PTE_U;
        }
        if (*e & PTE_PS)
            return 0;
        table = phys_to_virt(*e & PTE_ADDR);
    }
    return &table[index_of(va, level)];
}

int vm_map(uint64_t cr3, uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *e = walk(cr3, va, 0, 1);
    if (!e)
        return -1;
    *e = (pa & PTE_ADDR) | flags | PTE_P;
    return 0;
}

static int map_large(uint64_t cr3, uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *e = walk(cr3, va, 1, 1);
    if (!e)
        return -1;
    *e = pa | flags | PTE_P | PTE_PS;
    return 0;
}

static int overlaps_available(const struct boot_info *bi, uint64_t base, uint64_t len)
{
    for (int i = 0; i < bi->navail; i++)
        if (base < bi->avail[i].base + bi->avail[i].len && bi->avail[i].base < base + len)
            return 1;
    return 0;
}

int vm_init_kernel(const struct boot_info *bi)
{
    kernel_cr3 = pmm_alloc();
    if (!kernel_cr3)
        return -1;
    /* HHDM over all of the low 4 GiB (the LAPIC and other MMIO live there)
     * and any memory above it. Mapping is not touching: ranges the map does
     * not list are never accessed except device pages, which get PCD|PWT. */
    uint64_t end = pmm_top() > 4 * GIB ? (pmm_top() + GIB - 1) & ~(GIB - 1) : 4 * GIB;
    for (uint64_t pa = 0; pa < end; pa += LARGE_PAGE) {
        uint64_t flags = PTE_W | PTE_NX;
        if (!overlaps_available(bi, pa, LARGE_PAGE))
            flags |= PTE_PCD | PTE_PWT;
        if (map_large(kernel_cr3, HHDM_BASE + pa, pa, flags))
            return -1;
    }
    /* The supervisor image with real permissions: text R+X, rodata R,
     * data and bss R+W+NX, so a stray write to code faults; stack guard
     * pages stay unmapped. */
    for (uint64_t va = (uint64_t)__text_start; va < (uint64_t)__kernel_end; va += PAGE_SIZE) {
        uint64_t flags;
        if (cpu_stack_guard(va))
            continue;
        if (va < (uint64_t)__text_end)
            flags = 0;
        else if (va < (uint64_t)__rodata_end)
            flags = PTE_NX;
        else
            flags = PTE_W | PTE_NX;
        if (vm_map(kernel_cr3, va, va - KERNEL_VMA, flags))
            return -1;
    }
    write_cr3(kernel_cr3);
    return 0;
}

uint64_t vm_kernel_cr3(void)
{
    return kernel_cr3;
}

uint64_t vm_new_space(void)
{
    uint64_t cr3 = pmm_alloc();
    if (!cr3)
        return 0;
    uint64_t *dst = phys_to_virt(cr3), *src = phys_to_virt(kernel_cr3);
    for (int i = 256; i < 512; i++)
        dst[i] = src[i];
    return cr3;
}

uint64_t vm_ap_boot_cr3(void)
{
    uint64_t cr3 = vm_new_space();
    if (!cr3 || map_large(cr3, 0, 0, PTE_W))
        return 0;
    return cr3;
}

uint64_t vm_user_phys(uint64_t cr3, uint64_t va, int write)
{
    if (va >= (1ul << 47))
        return 0;
    uint64_t *table = phys_to_virt(cr3 & PTE_ADDR);
    for (int l = 3; l >= 0; l--) {
        uint64_t e = table[index_of(va, l)];
        if (!(e & PTE_P) || !(e & PTE_U) || (write && !(e & PTE_W)))
            return 0;
        if (l == 0)
            return (e & PTE_ADDR) | (va & (PAGE_SIZE - 1));
        if (e & PTE_PS)
            return 0;       /* shards only ever get 4 KiB pages */
        table = phys_to_virt(e & PTE_ADDR);
    }
    return 0;
}
