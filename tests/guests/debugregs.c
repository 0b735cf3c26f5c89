/* debugregs: the guest's own debug registers, architecturally (AMD APM
 * vol. 2, 13.1 "Software-Debug Resources"; kvm-unit-tests x86/debug.c is the
 * model). Every check must hold bare (QEMU alone) and hosted (every MOV DR
 * intercepted and emulated on a shadow, the real registers composed by the
 * monitor, #DB exits reflected): the guest's own execute breakpoint and data
 * watchpoint fire with the right DR6 and RIP, registers round-trip, DR4/DR5
 * alias DR6/DR7 or raise #UD, DR7.GD turns the next MOV DR into a #DB with
 * DR6.BD, reserved DR7 bits and CPL 3 raise #GP, and a single step over
 * CPUID (which the monitor emulates) yields exactly one #DB with DR6.BS at
 * the next instruction. */
#include "attack.h"
#include "guest.h"
#include "idt.h"
#include "x86.h"

const char guest_name[] = "debugregs";

#define DR6_BD (1ull << 13)
#define DR6_BS (1ull << 14)
#define DR6_RESET 0xffff0ff0ull
#define DR7_RESET 0x400ull
#define CR4_DE (1ull << 3)
#define RFLAGS_TF (1ull << 8)
#define RFLAGS_RF (1ull << 16)
#define VEC_DB 1

extern volatile uint64_t exc_resume;
extern volatile int exc_vector;

#define DR_ACCESSORS(n)                                                                          \
    static inline uint64_t read_dr##n(void)                                                      \
    {                                                                                            \
        uint64_t v;                                                                              \
        __asm__ volatile("mov %%dr" #n ", %0" : "=r"(v));                                        \
        return v;                                                                                \
    }                                                                                            \
    static inline void write_dr##n(uint64_t v) { __asm__ volatile("mov %0, %%dr" #n :: "r"(v)); }
DR_ACCESSORS(0)
DR_ACCESSORS(1)
DR_ACCESSORS(2)
DR_ACCESSORS(3)
DR_ACCESSORS(4)
DR_ACCESSORS(5)
DR_ACCESSORS(6)
DR_ACCESSORS(7)

static inline uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v)); }

/* Probes (see lib/isr.S): one instruction that may fault; the vector it
 * raised or -1. The probe's first instruction after the setup is at the
 * global label NAME_insn, the #DB/#GP RIP to expect. */
#define DR_PROBE(name, insn)                                                  \
    __asm__(".text\n.global " #name "\n" #name ":\n"                          \
            "  leaq 1f(%rip), %r11\n  movq %r11, exc_resume(%rip)\n"          \
            "  movl $-1, exc_vector(%rip)\n"                                  \
            ".global " #name "_insn\n" #name "_insn:\n  " insn "\n"           \
            "1: movq $0, exc_resume(%rip)\n  movl exc_vector(%rip), %eax\n  ret\n")
DR_PROBE(probe_write_dr7, "movq %rdi, %dr7");
DR_PROBE(probe_write_dr6, "movq %rdi, %dr6");
DR_PROBE(probe_read_dr0, "movq %dr0, %rax");
DR_PROBE(probe_read_dr4, "movq %dr4, %rax");
DR_PROBE(probe_write_dr5, "movq %rdi, %dr5");
int probe_write_dr7(uint64_t v);
int probe_write_dr6(uint64_t v);
int probe_read_dr0(void);
int probe_read_dr4(void);
int probe_write_dr5(uint64_t v);
extern const char probe_read_dr0_insn[];

/* The code the breakpoints and the single step are aimed at. */
__asm__(".text\n"
        ".global bp_target\nbp_target:\n  nop\n  ret\n"
        /* watch_store(p, v): one 4-byte store; watch_after is the next instruction */
        ".global watch_store\nwatch_store:\n  movl %esi, (%rdi)\n"
        ".global watch_after\nwatch_after:\n  ret\n"
        /* step_cpuid: TF on through POPF, so the trap follows the instruction
         * after POPF: the CPUID (an exit the monitor emulates) */
        ".global step_cpuid\nstep_cpuid:\n  pushq %rbx\n  pushfq\n  orq $0x100, (%rsp)\n"
        "  xorl %eax, %eax\n  xorl %ecx, %ecx\n  popfq\n  cpuid\n"
        ".global step_after\nstep_after:\n  nop\n  popq %rbx\n  ret\n"
        /* dr_step_target(v): a MOV to DR7 the monitor emulates, a target
         * for a debugger's single steps (test_hwdebug.py) */
        ".global dr_step_target\ndr_step_target:\n  movq %rdi, %dr7\n"
        ".global dr_step_after\ndr_step_after:\n  nop\n  ret\n"
        /* step_native: the same over an instruction the CPU runs itself */
        ".global step_native\nstep_native:\n  pushfq\n  orq $0x100, (%rsp)\n  popfq\n  xchgq %rax, %rax\n"
        ".global step_native_after\nstep_native_after:\n  nop\n  ret\n");
