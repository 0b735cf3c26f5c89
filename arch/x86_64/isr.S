/* Host interrupt and exception entry: 256 stubs of 16 bytes that push a
 * uniform frame (error code or 0, vector, every GPR) for host_interrupt(). */
    .text
    .code64

/* vectors that push an error code themselves (APM vol. 2, 8.2) */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

    .align 16
    .global isr_stubs
isr_stubs:
    .set vec, 0
    .rept 256
    .align 16
    .if !((vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30))
    pushq $0
    .endif
    pushq $vec
    jmp isr_common
    .set vec, vec + 1
    .endr

/* The IDT loaded only for the sti window of an INTR exit: what arrives
 * there is an external interrupt whatever its vector (a guest that left the
 * 8259 at its BIOS base uses 8..15, which the exception IDT would take for
 * #DF and friends, with an error code that is not there). */
    .align 16
    .global irq_window_stubs
irq_window_stubs:
    .set vec, 0
    .rept 256
    .align 16
    pushq $0
    pushq $vec
    jmp isr_common
    .set vec, vec + 1
    .endr

/* frame layout matches struct irq_frame in idt.h */
isr_common:
    push %r15
    push %r14
    push %r13
    push %r12
    push %r11
    push %r10
    push %r9
    push %r8
    push %rbp
    push %rdi
    push %rsi
    push %rdx
    push %rcx
    push %rbx
    push %rax
    cld
    mov %rsp, %rdi
    mov %rsp, %rbx
    and $-16, %rsp
    call host_interrupt
    mov %rbx, %rsp
    pop %rax
    pop %rbx
    pop %rcx
    pop %rdx
    pop %rsi
    pop %rdi
    pop %rbp
    pop %r8
    pop %r9
    pop %r10
    pop %r11
    pop %r12
    pop %r13
    pop %r14
    pop %r15
    add $16, %rsp                   /* vector, error code */
    iretq
