/* Exceptions and interrupts in the test guests. An exception inside a probe
 * is recorded and the probe returns its vector; any other exception is a
 * failure: the guest prints it and exits with GUEST_EXIT_EXCEPTION. */
#ifndef GUEST_IDT_H
#define GUEST_IDT_H

#include <stdint.h>

#define GUEST_EXIT_EXCEPTION 0x70   /* QEMU status 225; 0x7c-0x7e are the monitor's own */

#define VEC_DE 0
#define VEC_NMI 2
#define VEC_UD 6
#define VEC_DF 8
#define VEC_GP 13
#define VEC_PF 14

struct interrupt_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;      /* pushed by the CPU */
};
_Static_assert(sizeof(struct interrupt_frame) == 22 * 8, "frame matches isr.S");

/* The last exception a probe took. */
struct exc_record {
    int vector;
    uint64_t error_code;
    uint64_t rip;
};
extern struct exc_record exc_last;

void idt_init(void);   /* builds the IDT (once) */
void idt_load(void);   /* loads it on this CPU */

typedef void (*irq_handler)(struct interrupt_frame *);
void irq_set_handler(uint8_t vector, irq_handler handler);

/* Each returns -1 if the instruction completed, else the vector it raised. */
int probe_vmrun(uint64_t pa);
int probe_vmload(uint64_t pa);
int probe_vmsave(uint64_t pa);
int probe_stgi(void);
int probe_clgi(void);
int probe_skinit(uint64_t pa);
int probe_invlpga(uint64_t va, uint32_t asid);
int probe_vmmcall(void);
int probe_rdmsr(uint32_t msr, uint64_t *value);
int probe_wrmsr(uint32_t msr, uint64_t value);
int probe_read64(uint64_t addr, uint64_t *value);
int probe_write64(uint64_t addr, uint64_t value);

/* "none", "#UD", "#GP", ... for printing a probe's result. */
const char *vector_name(int vector);

#endif