void bp_target(void);
void watch_store(volatile uint32_t *p, uint32_t v);
void step_cpuid(void);
void step_native(void);
void dr_step_target(uint64_t dr7);
extern const char watch_after[], step_after[], step_native_after[];

/* What the #DB handler saw, outside probes. */
static struct {
    volatile int count;
    volatile uint64_t dr6, rip;
    volatile uint32_t watched_value;
} db;
static volatile uint32_t watched __attribute__((aligned(8)));
/* Written once per check group: a target for a debugger's own watchpoint
 * while the guest uses its slots (tests/e2e/test_hwdebug.py). */
volatile uint64_t debugger_marker __attribute__((aligned(8)));

static void db_handler(struct interrupt_frame *f)
{
    db.count++;
    db.dr6 = read_dr6();
    db.rip = f->rip;
    db.watched_value = watched;
    write_dr6(0);               /* DR6 is sticky: software clears it */
    /* an execute breakpoint is a fault: resume with RF so the instruction
     * runs once; a trap (watchpoint, single step) needs nothing; TF off so a
     * step stops after one instruction */
    f->rflags |= RFLAGS_RF;
    f->rflags &= ~RFLAGS_TF;
}

static void db_reset(void)
{
    db.count = 0;
    db.dr6 = db.rip = 0;
    db.watched_value = 0;
}

static bool test_round_trips(void)
{
    static const uint64_t values[4] = { 0x1000, 0xffffffff80200000ull, 0x7ff000, 0x123456789abcdef0ull };
    bool ok = true;
    write_dr0(values[0]);
    write_dr1(values[1]);
    write_dr2(values[2]);
    write_dr3(values[3]);
    ok &= check(read_dr0() == values[0], "DR0 round trip (0x%lx)", read_dr0());
    ok &= check(read_dr1() == values[1], "DR1 round trip (0x%lx)", read_dr1());
    ok &= check(read_dr2() == values[2], "DR2 round trip (0x%lx)", read_dr2());
    ok &= check(read_dr3() == values[3], "DR3 round trip (0x%lx)", read_dr3());
    write_dr6(0);
    ok &= check(read_dr6() == DR6_RESET, "DR6 written 0 reads 0x%lx (fixed ones)", read_dr6());
    write_dr6(0x1);
    ok &= check(read_dr6() == (DR6_RESET | 1), "DR6 keeps B0: 0x%lx", read_dr6());
    write_dr6(0);
    write_dr7(0);
    ok &= check(read_dr7() == DR7_RESET, "DR7 written 0 reads 0x%lx (bit 10 set)", read_dr7());
    /* R/W0 = write with L0 clear: a field, nothing armed */
    write_dr7(0x10000);
    ok &= check(read_dr7() == 0x10400, "DR7 field round trip (0x%lx)", read_dr7());
    write_dr7(0);
    for (int i = 0; i < 4; i++)
        __asm__ volatile("" ::: "memory");
    write_dr0(0);
    write_dr1(0);
    write_dr2(0);
    write_dr3(0);
    return ok;
}

static bool test_dr4_dr5(void)
{
    bool ok = true;
    write_cr4(read_cr4() & ~CR4_DE);
    write_dr7(0x10000);
    ok &= check(read_dr5() == 0x10400, "CR4.DE=0: DR5 reads DR7 (0x%lx)", read_dr5());
    write_dr5(0x20000);
    ok &= check(read_dr7() == 0x20400, "CR4.DE=0: DR5 writes DR7 (0x%lx)", read_dr7());
    write_dr6(0x2);
    ok &= check(read_dr4() == (DR6_RESET | 2), "CR4.DE=0: DR4 reads DR6 (0x%lx)", read_dr4());
    write_dr4(0);
    ok &= check(read_dr6() == DR6_RESET, "CR4.DE=0: DR4 writes DR6 (0x%lx)", read_dr6());
    write_dr7(0);
    write_cr4(read_cr4() | CR4_DE);
    ok &= check(probe_read_dr4() == VEC_UD, "CR4.DE=1: mov %%dr4 raises #UD");
    ok &= check(probe_write_dr5(0x400) == VEC_UD, "CR4.DE=1: mov to %%dr5 raises #UD");
    write_cr4(read_cr4() & ~CR4_DE);
    ok &= check(read_dr7() == DR7_RESET, "DR7 untouched by the refused DR5 write (0x%lx)", read_dr7());
    return ok;
}

