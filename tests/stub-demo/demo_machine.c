/*
 * tests/stub-demo/demo_machine.c - registers, reset state, breakpoints and
 * watchpoints of the demo machine. The instruction model is demo_cpu.c.
 */
#include <stdlib.h>
#include <string.h>

#include "demo_machine.h"

static const struct target_reg *reg_info(int regnum)
{
    return &x86_64_target_desc.regs[regnum];
}

uint64_t demo_reg(const struct demo_machine *m, int cpu, int regnum)
{
    const struct target_reg *r = reg_info(regnum);
    uint64_t v = 0;
    unsigned n = r->size < 8 ? r->size : 8;

    for (unsigned i = n; i-- > 0;)
        v = v << 8 | m->cpu[cpu].regs[r->offset + i];
    return v;
}

void demo_set_reg(struct demo_machine *m, int cpu, int regnum, uint64_t v)
{
    const struct target_reg *r = reg_info(regnum);
    unsigned n = r->size < 8 ? r->size : 8;

    memset(m->cpu[cpu].regs + r->offset, 0, r->size);
    for (unsigned i = 0; i < n; i++)
        m->cpu[cpu].regs[r->offset + i] = (uint8_t)(v >> (8 * i));
}

static void put64(struct demo_machine *m, uint64_t addr, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    demo_write(m, addr, b, 8, true);
}

static const uint8_t program_cpu0[] = {
    0x90,                                           /* nop */
    0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x20, 0x00, /* mov rax, [0x200000] */
    0x48, 0xff, 0x04, 0x25, 0x08, 0x00, 0x20, 0x00, /* inc qword [0x200008] */
    0x48, 0x89, 0x04, 0x25, 0x10, 0x00, 0x20, 0x00, /* mov [0x200010], rax */
    0x48, 0x83, 0x04, 0x25, 0x18, 0x00, 0x20, 0x00, 0x05, /* add qword [0x200018], 5 */
    0xeb, 0xdc,                                     /* jmp 0x100000 */
};

static const uint8_t program_cpu1[] = {
    0x48, 0xff, 0x04, 0x25, 0x00, 0x01, 0x20, 0x00, /* inc qword [0x200100] */
    0x90,                                           /* nop */
    0xeb, 0xf5,                                     /* jmp 0x100100 */
};

static void reset_cpu(struct demo_machine *m, int c)
{
    uint64_t n = (uint64_t)c + 1;
    uint64_t stack_top = 0x280000 - 0x10000 * (uint64_t)c;

    memset(&m->cpu[c], 0, sizeof m->cpu[c]);
    for (int r = X86_REG_RAX; r <= X86_REG_R15; r++)
        demo_set_reg(m, c, r, 0x1000 * n + (uint64_t)r);
    demo_set_reg(m, c, X86_REG_RSP, stack_top - 0x40);
    demo_set_reg(m, c, X86_REG_RBP, stack_top - 0x10);
    demo_set_reg(m, c, X86_REG_RIP, c == 0 ? 0x100000 : 0x100100);
    demo_set_reg(m, c, X86_REG_EFLAGS, 0x202);
    demo_set_reg(m, c, X86_REG_CS, 0x8);
    for (int r = X86_REG_SS; r <= X86_REG_GS; r++)
        demo_set_reg(m, c, r, 0x10);
    demo_set_reg(m, c, X86_REG_FS_BASE, 0x7ff0000000 + 0x1000 * n);
    demo_set_reg(m, c, X86_REG_GS_BASE, 0xffffffff80300000 + 0x1000 * n);
    demo_set_reg(m, c, X86_REG_CR0, 0x80050033);
    demo_set_reg(m, c, X86_REG_CR3, 0x10000 + 0x1000 * n);
    demo_set_reg(m, c, X86_REG_CR4, 0x6a0);
    demo_set_reg(m, c, X86_REG_EFER, 0xd01);
    demo_set_reg(m, c, X86_REG_FCTRL, 0x37f);
    demo_set_reg(m, c, X86_REG_MXCSR, 0x1f80);
    for (int i = 0; i < 16; i++)
        m->cpu[c].regs[x86_64_target_desc.regs[X86_REG_XMM0].offset + (unsigned)i] =
            (uint8_t)(n + (uint64_t)i);
    demo_set_reg(m, c, X86_REG_GDTR_BASE, 0x101000);
    demo_set_reg(m, c, X86_REG_GDTR_LIMIT, 0x37);
    demo_set_reg(m, c, X86_REG_IDTR_BASE, 0x102000);
    demo_set_reg(m, c, X86_REG_IDTR_LIMIT, 0xfff);
    demo_set_reg(m, c, X86_REG_TR, 0x28);
    demo_set_reg(m, c, X86_REG_DR6, 0xffff0ff0);
    demo_set_reg(m, c, X86_REG_DR7, 0x400);
    demo_set_reg(m, c, X86_REG_STAR, 0x0023001000000000);
    demo_set_reg(m, c, X86_REG_LSTAR, 0xffffffff80201000);
    demo_set_reg(m, c, X86_REG_SFMASK, 0x47700);
}

