/* Shard entry at USER_CODE_BASE: RDI = argument, RSI = id, RSP = the top of
 * the stack page (16-byte aligned). shard_main's result is the exit code. */
#define SYS_EXIT 1
    .section .text.entry, "ax"
    .global _start
_start:
    xorl %ebp, %ebp
    call shard_main
    movq %rax, %rdi
    movl $SYS_EXIT, %eax
    syscall
    ud2
