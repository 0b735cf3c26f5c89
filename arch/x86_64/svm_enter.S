/* void svm_enter(struct guest_gprs *g, uint64_t vmcb_pa, uint64_t host_save_pa)
 *
 * One guest entry: load the guest's GPRs (RAX, RSP and RIP live in the
 * VMCB), VMLOAD the guest's hidden state (FS/GS/TR/LDTR bases, SYSCALL and
 * SYSENTER MSRs, KernelGSBase: VMRUN does not switch them, APM vol. 2,
 * 15.5.2), VMRUN, then VMSAVE them back and VMLOAD the host's.
 *
 * GIF is cleared around the whole sequence, so nothing reaches the host
 * between the guest's and the host's VMLOAD; host RFLAGS.IF is set for
 * VMRUN (it would gate physical interrupts if V_INTR_MASKING were used,
 * APM vol. 2, 15.21.1) and cleared right after, so an interrupt that
 * caused the exit stays pending for the INTR handler. */
#include "gprs_offsets.h"

    .section .text.hot, "ax"        /* the exit path (src/exit_path.h) */
    .code64
    .global svm_enter
svm_enter:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    push %rdx                       /* host save area */
    push %rdi                       /* struct guest_gprs * */
    mov %rsi, %rax                  /* VMCB physical address */
    clgi
    mov G_RBX(%rdi), %rbx
    mov G_RCX(%rdi), %rcx
    mov G_RDX(%rdi), %rdx
    mov G_RSI(%rdi), %rsi
    mov G_RBP(%rdi), %rbp
    mov G_R8(%rdi), %r8
    mov G_R9(%rdi), %r9
    mov G_R10(%rdi), %r10
    mov G_R11(%rdi), %r11
    mov G_R12(%rdi), %r12
    mov G_R13(%rdi), %r13
    mov G_R14(%rdi), %r14
    mov G_R15(%rdi), %r15
    mov G_RDI(%rdi), %rdi
    vmload %rax
    sti
    vmrun %rax
    cli
    vmsave %rax
    push %rdi                       /* guest rdi */
    mov 8(%rsp), %rdi               /* struct guest_gprs * */
    mov %rbx, G_RBX(%rdi)
    mov %rcx, G_RCX(%rdi)
    mov %rdx, G_RDX(%rdi)
    mov %rsi, G_RSI(%rdi)
    mov %rbp, G_RBP(%rdi)
    mov %r8, G_R8(%rdi)
    mov %r9, G_R9(%rdi)
    mov %r10, G_R10(%rdi)
    mov %r11, G_R11(%rdi)
    mov %r12, G_R12(%rdi)
    mov %r13, G_R13(%rdi)
    mov %r14, G_R14(%rdi)
    mov %r15, G_R15(%rdi)
    pop %rbx
    mov %rbx, G_RDI(%rdi)
    add $8, %rsp
    pop %rax                        /* host save area */
    vmload %rax                     /* host TR, GS base (per-CPU pointer), ... */
    stgi                            /* IF = 0: only a pending NMI is taken here */
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
