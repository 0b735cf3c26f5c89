/* Multiboot v1 entry (Multiboot Specification 0.6.96, 3.1). QEMU's -kernel
 * only takes an ELF64 through the a.out kludge (flags bit 16): it then loads
 * the file bytes from the header's file offset to load_addr. guest.ld lays
 * the ELF out so those bytes are exactly the physical image from 0x100000.
 *
 * 32-bit protected mode, paging off: build boot page tables that map the
 * low 4 GiB twice (identity and HHDM) and the first GiB a third time (identity, HHDM at 0xFFFF800000000000 and the
 * supervisor window at 0xFFFFFFFF80000000), enter long mode (APM vol. 2,
 * 14.6) and jump to supervisor_main(magic, info) in the higher half. */
#define MB_MAGIC  0x1BADB002
#define MB_FLAGS  0x00010003        /* page-aligned modules, memory info, a.out kludge */
#define KERNEL_VMA 0xFFFFFFFF80000000
#define PTE_P_W   0x3
#define PTE_LARGE 0x83              /* P, W, PS: 2 MiB page */
#define IDLE_STACK_SIZE_BYTES 16384 /* IDLE_STACK_SIZE in sup/layout.h */

    .section .multiboot, "a"
    .balign 4
    .global mb_header
mb_header:
    .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    .long mb_header                 /* header_addr */
    .long __load_start_phys         /* load_addr */
    .long __load_end_phys           /* load_end_addr */
    .long __bss_end_phys            /* bss_end_addr */
    .long boot_entry32              /* entry_addr */

    .section .boot.text, "ax"
    .code32
    .global boot_entry32
boot_entry32:
    cli
    cld
    movl %eax, %esi                 /* loader magic */
    movl %ebx, %ebp                 /* info, physical */
    /* The loader zeroes bss (bss_end_addr); do it again rather than trust it. */
    movl $__bss_start_phys, %edi
    movl $__bss_end_phys, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb

    /* Four PDs of 512 x 2 MiB: the low 4 GiB, where every Multiboot v1
     * address lies (they are 32-bit). */
    movl $boot_pd, %edi
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $PTE_LARGE, %eax
    movl %eax, (%edi,%ecx,8)
    movl %ecx, %eax
    shrl $11, %eax                  /* bits 32+ of the address */
    movl %eax, 4(%edi,%ecx,8)
    incl %ecx
    cmpl $2048, %ecx
    jne 1b
    movl $boot_pdpt_low, %edi       /* PDPT_low[0..3] -> the four PDs */
    movl $boot_pd + PTE_P_W, %eax
    xorl %ecx, %ecx
2:  movl %eax, (%edi,%ecx,8)
    addl $4096, %eax
    incl %ecx
    cmpl $4, %ecx
    jne 2b
    movl $boot_pd + PTE_P_W, %eax
    movl %eax, boot_pdpt_high + 510 * 8   /* PDPT_high[510]: -2 GiB -> the first GiB */
    movl $boot_pdpt_low + PTE_P_W, %eax
    movl %eax, boot_pml4            /* PML4[0]: identity */
    movl %eax, boot_pml4 + 256 * 8  /* PML4[256]: HHDM */
    movl $boot_pdpt_high + PTE_P_W, %eax
    movl %eax, boot_pml4 + 511 * 8  /* PML4[511]: supervisor */

    movl %cr4, %eax
    orl $0x20, %eax                 /* PAE */
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $0xC0000080, %ecx          /* EFER */
    rdmsr
    orl $0x900, %eax                /* LME | NXE */
    wrmsr
    movl %cr0, %eax
    orl $0x80000001, %eax           /* PG | PE */
    movl %eax, %cr0
    lgdt boot_gdtr
    ljmp $0x08, $boot_entry64

    .code64
boot_entry64:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movabsq $higher_half, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF        /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF        /* 0x10: data */
boot_gdtr:
    .word boot_gdtr - boot_gdt - 1
    .long boot_gdt
    .balign 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4 * 4096

    .text
higher_half:
    /* The boot CPU's idle stack; cpu.c owns it. */
    movabsq $idle_stacks + IDLE_STACK_SIZE_BYTES, %rsp
    movl %esi, %edi                 /* magic */
    movl %ebp, %esi                 /* info (zero-extended) */
    xorl %ebp, %ebp                 /* end of the frame-pointer chain */
    call supervisor_main
3:  cli
    hlt
    jmp 3b
