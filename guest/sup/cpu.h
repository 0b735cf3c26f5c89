/* Per-CPU state. `cpus` is read by debuggers and the proxy shell to tell
 * what runs where: keep the layout stable (docs/guest.md, "Debugger-visible
 * symbols"). GS base points at the CPU's own entry while in the supervisor. */
#ifndef SUP_CPU_H
#define SUP_CPU_H
#include <stdint.h>
#include "layout.h"

struct shard;

struct cpu {
    struct cpu *self;           /* 0x00: %gs:0 */
    uint64_t kstack_top;        /* 0x08: %gs:8, stack for entries from ring 3 */
    uint64_t user_rsp;          /* 0x10: %gs:16, scratch for the SYSCALL entry */
    struct shard *current;      /* 0x18: running shard, NULL = supervisor/idle */
    uint32_t index;             /* 0x20: 0 = the boot CPU */
    uint32_t apic_id;           /* 0x24 */
    uint32_t online;            /* 0x28: 1 once it runs the scheduler */
    uint32_t reserved;          /* 0x2c */
    uint64_t timer_ticks;       /* 0x30: timer interrupts taken on this CPU */
    uint64_t idle_ticks;        /* 0x38: ... of which while idle */
    uint64_t switches;          /* 0x40: shard switches on this CPU */
};
_Static_assert(__builtin_offsetof(struct cpu, kstack_top) == 0x08, "cpu.kstack_top (isr.S)");
_Static_assert(__builtin_offsetof(struct cpu, user_rsp) == 0x10, "cpu.user_rsp (isr.S)");
_Static_assert(__builtin_offsetof(struct cpu, current) == 0x18, "cpu.current");
_Static_assert(__builtin_offsetof(struct cpu, index) == 0x20, "cpu.index");
_Static_assert(__builtin_offsetof(struct cpu, apic_id) == 0x24, "cpu.apic_id");
_Static_assert(__builtin_offsetof(struct cpu, online) == 0x28, "cpu.online");
_Static_assert(__builtin_offsetof(struct cpu, timer_ticks) == 0x30, "cpu.timer_ticks");
_Static_assert(sizeof(struct cpu) == 0x48, "struct cpu size");

extern struct cpu cpus[MAX_CPUS];
extern volatile uint32_t cpus_online;
extern uint8_t idle_stacks[MAX_CPUS][IDLE_STACK_SIZE];

static inline struct cpu *this_cpu(void)
{
    struct cpu *c;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(c));
    return c;
}

/* Everything a CPU sets up for itself: GDT/TSS, IDT, GS, control
 * registers, FPU, SYSCALL MSRs. */
void cpu_init(unsigned index, uint32_t apic_id);
/* Whether `va` is the lowest page of a kernel or idle stack: left unmapped,
 * so an overflow faults (and ends as #DF on the IST stack) instead of
 * silently overwriting the neighbouring CPU's stack. */
int cpu_stack_guard(uint64_t va);
/* Saves/restores a 512-byte, 16-aligned FXSAVE area (APM vol. 2, 11.4.4). */
void fpu_save(void *area);
void fpu_restore(const void *area);
/* The FXSAVE image of a freshly initialised FPU/SSE unit. */
extern uint8_t fpu_initial_state[512];

#endif