static bool test_reserved_bits(void)
{
    bool ok = true;
    ok &= check(probe_write_dr7(1ull << 32) == VEC_GP, "DR7 bit 32 set: #GP");
    ok &= check(probe_write_dr7(0x8000000000000401ull) == VEC_GP, "DR7 bit 63 set: #GP");
    ok &= check(probe_write_dr6(1ull << 40) == VEC_GP, "DR6 bit 40 set: #GP");
    ok &= check(read_dr7() == DR7_RESET, "DR7 unchanged after the #GPs (0x%lx)", read_dr7());
    return ok;
}

static bool test_general_detect(bool hosted)
{
    bool ok = true;
    write_dr6(0);
    write_dr7(DR7_RESET | (1u << 13));
    int vec = probe_read_dr0();
    if (!hosted && vec < 0) {
        /* QEMU's TCG CPU does not implement general detect; AMD hardware
         * and the monitor's emulation do. */
        write_dr7(DR7_RESET);
        printf("note: this CPU ignores DR7.GD (QEMU TCG does); general detect is checked hosted\n");
        return true;
    }
    ok &= check(vec == VEC_DB, "DR7.GD: mov %%dr0 raises #DB (got %s)", vector_name(vec));
    ok &= check(exc_last.rip == (uint64_t)probe_read_dr0_insn, "GD #DB is a fault: RIP 0x%lx at the mov %p",
                exc_last.rip, (const void *)probe_read_dr0_insn);
    /* the CPU cleared GD on the #DB, so these accesses are allowed again */
    uint64_t dr6 = read_dr6();
    ok &= check(dr6 & DR6_BD, "GD #DB: DR6.BD set (0x%lx)", dr6);
    ok &= check(read_dr7() == DR7_RESET, "GD #DB cleared DR7.GD (0x%lx)", read_dr7());
    write_dr6(0);
    return ok;
}

static bool test_exec_breakpoint(void)
{
    bool ok = true;
    db_reset();
    write_dr6(0);
    write_dr0((uint64_t)bp_target);
    write_dr7(DR7_RESET | 0x1);             /* L0, R/W0 = execute, LEN0 = 1 */
    bp_target();
    bp_target();
    write_dr7(DR7_RESET);
    ok &= check(db.count == 2, "execute breakpoint: one #DB per call (%d for 2)", db.count);
    ok &= check(db.rip == (uint64_t)bp_target, "execute breakpoint: RIP 0x%lx at the instruction %p", db.rip,
                (void *)bp_target);
    ok &= check((db.dr6 & 0xf) == 0x1, "execute breakpoint: DR6.B0 (DR6 0x%lx)", db.dr6);
    ok &= check(!(db.dr6 & (DR6_BS | DR6_BD)), "execute breakpoint: no BS/BD (DR6 0x%lx)", db.dr6);
    db_reset();
    bp_target();
    ok &= check(db.count == 0, "disarmed: no #DB (%d)", db.count);
    return ok;
}

static bool test_write_watchpoint(void)
{
    bool ok = true;
    db_reset();
    watched = 0;
    write_dr6(0);
    write_dr1((uint64_t)&watched);
    /* L1; R/W1 = 01 (write); LEN1 = 11 (4 bytes) */
    write_dr7(DR7_RESET | (1u << 2) | (1u << 20) | (3u << 22));
    uint32_t x = watched;               /* a read: no #DB from a write watchpoint */
    ok &= check(db.count == 0, "write watchpoint: a read does not fire (%d)", db.count);
    watch_store(&watched, x + 0x1234);
    write_dr7(DR7_RESET);
    ok &= check(db.count == 1, "write watchpoint: one #DB (%d)", db.count);
    ok &= check(db.rip == (uint64_t)watch_after, "write watchpoint: trap after the store, RIP 0x%lx (want %p)",
                db.rip, (const void *)watch_after);
    ok &= check((db.dr6 & 0xf) == 0x2, "write watchpoint: DR6.B1 (DR6 0x%lx)", db.dr6);
    ok &= check(db.watched_value == 0x1234, "write watchpoint: value already written (0x%x)", db.watched_value);
    write_dr1(0);
    return ok;
}

