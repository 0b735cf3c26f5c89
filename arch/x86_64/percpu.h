/* Per-CPU data of the host. GS base points at this CPU's struct percpu
 * while the monitor runs (VMLOAD of the host save area restores it after
 * every exit), so interrupt handlers find their CPU with one load. */
#ifndef HUSK_X86_PERCPU_H
#define HUSK_X86_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "vcpu.h"
#include "arch_vcpu.h"

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iopb_offset;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS is 104 bytes");

struct percpu {
    struct percpu *self;            /* %gs:0 */
    unsigned index;
    uint32_t apic_id;
    struct vcpu *vcpu;
    struct arch_vcpu arch;
    volatile bool in_irq_window;    /* host IF=1 only to take a guest's interrupt */
    volatile uint32_t nmi_count;    /* NMIs the host took (arch_wait_nmi) */
    uint64_t gdt[6] __attribute__((aligned(16)));
    struct tss64 tss __attribute__((aligned(16)));
};

extern struct percpu percpus[MAX_CPUS];

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(p));
    return p;
}

/* Loads this CPU's GDT, TSS, IDT and GS base. */
void cpu_init_tables(struct percpu *p);

#endif
