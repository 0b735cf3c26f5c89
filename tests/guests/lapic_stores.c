/* lapic_stores: every store form a compiler emits for a 32-bit LAPIC
 * register, from every general register. Hosted, the LAPIC page is read-only
 * in the nested tables: each store exits, is decoded (arch/x86_64/decode.c)
 * and replayed on the real LAPIC, so a wrong length, register or immediate
 * shows up here as a wrong value read back (reads are not trapped). The
 * target is the timer's initial count (0x380, SDM vol. 3, 11.5.4), with the
 * timer's LVT masked: it reads back exactly what was written. */
#include "apic.h"
#include "guest.h"
#include "x86.h"

const char guest_name[] = "lapic_stores";

static int failures, stores;

static void expect(const char *form, uint32_t value)
{
    uint32_t got = lapic_read(LAPIC_TIMER_INIT);
    stores++;
    if (got != value) {
        failures++;
        printf("FAIL: %s: wrote 0x%x, read back 0x%x\n", form, value, got);
    }
}

/* mov %REG32, 0x380(BASE): ModRM with disp32 from each source register. */
#define FROM_REG(reg64, reg32, value)                                                            \
    do {                                                                                         \
        __asm__ volatile("movq %0, %%" #reg64 "\n\tmovl %%" #reg32 ", 0x380(%1)"                 \
                         :: "r"((uint64_t)(value)), "r"(base) : #reg64, "memory");               \
        expect("mov %" #reg32 ", 0x380(base)", value);                                           \
    } while (0)

int guest_main(void)
{
    uint64_t base = LAPIC_BASE;
    lapic_enable();
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | 0x42);
    lapic_write(LAPIC_TIMER_DIV, 0xB);

    FROM_REG(rax, eax, 0x1001);
    FROM_REG(rcx, ecx, 0x1002);
    FROM_REG(rdx, edx, 0x1003);
    FROM_REG(rbx, ebx, 0x1004);
    FROM_REG(rsi, esi, 0x1006);
    FROM_REG(rdi, edi, 0x1007);
    FROM_REG(r8, r8d, 0x1008);
    FROM_REG(r9, r9d, 0x1009);
    FROM_REG(r10, r10d, 0x100a);
    FROM_REG(r11, r11d, 0x100b);
    FROM_REG(r12, r12d, 0x100c);
    FROM_REG(r13, r13d, 0x100d);
    FROM_REG(r14, r14d, 0x100e);
    FROM_REG(r15, r15d, 0x100f);

    /* disp8 off a base inside the page, and base + index * 8 (SIB). */
    __asm__ volatile("movl %0, 0x70(%1)" :: "r"(0x2001u), "r"(base + 0x310) : "memory");
    expect("mov reg, disp8(base)", 0x2001);
    __asm__ volatile("movl %0, 0x80(%1,%2,8)" :: "r"(0x2002u), "r"(base), "r"(0x60ul) : "memory");
    expect("mov reg, disp32(base,index,8)", 0x2002);
    __asm__ volatile("movl %0, (%1,%2,1)" :: "r"(0x2003u), "r"(base), "r"(0x380ul) : "memory");
    expect("mov reg, (base,index,1)", 0x2003);

    /* Immediates: C7 with disp32, with SIB. */
    __asm__ volatile("movl $0x3001, 0x380(%0)" :: "r"(base) : "memory");
    expect("movl $imm32, 0x380(base)", 0x3001);
    __asm__ volatile("movl $0xdeadbeef, 0x300(%0,%1,1)" :: "r"(base), "r"(0x80ul) : "memory");
    expect("movl $imm32, disp32(base,index,1)", 0xdeadbeef);

    /* The accumulator with a 64-bit absolute offset (A3), an address-size
     * prefix (67), and a segment override (FS base is 0 here). */
    __asm__ volatile("movabs %%eax, 0xfee00380" :: "a"(0x4001u) : "memory");
    expect("movabs %eax, 0xfee00380", 0x4001);
    __asm__ volatile("movl %0, 0x380(%%edi)" :: "r"(0x4002u), "D"(base) : "memory");
    expect("mov reg, 0x380(%edi) (addr32)", 0x4002);
    __asm__ volatile("movl %0, %%fs:0x380(%1)" :: "r"(0x4003u), "r"(base) : "memory");
    expect("mov reg, %fs:0x380(base)", 0x4003);

    lapic_write(LAPIC_TIMER_INIT, 0);
    printf("lapic_stores: %d stores, %d read back wrong\n", stores, failures);
    return failures == 0 && stores == 22 ? GUEST_PASS : GUEST_FAIL;
}
