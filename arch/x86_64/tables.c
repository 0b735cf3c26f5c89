/* The host's own descriptor tables: one shared IDT, and per CPU a GDT with
 * a 64-bit TSS whose IST1 stack takes #DF and #MC, so even a monitor stack
 * overflow reaches the panic path. */
#include "idt.h"
#include "layout.h"
#include "lib/string.h"
#include "percpu.h"
#include "cpu.h"

struct idt_gate {
    uint16_t off0, selector;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit gate is 16 bytes");

extern char isr_stubs[], irq_window_stubs[];
static struct idt_gate idt[256] __attribute__((aligned(16)));
static struct idt_gate window_idt[256] __attribute__((aligned(16)));
static uint8_t fault_stacks[MAX_CPUS][FAULT_STACK_SIZE] __attribute__((aligned(16)));
struct percpu percpus[MAX_CPUS];

struct __attribute__((packed)) table_ptr {
    uint16_t limit;
    uint64_t base;
};

static struct idt_gate gate(const char *stubs, unsigned v, uint8_t ist)
{
    uint64_t a = (uint64_t)(stubs + 16 * v);
    return (struct idt_gate){ (uint16_t)a, SEL_CODE64, ist, 0x8e, (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0 };
}

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++) {
        idt[v] = gate(isr_stubs, v, v == 8 || v == 18 ? 1 : 0);
        window_idt[v] = gate(irq_window_stubs, v, 0);
    }
}

void idt_load_window(bool window)
{
    struct table_ptr i = { sizeof idt - 1, (uint64_t)(window ? window_idt : idt) };
    __asm__ volatile("lidt %0" : : "m"(i) : "memory");
}

void cpu_init_tables(struct percpu *p)
{
    p->self = p;
    p->gdt[0] = 0;
    p->gdt[1] = 0x00af9a000000ffffull;      /* 64-bit code */
    p->gdt[2] = 0x00cf92000000ffffull;      /* data */
    p->gdt[3] = 0x00cf9a000000ffffull;      /* 32-bit code */
    uint64_t tss = (uint64_t)&p->tss;
    uint64_t limit = sizeof p->tss - 1;
    p->gdt[4] = (limit & 0xffff) | ((tss & 0xffffff) << 16) | (0x89ull << 40) | (((tss >> 24) & 0xff) << 56);
    p->gdt[5] = tss >> 32;
    memset(&p->tss, 0, sizeof p->tss);
    p->tss.ist[0] = (uint64_t)&fault_stacks[p->index][FAULT_STACK_SIZE];
    p->tss.iopb_offset = sizeof p->tss;     /* no I/O bitmap */

    struct table_ptr g = { sizeof p->gdt - 1, (uint64_t)p->gdt };
    struct table_ptr i = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lgdt %0" : : "m"(g));
    __asm__ volatile("lidt %0" : : "m"(i));
    __asm__ volatile(
        "pushq %[cs]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w[ds], %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        : : [cs] "i"(SEL_CODE64), [ds] "r"(SEL_DATA) : "rax", "memory");
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
    wrmsr(MSR_GS_BASE, (uint64_t)p);
}
