/* The register frame every entry from ring 3 (interrupt, exception or
 * SYSCALL) builds at the top of the CPU's kernel stack; also the saved user
 * state of a shard that is not running. Layout pinned: isr.S builds it. */
#ifndef SUP_TRAP_H
#define SUP_TRAP_H
#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;        /* exception/IRQ vector, or VEC_SYSCALL */
    uint64_t error;         /* error code, 0 when the vector has none */
    uint64_t rip, cs, rflags, rsp, ss;  /* as pushed by the CPU (APM vol. 2, 8.9.3) */
};
_Static_assert(sizeof(struct trap_frame) == 176, "trap_frame size (isr.S)");
_Static_assert(__builtin_offsetof(struct trap_frame, rax) == 112, "trap_frame rax (isr.S)");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == 120, "trap_frame vector (isr.S)");
_Static_assert(__builtin_offsetof(struct trap_frame, rip) == 136, "trap_frame rip (isr.S)");
_Static_assert(__builtin_offsetof(struct trap_frame, rsp) == 160, "trap_frame rsp (isr.S)");

/* Not a hardware vector: marks a frame saved by the SYSCALL entry, which
 * returns with SYSRET (RCX = RIP, R11 = RFLAGS). */
#define VEC_SYSCALL   0x100
#define VEC_TIMER     0x40
#define VEC_SPURIOUS  0xFF

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS   (0x18 | 3)
#define USER_CS   (0x20 | 3)
#define TSS_SEL   0x28

static inline int frame_from_user(const struct trap_frame *f)
{
    return (f->cs & 3) == 3;
}

void idt_init(void);        /* builds the shared IDT once */
void idt_load(void);        /* on every CPU */
void trap_dispatch(struct trap_frame *f);           /* called by isr.S */
void syscall_dispatch(struct trap_frame *f);        /* called by isr.S */
/* Leaves the supervisor into the frame (isr.S); never returns. */
__attribute__((noreturn)) void trap_return_to(struct trap_frame *f);

#endif
