/* Multiboot v1 entry (a.out kludge: QEMU refuses ELF64 kernels otherwise),
 * 32-bit protected mode -> long mode on identity-mapped 2 MiB pages, then C.
 * The APs come through ap_start32 below after the real-mode trampoline. */
#include "layout.h"

    .set MB_MAGIC, 0x1BADB002
    .set MB_FLAGS, 0x00010003       /* page-aligned modules, memory info, a.out kludge */

    .section .multiboot, "a"
    .align 4
mb_header:
    .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    .long mb_header, __image_start, __load_end, __bss_end, mb_entry32

    .section .text.boot, "ax"
    .code32
    .global mb_entry32
mb_entry32:
    cli
    cld
    movl %eax, %esi                 /* magic */
    movl %ebx, %ebp                 /* multiboot info */
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb
    movl %esi, boot_magic
    movl %ebp, boot_mbi
    movl $(cpu_stacks + STACK_SIZE), %esp
    call build_host_page_tables
    call enable_long_mode
    ljmp $SEL_CODE64, $bsp_long

/* APs arrive here from the trampoline in 32-bit protected mode. */
    .global ap_start32
ap_start32:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl $1, %eax
    cpuid
    shrl $24, %ebx                  /* initial APIC ID */
    movl ap_stack_top(,%ebx,8), %esp
    testl %esp, %esp
    jz 9f                           /* not a CPU the BSP started: stay off */
    call enable_long_mode
    ljmp $SEL_CODE64, $ap_long
9:  hlt
    jmp 9b

/* Identity map of 0..4 GiB: one PML4 entry, one PDPT, four PDs of 2 MiB pages. */
build_host_page_tables:
    movl $host_pd, %edi
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax                 /* P | RW | PS */
    movl %eax, (%edi,%ecx,8)
    movl $0, 4(%edi,%ecx,8)
    incl %ecx
    cmpl $2048, %ecx
    jne 1b
    movl $host_pdpt, %edi
    movl $(host_pd + 3), %eax
    xorl %ecx, %ecx
2:  movl %eax, (%edi,%ecx,8)
    movl $0, 4(%edi,%ecx,8)
    addl $0x1000, %eax
    incl %ecx
    cmpl $4, %ecx
    jne 2b
    movl $(host_pdpt + 3), host_pml4
    ret

enable_long_mode:
    movl %cr4, %eax
    orl $0x20, %eax                 /* PAE */
    movl %eax, %cr4
    movl $host_pml4, %eax
    movl %eax, %cr3
    movl $0xC0000080, %ecx
    rdmsr
    orl $0x100, %eax                /* EFER.LME */
    wrmsr
    movl %cr0, %eax
    orl $0x80010001, %eax           /* PG | WP | PE */
    movl %eax, %cr0
    lgdt boot_gdt_desc
    ret

    .code64
bsp_long:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    movl boot_magic(%rip), %edi
    movl boot_mbi(%rip), %esi
    call arch_boot_bsp
1:  cli
    hlt
    jmp 1b

ap_long:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    movl %esp, %esp                 /* zero-extend the 32-bit stack pointer */
    movl $1, %eax
    cpuid
    shrl $24, %ebx
    movl %ebx, %edi
    call arch_boot_ap
1:  cli
    hlt
    jmp 1b

/* Real-mode start code for the APs, copied to AP_TRAMPOLINE at boot: it
 * only switches to protected mode and jumps to ap_start32 in the image. */
    .code16
    .global ap_trampoline, ap_trampoline_end
ap_trampoline:
    cli
    cld
    movw %cs, %ax
    movw %ax, %ds
    lgdtl (ap_gdt_desc - ap_trampoline)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $SEL_CODE32, $ap_start32
    .align 8
ap_gdt_desc:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt
ap_trampoline_end:

    .section .rodata
    .align 16
    .global boot_gdt
boot_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF        /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF        /* 0x10: data */
    .quad 0x00CF9A000000FFFF        /* 0x18: 32-bit code (AP start) */
boot_gdt_end:
boot_gdt_desc:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .data
boot_magic: .long 0
boot_mbi:   .long 0

    .section .bss
    .align 4096
    .global host_pml4
host_pml4:  .skip 4096
host_pdpt:  .skip 4096
host_pd:    .skip 4096 * 4
    .global ap_stack_top
ap_stack_top: .skip 8 * MAX_APIC_ID
