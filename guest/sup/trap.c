#include "trap.h"
#include "console.h"
#include "cpu.h"
#include "lapic.h"
#include "sched.h"
#include "shard.h"
#include "x86.h"
#include "../lib/fmt.h"

#define VEC_PAGE_FAULT 14

static const char *const exception_names[32] = {
    [0] = "#DE", [1] = "#DB", [2] = "NMI", [3] = "#BP", [4] = "#OF", [5] = "#BR",
    [6] = "#UD", [7] = "#NM", [8] = "#DF", [10] = "#TS", [11] = "#NP", [12] = "#SS",
    [13] = "#GP", [14] = "#PF", [16] = "#MF", [17] = "#AC", [18] = "#MC", [19] = "#XM",
    [20] = "#VE", [21] = "#CP", [29] = "#VC", [30] = "#SX",
};

static const char *exception_name(uint64_t v)
{
    return v < 32 && exception_names[v] ? exception_names[v] : "exception";
}

/* #PF error code bits (APM vol. 2, 8.4.2): P, W/R, U/S, RSV, I/D. */
static void describe_pf_error(char *buf, size_t size, uint64_t err)
{
    fmt_snprintf(buf, size, " [%s %s %s%s]",
                 err & (1u << 4) ? "ifetch" : err & (1u << 1) ? "write" : "read",
                 err & 1 ? "protection" : "not-present",
                 err & (1u << 2) ? "user" : "supervisor",
                 err & (1u << 3) ? " reserved-bit" : "");
}

/* A ring-3 exception: one report line, then the shard dies with all ones. */
static void kill_shard(struct trap_frame *f)
{
    struct shard *s = this_cpu()->current;
    char pf[64] = "", cr2[32] = "";
    if (f->vector == VEC_PAGE_FAULT) {
        describe_pf_error(pf, sizeof pf, f->error);
        fmt_snprintf(cr2, sizeof cr2, " cr2 0x%lx", (unsigned long)read_cr2());
    }
    kprintf("supervisor: shard %s (id %u) killed by %s (vector %lu) error 0x%lx%s at rip 0x%lx%s\n",
            s->name, s->id, exception_name(f->vector), (unsigned long)f->vector,
            (unsigned long)f->error, pf, (unsigned long)f->rip, cr2);
    s->fault_vector = (int32_t)f->vector;
    handle_sys_exit(f, SHARD_EXIT_KILLED);
}

/* A supervisor exception is a supervisor bug: dump everything and stop. */
static __attribute__((noreturn)) void supervisor_panic(struct trap_frame *f)
{
    struct cpu *c = this_cpu();
    char pf[64] = "";
    if (f->vector == VEC_PAGE_FAULT)
        describe_pf_error(pf, sizeof pf, f->error);
    kprintf("supervisor: PANIC on CPU %u: %s (vector %lu) error 0x%lx%s in the supervisor\n",
            c->index, exception_name(f->vector), (unsigned long)f->vector,
            (unsigned long)f->error, pf);
    kprintf("  rip %016lx cs %04lx rflags %016lx rsp %016lx ss %04lx\n",
            (unsigned long)f->rip, (unsigned long)f->cs, (unsigned long)f->rflags,
            (unsigned long)f->rsp, (unsigned long)f->ss);
    kprintf("  cr2 %016lx cr3 %016lx cr0 %016lx cr4 %016lx\n", (unsigned long)read_cr2(),
            (unsigned long)read_cr3(), (unsigned long)read_cr0(), (unsigned long)read_cr4());
    kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", (unsigned long)f->rax,
            (unsigned long)f->rbx, (unsigned long)f->rcx, (unsigned long)f->rdx);
    kprintf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", (unsigned long)f->rsi,
            (unsigned long)f->rdi, (unsigned long)f->rbp, (unsigned long)f->r8);
    kprintf("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", (unsigned long)f->r9,
            (unsigned long)f->r10, (unsigned long)f->r11, (unsigned long)f->r12);
    kprintf("  r13 %016lx r14 %016lx r15 %016lx shard %s\n", (unsigned long)f->r13,
            (unsigned long)f->r14, (unsigned long)f->r15,
            c->current ? c->current->name : "(none)");
    supervisor_halt();
}

void trap_dispatch(struct trap_frame *f)
{
    if (f->vector < 32) {
        if (frame_from_user(f))
            kill_shard(f);
        else
            supervisor_panic(f);
        return;
    }
    switch (f->vector) {
    case VEC_TIMER:
        timer_preempt(f);
        return;
    case VEC_SPURIOUS:          /* no EOI for spurious interrupts (SDM 10.9) */
        return;
    default:
        kprintf("supervisor: unexpected interrupt vector %lu on CPU %u\n",
                (unsigned long)f->vector, this_cpu()->index);
        lapic_eoi();
        return;
    }
}
