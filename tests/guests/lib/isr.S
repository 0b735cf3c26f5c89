/* IDT entry stubs (one per vector, 16 bytes apart) and the probes: tiny
 * functions that run one instruction that may fault and return the vector
 * it raised (-1 if none). The exception handler resumes a faulting probe at
 * the address in exc_resume (see idt.c). */
    .code64
    .text

    .global isr_stubs
    .align 16
isr_stubs:
    .set vec, 0
    .rept 256
    .align 16
    /* Vectors 8, 10-14, 17, 21, 29, 30 push an error code (SDM vol. 3, 6.13). */
    .if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    .else
    pushq $0
    .endif
    pushq $vec
    jmp isr_common
    .set vec, vec + 1
    .endr

isr_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rdi
    movq %rsp, %rbx
    andq $-16, %rsp
    call interrupt_dispatch
    movq %rbx, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp                  /* vector, error code */
    iretq

/* PROBE name, setup, insn: arm the resume point, do `setup` then `insn`,
 * return exc_vector in eax (-1 when nothing faulted). Arguments arrive in
 * rdi, rsi, rdx (SysV). */
.macro PROBE name, setup, insn
    .global \name
    .type \name, @function
\name:
    pushq %rbx
    leaq 9f(%rip), %r11
    movq %r11, exc_resume(%rip)
    movl $-1, exc_vector(%rip)
    \setup
    \insn
9:  movq $0, exc_resume(%rip)
    movl exc_vector(%rip), %eax
    popq %rbx
    ret
.endm

/* The SVM instructions take their operand in rAX (APM vol. 3). */
PROBE probe_vmrun,   "movq %rdi, %rax", vmrun
PROBE probe_vmload,  "movq %rdi, %rax", vmload
PROBE probe_vmsave,  "movq %rdi, %rax", vmsave
PROBE probe_stgi,    "", stgi
PROBE probe_clgi,    "", clgi
PROBE probe_skinit,  "movq %rdi, %rax", skinit
PROBE probe_invlpga, "movq %rdi, %rax; movl %esi, %ecx", invlpga
PROBE probe_vmmcall, "", vmmcall

/* int probe_rdmsr(uint32_t msr, uint64_t *value) */
    .global probe_rdmsr
probe_rdmsr:
    movq %rsi, %r8
    leaq 1f(%rip), %r11
    movq %r11, exc_resume(%rip)
    movl $-1, exc_vector(%rip)
    movl %edi, %ecx
    rdmsr
    movl %eax, (%r8)
    movl %edx, 4(%r8)
1:  movq $0, exc_resume(%rip)
    movl exc_vector(%rip), %eax
    ret

/* int probe_wrmsr(uint32_t msr, uint64_t value) */
    .global probe_wrmsr
probe_wrmsr:
    leaq 1f(%rip), %r11
    movq %r11, exc_resume(%rip)
    movl $-1, exc_vector(%rip)
    movl %edi, %ecx
    movl %esi, %eax
    movq %rsi, %rdx
    shrq $32, %rdx
    wrmsr
1:  movq $0, exc_resume(%rip)
    movl exc_vector(%rip), %eax
    ret

/* int probe_read64(uint64_t addr, uint64_t *value) */
    .global probe_read64
probe_read64:
    leaq 1f(%rip), %r11
    movq %r11, exc_resume(%rip)
    movl $-1, exc_vector(%rip)
    movq (%rdi), %rax
    movq %rax, (%rsi)
1:  movq $0, exc_resume(%rip)
    movl exc_vector(%rip), %eax
    ret

/* int probe_write64(uint64_t addr, uint64_t value) */
    .global probe_write64
probe_write64:
    leaq 1f(%rip), %r11
    movq %r11, exc_resume(%rip)
    movl $-1, exc_vector(%rip)
    movq %rsi, (%rdi)
1:  movq $0, exc_resume(%rip)
    movl exc_vector(%rip), %eax
    ret
