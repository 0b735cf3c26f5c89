/* Every way into the supervisor: exception/interrupt stubs and the SYSCALL
 * entry. Both build a struct trap_frame (trap.h) and leave through
 * trap_return, which picks SYSRET for frames saved by SYSCALL and IRETQ for
 * everything else. GS: SWAPGS on every ring crossing (cpu.h). */
#define VEC_SYSCALL 0x100
#define USER_DS     0x1b
#define USER_CS     0x23
#define CPU_KSTACK_TOP 8
#define CPU_USER_RSP   16
#define FRAME_CS_AFTER_VECTOR 24   /* CS above vector, error, RIP */

.macro push_gprs
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
.endm

.macro pop_gprs
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
.endm

    .text
/* 256 stubs of 16 bytes; vectors without a CPU error code push a 0 so the
 * frame is the same for all (APM vol. 2, 8.2: error codes of 8, 10-14, 17,
 * 21, 29, 30). */
    .global isr_stubs
    .balign 16
isr_stubs:
    .set vec, 0
    .rept 256
    .balign 16
    .if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    .else
    pushq $0
    .endif
    pushq $vec
    jmp isr_common
    .set vec, vec + 1
    .endr

isr_common:
    testb $3, FRAME_CS_AFTER_VECTOR(%rsp)
    jz 1f
    swapgs
1:  push_gprs
    mov %rsp, %rdi
    cld
    call trap_dispatch
    jmp trap_return

/* SYSCALL: RCX = user RIP, R11 = user RFLAGS, RSP still the user's, IF/TF/
 * DF/AC already cleared by SFMASK (APM vol. 3, SYSCALL). */
    .global syscall_entry
syscall_entry:
    swapgs
    mov %rsp, %gs:CPU_USER_RSP
    mov %gs:CPU_KSTACK_TOP, %rsp
    pushq $USER_DS
    pushq %gs:CPU_USER_RSP
    push %r11
    pushq $USER_CS
    push %rcx
    pushq $0
    pushq $VEC_SYSCALL
    push_gprs
    mov %rsp, %rdi
    cld
    call syscall_dispatch
    jmp trap_return

/* void trap_return_to(struct trap_frame *f): leave into `f`, which must sit
 * at the top of this CPU's kernel stack (entries from ring 3 land there). */
    .global trap_return_to
trap_return_to:
    mov %rdi, %rsp
    .global trap_return
trap_return:
    pop_gprs
    cmpq $VEC_SYSCALL, (%rsp)
    je 2f
    testb $3, FRAME_CS_AFTER_VECTOR(%rsp)
    jz 1f
    swapgs
1:  add $16, %rsp
    iretq
    /* SYSRET: RIP from RCX, RFLAGS from R11. User RIPs are canonical (the
     * code window is below 1 MiB), so SYSRET cannot fault in ring 0. */
2:  mov 16(%rsp), %rcx
    mov 32(%rsp), %r11
    mov 40(%rsp), %rsp
    swapgs
    sysretq