static bool test_single_step_cpuid(void)
{
    bool ok = true;
    db_reset();
    write_dr6(0);
    step_cpuid();
    ok &= check(db.count == 1, "single step over cpuid: exactly one #DB (%d)", db.count);
    ok &= check(db.rip == (uint64_t)step_after, "single step over cpuid: RIP 0x%lx at the next instruction %p",
                db.rip, (const void *)step_after);
    ok &= check(db.dr6 & DR6_BS, "single step over cpuid: DR6.BS (DR6 0x%lx)", db.dr6);
    ok &= check(!(db.dr6 & 0xf), "single step over cpuid: no B0-B3 (DR6 0x%lx)", db.dr6);
    return ok;
}

static bool test_single_step_native(void)
{
    bool ok = true;
    db_reset();
    write_dr6(0);
    step_native();
    ok &= check(db.count == 1, "single step over xchg: exactly one #DB (%d)", db.count);
    ok &= check(db.rip == (uint64_t)step_native_after, "single step over xchg: RIP 0x%lx at the next instruction %p",
                db.rip, (const void *)step_native_after);
    ok &= check(db.dr6 & DR6_BS, "single step over xchg: DR6.BS (DR6 0x%lx)", db.dr6);
    return ok;
}

/* Hosted, the real debug registers match in the monitor as well. Aim the
 * guest's execute breakpoints at monitor code the test names on the command
 * line (hostbp0..2=ADDR: its #DB entry, its VMRUN path) and an access
 * watchpoint at monitor data (hostwatch=ADDR), then cause exits: the monitor
 * must neither fall into them nor pass them on. Bare these addresses are
 * plain RAM nobody touches, so nothing fires either. */
static bool test_monitor_addresses(void)
{
    uint64_t addr[4] = { 0, 0, 0, 0 };
    bool any = false;
    static const char *const keys[4] = { "hostbp0", "hostbp1", "hostbp2", "hostwatch" };
    for (int i = 0; i < 4; i++)
        any |= cmdline_get_u64(keys[i], &addr[i]);
    if (!any)
        return true;
    db_reset();
    write_dr0(addr[0]);
    write_dr1(addr[1]);
    write_dr2(addr[2]);
    write_dr3(addr[3] & ~7ull);
    /* L0-L2 execute; L3 read/write 8 bytes */
    write_dr7(DR7_RESET | 0x15 | 0x40 | (0xbull << 28));
    for (int i = 0; i < 200; i++) {
        uint32_t r[4];
        cpuid(0, 0, r);
    }
    write_dr7(DR7_RESET);
    write_dr0(0);
    write_dr1(0);
    write_dr2(0);
    write_dr3(0);
    return check(db.count == 0, "breakpoints on monitor addresses 0x%lx 0x%lx 0x%lx 0x%lx: no #DB (%d)", addr[0],
                 addr[1], addr[2], addr[3], db.count);
}

/* ---- CPL 3: a user code and data segment, a TSS for the way back ---- */

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iopb;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS");

#define SEL_USER_DATA 0x23      /* GDT index 4, RPL 3 */
#define SEL_USER_CODE 0x2b      /* GDT index 5, RPL 3 */
#define SEL_TSS       0x30

static struct tss64 tss;
static uint64_t gdt[8] __attribute__((aligned(16)));
static uint8_t kernel_stack[4096] __attribute__((aligned(16)));
static uint8_t user_stack[4096] __attribute__((aligned(16)));

/* user_call(fn, stack): runs fn at CPL 3; returns when fn faults (the #GP
 * handler resumes at user_return with the saved kernel stack). */
uint64_t user_saved_rsp;
__asm__(".text\n.global user_call\nuser_call:\n"
        "  pushq %rbx\n  pushq %rbp\n  pushq %r12\n  pushq %r13\n  pushq %r14\n  pushq %r15\n"
        "  movq %rsp, user_saved_rsp(%rip)\n"
        "  pushq $0x23\n  pushq %rsi\n  pushq $0x2\n  pushq $0x2b\n  pushq %rdi\n  iretq\n"
        ".global user_return\nuser_return:\n"
        "  movq user_saved_rsp(%rip), %rsp\n"
        "  popq %r15\n  popq %r14\n  popq %r13\n  popq %r12\n  popq %rbp\n  popq %rbx\n  ret\n"
        /* at CPL 3: the MOV DR must raise #GP; ud2 marks that it did not */
        ".global user_mov_dr7\nuser_mov_dr7:\n  movq %dr7, %rax\n  ud2\n");
