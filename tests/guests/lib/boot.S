/* Test-guest entry: Multiboot v1 header (a.out kludge, so the loader takes
 * the load addresses from the header, not from the ELF64 program headers),
 * 32-bit entry, identity-mapped long mode, and the AP path from a real-mode
 * trampoline. Multiboot Specification 0.6.96, 3.1; long mode entry: AMD APM
 * vol. 2, 14.6. */

    .set MB_HEADER_MAGIC, 0x1BADB002
    .set MB_FLAGS,        (1 << 1) | (1 << 16)   /* memory info, a.out kludge addresses */

    .set SEL_CODE64, 0x08
    .set SEL_DATA,   0x10
    .set SEL_CODE32, 0x18

    .set CR0_PE, 1 << 0
    .set CR0_PG, 1 << 31
    .set CR4_PAE, 1 << 5
    .set MSR_EFER, 0xC0000080
    .set EFER_LME, 1 << 8

    .set BSP_STACK_SIZE, 16384
    .set AP_STACK_SIZE, 8192
    .set MAX_CPUS, 16

    .section .multiboot, "a"
    .align 4
mb_header:
    .long MB_HEADER_MAGIC, MB_FLAGS, -(MB_HEADER_MAGIC + MB_FLAGS)
    .long mb_header             /* header_addr */
    .long _image_start          /* load_addr */
    .long _load_end             /* load_end_addr: file bytes up to here */
    .long _bss_end              /* bss_end_addr: zeroed by the loader */
    .long _start32              /* entry_addr */

    .section .text.boot, "ax"
    .code32
    .global _start32
_start32:
    cli
    movl %eax, boot_magic
    movl %ebx, boot_info
    movl $bsp_stack + BSP_STACK_SIZE, %esp
    call build_page_tables
    jmp enter_long_mode_bsp

/* Identity map of 0..4 GiB with 2 MiB pages; the top GiB (LAPIC, IOAPIC,
 * firmware) uncached. */
build_page_tables:
    movl $page_dirs, %edi
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax                 /* P | RW | PS */
    cmpl $1536, %ecx
    jb 2f
    orl $0x18, %eax                 /* PWT | PCD above 3 GiB */
2:  movl %eax, (%edi,%ecx,8)
    movl $0, 4(%edi,%ecx,8)
    incl %ecx
    cmpl $2048, %ecx
    jne 1b
    movl $page_dirs + 0x3, %eax
    xorl %ecx, %ecx
3:  movl %eax, pdpt(,%ecx,8)
    addl $0x1000, %eax
    incl %ecx
    cmpl $4, %ecx
    jne 3b
    movl $pdpt + 0x3, pml4
    ret

/* Shared by the BSP and the APs: paging on, long mode active. */
.macro ENTER_LONG_MODE target
    lgdt gdt_desc
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $pml4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_PE), %eax
    movl %eax, %cr0
    ljmp $SEL_CODE64, $\target
.endm

enter_long_mode_bsp:
    ENTER_LONG_MODE bsp_start64

    .global ap_start32
ap_start32:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    ENTER_LONG_MODE ap_start64

    .code64
bsp_start64:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movq $bsp_stack + BSP_STACK_SIZE, %rsp
    xorl %ebp, %ebp
    movl boot_magic, %edi
    movl boot_info, %esi
    call guest_start
    jmp halt_forever

ap_start64:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    /* Each AP takes the next stack slot; slot 0 is the first AP. */
    movl $1, %edi
    lock xaddl %edi, ap_stack_next
    cmpl $MAX_CPUS - 1, %edi
    jae halt_forever
    movl %edi, %eax
    incl %eax
    imull $AP_STACK_SIZE, %eax
    leaq ap_stacks(%rax), %rsp
    xorl %ebp, %ebp
    call ap_entry
halt_forever:
    cli
    hlt
    jmp halt_forever

/* Real-mode AP start (SDM vol. 3, 9.4.4): the BSP copies these bytes to a
 * page below 1 MiB and sends SIPI with that page's number. CS = page << 8,
 * IP = 0, so everything here is addressed CS-relative until protected mode;
 * the far jump then goes to the absolute ap_start32 in the image. */
    .code16
    .global ap_trampoline_start, ap_trampoline_end
ap_trampoline_start:
    cli
    cld
    lgdtl %cs:tramp_gdt_desc - ap_trampoline_start
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmpl $SEL_CODE32, $ap_start32
    .align 8
tramp_gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt
ap_trampoline_end:

    .section .rodata
    .align 16
gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF        /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF        /* 0x10: flat data */
    .quad 0x00CF9A000000FFFF        /* 0x18: 32-bit code (AP path) */
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt

    .data
    .align 4
boot_magic:    .long 0
boot_info:     .long 0
ap_stack_next: .long 0

    .bss
    .align 4096
pml4:       .skip 4096
pdpt:       .skip 4096
page_dirs:  .skip 4 * 4096
bsp_stack:  .skip BSP_STACK_SIZE
ap_stacks:  .skip MAX_CPUS * AP_STACK_SIZE
