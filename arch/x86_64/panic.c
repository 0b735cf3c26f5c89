/* The host's interrupt entry in C, and the panic path for the monitor's
 * own faults: it prints without the log lock (the fault may have happened
 * holding it) and ends the run with HUSK_EXIT_PANIC. */
#include <stdarg.h>

#include "arch.h"
#include "arch_debug.h"
#include "cpu.h"
#include "idt.h"
#include "idle.h"
#include "lib/printf.h"
#include "log.h"
#include "percpu.h"
#include "uart.h"

static const char *const exception_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "?", "#TS", "#NP", "#SS", "#GP",
    "#PF", "?", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "?", "?", "?", "?", "?", "?", "#HV", "#VC",
    "#SX", "?",
};

static void raw_print(const char *fmt, ...)
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 1)
        n = sizeof line - 1;
    arch_console_write(line, (size_t)n);
}

static __attribute__((noreturn)) void panic_frame(const struct irq_frame *f)
{
    unsigned cpu = this_cpu() ? this_cpu()->index : 0;
    raw_print("husk: PANIC: cpu %u: exception %lu %s error 0x%lx\n", cpu, f->vector,
              f->vector < 32 ? exception_names[f->vector] : "irq", f->error);
    raw_print("husk: PANIC: rip 0x%016lx cs 0x%lx rflags 0x%016lx rsp 0x%016lx ss 0x%lx\n", f->rip, f->cs,
              f->rflags, f->rsp, f->ss);
    raw_print("husk: PANIC: rax 0x%016lx rbx 0x%016lx rcx 0x%016lx rdx 0x%016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    raw_print("husk: PANIC: rsi 0x%016lx rdi 0x%016lx rbp 0x%016lx r8  0x%016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    raw_print("husk: PANIC: r9  0x%016lx r10 0x%016lx r11 0x%016lx r12 0x%016lx\n", f->r9, f->r10, f->r11, f->r12);
    raw_print("husk: PANIC: r13 0x%016lx r14 0x%016lx r15 0x%016lx\n", f->r13, f->r14, f->r15);
    raw_print("husk: PANIC: cr0 0x%lx cr2 0x%lx cr3 0x%lx cr4 0x%lx efer 0x%lx\n", read_cr0(), read_cr2(),
              read_cr3(), read_cr4(), rdmsr(MSR_EFER));
    arch_machine_exit(HUSK_EXIT_PANIC);
}

void host_interrupt(struct irq_frame *f)
{
    struct percpu *p = this_cpu();
    if (f->vector == 2) {
        /* Every NMI the host takes is the monitor's: a kick
         * (arch_vcpu_kick) or the debugger's tick (debug_tick.c), whose
         * exit or wake-up is all it is for. The guest's NMIs never arrive
         * as physical NMIs (guest_nmi.c), so nothing here is injected. */
        idle_nmi_fixup(f);
        p->nmi_count++;
        arch_dbg_tick_ack();
        return;
    }
    /* A debug register armed for the guest matches by linear address in
     * the host too (notes, svm-under-qemu-tcg.md rule 2). The monitor's
     * addresses are not the guest's, but a stray hit is harmless: data
     * breakpoints trap after the access, and RF lets the instruction of an
     * execute breakpoint run once (APM vol. 2, 13.1.1.5). */
    if (f->vector == 1 && !p->in_irq_window) {
        f->rflags |= RFLAGS_RF;
        return;
    }
    /* A physical INIT, redirected by VM_CR.R_INIT (svm.c): dropped. */
    if (f->vector == 30 && f->error == 1) {
        log_ring("cpu %u: physical INIT (#SX) dropped", p->index);
        return;
    }
    /* Inside the short sti window of an INTR exit (its own IDT, isr.S)
     * what arrives is an external interrupt, whatever its vector; only a
     * machine check (never masked) is not. */
    if (p->in_irq_window && f->vector != 18) {
        p->arch.pending_irq[f->vector / 64] |= 1ull << (f->vector % 64);
        return;
    }
    panic_frame(f);
}

void arch_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

void arch_machine_exit(uint8_t code)
{
    outb(0xf4, code);           /* isa-debug-exit, when there is one */
    arch_halt_forever();
}
