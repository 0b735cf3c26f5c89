/* smp32: a kernel in the style most Multiboot kernels are: 32-bit protected
 * mode, paging off, no library. It starts the APs with broadcast INIT and
 * SIPI (ICR shorthand "all excluding self", SDM vol. 3, 11.6.1) through the
 * store forms a 32-bit compiler emits for the xAPIC (`movl $imm, abs`:
 * C7 05, and `mov %eax, abs`: A3), and passes when as many CPUs checked in
 * as `cpus=N` on its command line says. Standalone: lib/ is 64-bit.
 *
 * Built twice: smp32 (ELF64 file, a.out-kludge header) and, with
 * MULTIBOOT_ELF, smp32_elf: a plain ELF32 kernel whose header has no
 * addresses, so the loader must place it from its program headers
 * (Multiboot Specification 3.1.1, flag 16 clear), as GRUB-style kernels are. */
#ifndef GUEST_NAME
#define GUEST_NAME "smp32"
#endif
    .set MB_HEADER_MAGIC, 0x1BADB002
#ifdef MULTIBOOT_ELF
    .set MB_FLAGS, (1 << 1)
#else
    .set MB_FLAGS, (1 << 1) | (1 << 16)
#endif
    .set MB_LOADER_MAGIC, 0x2BADB002
    .set MBI_CMDLINE, 1 << 2

    .set COM1, 0x3F8
    .set LAPIC_SVR, 0xFEE000F0
    .set LAPIC_ICR_LOW, 0xFEE00300
    .set ICR_ALL_BUT_SELF_INIT, 0x000C4500     /* shorthand 11b, level assert, INIT */
    .set ICR_ALL_BUT_SELF_SIPI, 0x000C4600     /* shorthand 11b, level assert, STARTUP */
    .set ICR_BUSY, 1 << 12
    .set TRAMPOLINE, 0x7000                    /* below the loaders' info at 0x9000+ */
    .set SEL_CODE, 0x08
    .set SEL_DATA, 0x10
    .set WAIT_TSC_HIGH, 2                      /* give up after 2 * 2^32 TSC cycles */

    .section .multiboot, "a"
    .align 4
mb_header:
    .long MB_HEADER_MAGIC, MB_FLAGS, -(MB_HEADER_MAGIC + MB_FLAGS)
#ifndef MULTIBOOT_ELF
    .long mb_header, _image_start, _load_end, _bss_end, _start32
#endif

    .section .text.boot, "ax"
    .code32
    .global _start32
_start32:
    cli
    movl $stack_top, %esp
    movl %eax, %edi
    lgdt gdt_desc
    ljmp $SEL_CODE, $1f
1:  movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl $msg_start, %esi
    call puts
    cmpl $MB_LOADER_MAGIC, %edi
    jne fail
    call wanted_cpus                /* eax = N from cpus=N, or 0 */
    testl %eax, %eax
    jz fail
    movl %eax, cpus_wanted

    /* The trampoline goes below 1 MiB; SIPI's vector is its page number. */
    movl $ap_trampoline, %esi
    movl $TRAMPOLINE, %edi
    movl $(ap_trampoline_end - ap_trampoline), %ecx
    rep movsb

    movl $0x1FF, LAPIC_SVR                   /* software-enable, spurious 0xFF */
    movl $ICR_ALL_BUT_SELF_INIT, LAPIC_ICR_LOW
    call icr_wait
    movl $10000, %ecx
    call io_delay
    movl $2, %ebx
2:  movl $(ICR_ALL_BUT_SELF_SIPI | (TRAMPOLINE >> 12)), %eax
    movl %eax, LAPIC_ICR_LOW
    call icr_wait
    movl $200, %ecx
    call io_delay
    decl %ebx
    jnz 2b

    /* Wait for the check-ins, bounded in TSC cycles. */
    rdtsc
    leal WAIT_TSC_HIGH(%edx), %ebx
3:  movl cpus_in, %eax
    cmpl cpus_wanted, %eax
    je 4f
    pause
    rdtsc
    cmpl %ebx, %edx
    jb 3b
4:  movl $msg_count, %esi
    call puts
    movl cpus_in, %eax
    call putdigit
    movl $msg_of, %esi
    call puts
    movl cpus_wanted, %eax
    call putdigit
    movl $msg_nl, %esi
    call puts
    movl cpus_in, %eax
    cmpl cpus_wanted, %eax
    jne fail
    movl $msg_pass, %esi
    call puts
    xorl %eax, %eax
    jmp debug_exit
fail:
    movl $msg_fail, %esi
    call puts
    movl $1, %eax
debug_exit:
    outl %eax, $0xF4
5:  cli
    hlt
    jmp 5b

/* eax = the digit after "cpus=" on the Multiboot command line, else 0. */
wanted_cpus:
    xorl %eax, %eax
    testl $MBI_CMDLINE, (%ebx)
    jz 9f
    movl 16(%ebx), %esi
1:  movb (%esi), %cl
    testb %cl, %cl
    jz 9f
    cmpl $0x73757063, (%esi)        /* "cpus" */
    jne 2f
    cmpb $'=', 4(%esi)
    jne 2f
    movzbl 5(%esi), %eax
    subl $'0', %eax
    cmpl $9, %eax
    ja 8f
    ret
2:  incl %esi
    jmp 1b
8:  xorl %eax, %eax
9:  ret

icr_wait:
    testl $ICR_BUSY, LAPIC_ICR_LOW
    jz 1f
    pause
    jmp icr_wait
1:  ret

/* ecx writes to the POST port: about ecx microseconds on a PC. */
io_delay:
    outb %al, $0x80
    loop io_delay
    ret

putc:                               /* al */
    pushl %edx
    movb %al, %ah
    movw $COM1 + 5, %dx
1:  inb %dx, %al
    testb $0x20, %al
    jz 1b
    movw $COM1, %dx
    movb %ah, %al
    outb %al, %dx
    popl %edx
    ret

puts:                               /* esi: NUL-terminated */
    lodsb
    testb %al, %al
    jz 1f
    call putc
    jmp puts
1:  ret

putdigit:                           /* eax: 0..9 */
    addb $'0', %al
    jmp putc

/* Each AP: real mode at TRAMPOLINE:0, then this image's GDT, protected
 * mode, count itself in, halt. */
    .code16
ap_trampoline:
    cli
    lgdtl %cs:(tramp_gdt_desc - ap_trampoline)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $SEL_CODE, $ap_start32
    .align 8
tramp_gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt
ap_trampoline_end:

    .code32
ap_start32:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    lock incl cpus_in
1:  cli
    hlt
    jmp 1b

    .section .rodata
    .align 8
gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF        /* 0x08: flat 32-bit code */
    .quad 0x00CF92000000FFFF        /* 0x10: flat data */
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt
msg_start: .ascii "guest ", GUEST_NAME
           .asciz ": start\r\n"
msg_count: .asciz "smp32: "
msg_of:    .asciz " of "
msg_nl:    .asciz " cpus checked in\r\n"
msg_pass:  .ascii "guest ", GUEST_NAME
           .asciz ": verdict pass\r\n"
msg_fail:  .ascii "guest ", GUEST_NAME
           .asciz ": verdict FAIL 1\r\n"

    .data
    .align 4
cpus_in:     .long 1                /* the BSP */
cpus_wanted: .long 0

    .bss
    .align 16
    .skip 4096
stack_top:
