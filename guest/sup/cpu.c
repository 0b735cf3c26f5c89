#include "cpu.h"
#include "trap.h"
#include "x86.h"
#include "../lib/string.h"

struct cpu cpus[MAX_CPUS];
volatile uint32_t cpus_online;
/* Page-aligned so the lowest page of each can be a guard (cpu_stack_guard). */
uint8_t idle_stacks[MAX_CPUS][IDLE_STACK_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t kernel_stacks[MAX_CPUS][KSTACK_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t ist_stacks[MAX_CPUS][IST_STACK_SIZE] __attribute__((aligned(PAGE_SIZE)));
_Static_assert(KSTACK_SIZE % PAGE_SIZE == 0 && IDLE_STACK_SIZE % PAGE_SIZE == 0, "stack sizes");
uint8_t fpu_initial_state[512] __attribute__((aligned(16)));

/* 64-bit TSS (APM vol. 2, 12.2.5). */
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS size");
_Static_assert(__builtin_offsetof(struct tss, ist) == 0x24, "TSS ist");

/* GDT order fixed by SYSCALL/SYSRET (APM vol. 2, 6.1.1): STAR[47:32] = 0x08
 * gives kernel CS 0x08 / SS 0x10; STAR[63:48] = 0x10 gives user SS 0x18 and
 * 64-bit user CS 0x20. Then the 16-byte TSS descriptor. */
struct cpu_tables {
    uint64_t gdt[7];
    struct tss tss;
} __attribute__((aligned(16)));
static struct cpu_tables tables[MAX_CPUS];

enum { GDT_NULL, GDT_KCODE, GDT_KDATA, GDT_UDATA, GDT_UCODE, GDT_TSS_LO, GDT_TSS_HI };
_Static_assert(GDT_KCODE * 8 == KERNEL_CS && GDT_KDATA * 8 == KERNEL_DS, "kernel selectors");
_Static_assert((GDT_UDATA * 8 | 3) == USER_DS && (GDT_UCODE * 8 | 3) == USER_CS, "user selectors");
_Static_assert(GDT_TSS_LO * 8 == TSS_SEL, "TSS selector");

#define SEG_KCODE 0x00AF9A000000FFFFull   /* P, DPL0, code, L */
#define SEG_KDATA 0x00CF92000000FFFFull   /* P, DPL0, data, writable */
#define SEG_UDATA 0x00CFF2000000FFFFull   /* P, DPL3, data, writable */
#define SEG_UCODE 0x00AFFA000000FFFFull   /* P, DPL3, code, L */

static void gdt_load(struct cpu_tables *t)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdtr = {
        sizeof t->gdt - 1, (uint64_t)t->gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "mov %1, %%ds\n\t mov %1, %%es\n\t mov %1, %%ss\n\t"
        "xor %%eax, %%eax\n\t mov %%ax, %%fs\n\t mov %%ax, %%gs\n\t"
        "pushq %2\n\t lea 1f(%%rip), %%rax\n\t pushq %%rax\n\t lretq\n"
        "1:\n\t"
        "ltr %w3"
        :: "m"(gdtr), "r"((uint64_t)KERNEL_DS), "i"(KERNEL_CS), "r"((uint64_t)TSS_SEL)
        : "rax", "memory");
}

static void gdt_build(unsigned index)
{
    struct cpu_tables *t = &tables[index];
    t->gdt[GDT_NULL] = 0;
    t->gdt[GDT_KCODE] = SEG_KCODE;
    t->gdt[GDT_KDATA] = SEG_KDATA;
    t->gdt[GDT_UDATA] = SEG_UDATA;
    t->gdt[GDT_UCODE] = SEG_UCODE;
    memset(&t->tss, 0, sizeof t->tss);
    t->tss.rsp[0] = (uint64_t)&kernel_stacks[index][KSTACK_SIZE];
    t->tss.ist[0] = (uint64_t)&ist_stacks[index][IST_STACK_SIZE];
    t->tss.iomap_base = sizeof t->tss;      /* no I/O bitmap: ring 3 has no ports */
    uint64_t base = (uint64_t)&t->tss, limit = sizeof t->tss - 1;
    t->gdt[GDT_TSS_LO] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
                         (((base >> 24) & 0xFF) << 56);
    t->gdt[GDT_TSS_HI] = base >> 32;
}

extern void syscall_entry(void);

static void syscall_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE | EFER_NXE);
    wrmsr(MSR_STAR, ((uint64_t)(USER_DS - 8 - 3) << 48) | ((uint64_t)KERNEL_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    /* The supervisor must start with IF, TF, DF and AC clear whatever the
     * shard had (APM vol. 2, 6.1.1). */
    wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC);
}

int cpu_stack_guard(uint64_t va)
{
    for (unsigned i = 0; i < MAX_CPUS; i++)
        if (va == (uint64_t)kernel_stacks[i] || va == (uint64_t)idle_stacks[i])
            return 1;
    return 0;
}

void fpu_save(void *area)
{
    __asm__ volatile("fxsaveq (%0)" :: "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
    __asm__ volatile("fxrstorq (%0)" :: "r"(area) : "memory");
}

void cpu_init(unsigned index, uint32_t apic_id)
{
    struct cpu *c = &cpus[index];
    c->self = c;
    c->index = index;
    c->apic_id = apic_id;
    c->kstack_top = (uint64_t)&kernel_stacks[index][KSTACK_SIZE];
    gdt_build(index);
    gdt_load(&tables[index]);
    idt_load();
    /* GS = this CPU in the supervisor; the shard's GS is 0 and SWAPGS
     * exchanges them on every ring crossing. */
    wrmsr(MSR_GS_BASE, (uint64_t)c);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
    write_cr0((read_cr0() | CR0_MP | CR0_NE | CR0_WP) & ~(CR0_EM | CR0_TS));
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_TSD);
    syscall_init();
    __asm__ volatile("fninit");
    if (index == 0) {
        uint32_t mxcsr = 0x1F80;            /* all SSE exceptions masked */
        __asm__ volatile("ldmxcsr %0" :: "m"(mxcsr));
        fpu_save(fpu_initial_state);
    }
}
