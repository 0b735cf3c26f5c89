#ifndef HUSK_X86_IDT_H
#define HUSK_X86_IDT_H

#include <stdint.h>

/* What isr.S pushes: GPRs, vector, error code, then the CPU's frame. */
struct irq_frame {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

#include <stdbool.h>

void idt_init(void);        /* once, on the boot CPU */
/* Switches this CPU between the exception IDT and the INTR-window IDT. */
void idt_load_window(bool window);
void host_interrupt(struct irq_frame *f);

#endif