void demo_reset(struct demo_machine *m)
{
    if (!m->ram) {
        m->ram = calloc(1, DEMO_RAM_SIZE);
        if (!m->ram)
            abort();
    }
    memset(m->ram, 0, DEMO_RAM_SIZE);
    demo_write(m, 0x100000, program_cpu0, sizeof program_cpu0, true);
    demo_write(m, 0x100100, program_cpu1, sizeof program_cpu1, true);
    put64(m, 0x200000, 0x1122334455667788);
    static const char banner[] = "husk demo target";
    demo_write(m, 0x200200, (const uint8_t *)banner, sizeof banner, true);
    for (int c = 0; c < DEMO_CPUS; c++)
        reset_cpu(m, c);
    memset(m->sw, 0, sizeof m->sw);
    memset(m->dr, 0, sizeof m->dr);
    m->running = false;
    m->interrupt_requested = false;
}

/* ---- breakpoints and watchpoints --------------------------------------- */

static bool watch_shape_ok(uint64_t addr, unsigned len)
{
    /* x86 debug registers: 1, 2, 4 or 8 bytes, aligned to the length. */
    return (len == 1 || len == 2 || len == 4 || len == 8) && (addr & (len - 1)) == 0;
}

int demo_insert_point(struct demo_machine *m, enum point_type type, uint64_t addr, unsigned kind)
{
    if (type == POINT_SW_BREAK) {
        if (kind != 1)
            return TARGET_EINVAL;   /* int3 is one byte */
        for (int i = 0; i < DEMO_SW_BREAKS; i++)
            if (!m->sw[i].used) {
                m->sw[i] = (struct demo_sw_break){ true, addr };
                return TARGET_OK;
            }
        return TARGET_ENOSPC;
    }
    unsigned len = type == POINT_HW_BREAK ? 1 : kind;
    if (type != POINT_HW_BREAK && !watch_shape_ok(addr, len))
        return TARGET_EINVAL;
    for (int i = 0; i < DEMO_DEBUG_REGS; i++)
        if (!m->dr[i].used) {
            m->dr[i] = (struct demo_debug_reg){ true, type, addr, len };
            return TARGET_OK;
        }
    return TARGET_ENOSPC;
}

int demo_remove_point(struct demo_machine *m, enum point_type type, uint64_t addr, unsigned kind)
{
    if (type == POINT_SW_BREAK) {
        for (int i = 0; i < DEMO_SW_BREAKS; i++)
            if (m->sw[i].used && m->sw[i].addr == addr) {
                m->sw[i].used = false;
                return TARGET_OK;
            }
        return TARGET_EINVAL;
    }
    unsigned len = type == POINT_HW_BREAK ? 1 : kind;
    for (int i = 0; i < DEMO_DEBUG_REGS; i++)
        if (m->dr[i].used && m->dr[i].type == type && m->dr[i].addr == addr &&
            m->dr[i].len == len) {
            m->dr[i].used = false;
            return TARGET_OK;
        }
    return TARGET_EINVAL;
}

void demo_remove_all_points(struct demo_machine *m)
{
    memset(m->sw, 0, sizeof m->sw);
    memset(m->dr, 0, sizeof m->dr);
}