void user_call(void (*fn)(void), void *stack);
void user_mov_dr7(void);
extern const char user_return[];

static struct {
    volatile int vector;
    volatile uint64_t rip, cs, error;
} user_fault;

static void user_fault_handler(struct interrupt_frame *f)
{
    if ((f->cs & 3) != 3) {
        printf("unexpected %s at CPL 0, rip 0x%lx\n", vector_name((int)f->vector), f->rip);
        guest_exit(GUEST_EXIT_EXCEPTION);
    }
    user_fault.vector = (int)f->vector;
    user_fault.rip = f->rip;
    user_fault.cs = f->cs;
    user_fault.error = f->error_code;
    f->cs = 0x08;
    f->ss = 0x10;
    f->rip = (uint64_t)user_return;
    f->rflags = 0x2;
}

/* Sets U on the paging entries of the 2 MiB page at `addr` (identity map). */
static void make_user(uint64_t addr)
{
    uint64_t *pml4 = phys_ptr(read_cr3() & ~0xfffull);
    uint64_t *pdpt = phys_ptr(pml4[(addr >> 39) & 511] & 0xffffffffff000ull);
    uint64_t *pd = phys_ptr(pdpt[(addr >> 30) & 511] & 0xffffffffff000ull);
    pml4[(addr >> 39) & 511] |= 4;
    pdpt[(addr >> 30) & 511] |= 4;
    pd[(addr >> 21) & 511] |= 4;
    write_cr3(read_cr3());
}

static bool test_cpl3(void)
{
    gdt[0] = 0;
    gdt[1] = 0x00AF9A000000FFFFull;     /* 0x08: 64-bit code, as the library's */
    gdt[2] = 0x00CF92000000FFFFull;     /* 0x10: data */
    gdt[3] = 0x00CF9A000000FFFFull;     /* 0x18: 32-bit code */
    gdt[4] = 0x00CFF2000000FFFFull;     /* 0x20: data, DPL 3 */
    gdt[5] = 0x00AFFA000000FFFFull;     /* 0x28: 64-bit code, DPL 3 */
    uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;
    gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) | (((base >> 24) & 0xff) << 56);
    gdt[7] = base >> 32;
    tss.rsp[0] = (uint64_t)(kernel_stack + sizeof kernel_stack);
    tss.iopb = sizeof tss;
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) desc = { sizeof gdt - 1, (uint64_t)gdt };
    __asm__ volatile("lgdt %0" :: "m"(desc));
    __asm__ volatile("ltr %w0" :: "r"((uint16_t)SEL_TSS));
    make_user((uint64_t)user_mov_dr7);
    make_user((uint64_t)user_stack);

    irq_set_handler(VEC_GP, user_fault_handler);
    irq_set_handler(VEC_UD, user_fault_handler);
    user_fault.vector = -1;
    user_call(user_mov_dr7, user_stack + sizeof user_stack);
    irq_set_handler(VEC_GP, 0);
    irq_set_handler(VEC_UD, 0);
    bool ok = check(user_fault.vector == VEC_GP && user_fault.error == 0,
                    "CPL 3: mov %%dr7 raises #GP(0) (got %s, error 0x%lx)", vector_name(user_fault.vector),
                    user_fault.error);
    ok &= check(user_fault.rip == (uint64_t)user_mov_dr7, "CPL 3: #GP at the mov (rip 0x%lx, want %p)",
                user_fault.rip, (void *)user_mov_dr7);
    return ok;
}

int guest_main(void)
{
    bool hosted = environment_is_hosted();
    irq_set_handler(VEC_DB, db_handler);
    bool ok = true;
    debugger_marker = 1;
    db_reset();
    dr_step_target(DR7_RESET);
    ok &= check(db.count == 0, "mov to DR7 raised no #DB (%d)", db.count);
    ok &= test_round_trips();
    ok &= test_dr4_dr5();
    ok &= test_reserved_bits();
    ok &= test_general_detect(hosted);
    ok &= test_exec_breakpoint();
    ok &= test_write_watchpoint();
    ok &= test_single_step_cpuid();
    ok &= test_single_step_native();
    debugger_marker = 2;
    ok &= test_cpl3();
    ok &= test_monitor_addresses();
    ok &= monitor_still_answers();
    return ok ? GUEST_PASS : GUEST_FAIL;
}
