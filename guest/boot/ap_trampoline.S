/* Where an application processor starts after INIT-SIPI-SIPI: real mode at
 * AP_TRAMPOLINE (0x8000, the SIPI vector page 0x08), CS:IP = 0800:0000.
 * The supervisor copies this blob there and fills the four variables at its
 * end; the code takes the CPU to long mode on those page tables and jumps
 * to ap_tramp_entry(ap_tramp_arg) on ap_tramp_stack (SDM vol. 3, 9.4.4 and
 * 9.8.5; APM vol. 2, 14.6 "Enabling and activating long mode"). */
#define BASE 0x8000
#define AT(x) ((x) - ap_trampoline_start + BASE)

    .section .rodata
    .balign 16
    .global ap_trampoline_start, ap_trampoline_end
    .global ap_tramp_cr3, ap_tramp_stack, ap_tramp_entry, ap_tramp_arg

    .code16
ap_trampoline_start:
    cli
    cld
    xorw %ax, %ax
    movw %ax, %ds
    lgdtl AT(tramp_gdtr)
    movl %cr0, %eax
    orl $1, %eax                    /* PE */
    movl %eax, %cr0
    ljmpl $0x08, $AT(tramp32)

    .code32
tramp32:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr4, %eax
    orl $0x20, %eax                 /* PAE */
    movl %eax, %cr4
    movl AT(ap_tramp_cr3), %eax
    movl %eax, %cr3
    movl $0xC0000080, %ecx          /* EFER */
    rdmsr
    orl $0x900, %eax                /* LME | NXE */
    wrmsr
    movl %cr0, %eax
    orl $0x80000000, %eax           /* PG */
    movl %eax, %cr0
    ljmp $0x18, $AT(tramp64)

    .code64
tramp64:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movq AT(ap_tramp_stack), %rsp
    movq AT(ap_tramp_arg), %rdi
    movq AT(ap_tramp_entry), %rax
    jmp *%rax

    .balign 8
tramp_gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF        /* 0x08: 32-bit code */
    .quad 0x00CF92000000FFFF        /* 0x10: data */
    .quad 0x00AF9A000000FFFF        /* 0x18: 64-bit code */
tramp_gdtr:
    .word tramp_gdtr - tramp_gdt - 1
    .long AT(tramp_gdt)
    .balign 8
ap_tramp_cr3:   .quad 0
ap_tramp_stack: .quad 0
ap_tramp_entry: .quad 0
ap_tramp_arg:   .quad 0
ap_trampoline_end:
