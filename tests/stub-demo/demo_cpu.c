/*
 * tests/stub-demo/demo_cpu.c - the instruction model: a few real x86_64
 * encodings, enough to exercise stepping, breakpoints and every kind of
 * watchpoint. Semantics follow the hardware where a debugger can tell:
 * data watchpoints trap after the instruction, a breakpoint at the resume
 * address is skipped once (RF), faults leave rip on the instruction.
 */
#include <string.h>

#include "demo_machine.h"

enum exec_result { EXEC_OK, EXEC_INT3, EXEC_UD, EXEC_PF, EXEC_HALT };

struct access {
    uint64_t addr;
    unsigned len;
    bool write;
};

struct exec {
    struct access acc[2];
    int nacc;
    uint64_t fault_addr;
};

static uint64_t le64(const uint8_t *b)
{
    uint64_t v = 0;
    for (int i = 8; i-- > 0;)
        v = v << 8 | b[i];
    return v;
}

static bool load64(struct demo_machine *m, struct exec *x, uint64_t addr, uint64_t *v)
{
    uint8_t b[8];
    if (demo_read(m, addr, b, 8, false) != 8) {
        x->fault_addr = addr;
        return false;
    }
    x->acc[x->nacc++] = (struct access){ addr, 8, false };
    *v = le64(b);
    return true;
}

static bool store64(struct demo_machine *m, struct exec *x, uint64_t addr, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    if (!demo_write(m, addr, b, 8, false)) {
        x->fault_addr = addr;
        return false;
    }
    x->acc[x->nacc++] = (struct access){ addr, 8, true };
    return true;
}

static enum exec_result execute(struct demo_machine *m, int c, struct exec *x)
{
    uint64_t rip = demo_reg(m, c, X86_REG_RIP);
    uint8_t insn[9] = { 0 };
    size_t have = demo_read(m, rip, insn, sizeof insn, false);
    uint64_t v;

    x->nacc = 0;
    if (have == 0) {
        x->fault_addr = rip;
        return EXEC_PF;
    }
    switch (insn[0]) {
    case 0x90:
        demo_set_reg(m, c, X86_REG_RIP, rip + 1);
        return EXEC_OK;
    case 0xcc:
        demo_set_reg(m, c, X86_REG_RIP, rip + 1);
        return EXEC_INT3;
    case 0xf4:
        demo_set_reg(m, c, X86_REG_RIP, rip + 1);
        return EXEC_HALT;
    case 0xeb:
        if (have < 2)
            break;
        demo_set_reg(m, c, X86_REG_RIP, rip + 2 + (uint64_t)(int64_t)(int8_t)insn[1]);
        return EXEC_OK;
    case 0xe9: {
        if (have < 5)
            break;
        int32_t rel = (int32_t)((uint32_t)insn[1] | (uint32_t)insn[2] << 8 |
                                (uint32_t)insn[3] << 16 | (uint32_t)insn[4] << 24);
        demo_set_reg(m, c, X86_REG_RIP, rip + 5 + (uint64_t)(int64_t)rel);
        return EXEC_OK;
    }
    default:
        break;
    }
    /* REX.W op [disp32]: 48 op 04 25 d0 d1 d2 d3 (imm8) */
    if (insn[0] != 0x48 || insn[2] != 0x04 || insn[3] != 0x25)
        return EXEC_UD;
    uint64_t ea = (uint64_t)(int64_t)(int32_t)((uint32_t)insn[4] | (uint32_t)insn[5] << 8 |
                                               (uint32_t)insn[6] << 16 | (uint32_t)insn[7] << 24);
    uint64_t len = 8;
    switch (insn[1]) {
    case 0x8b:  /* mov rax, [m] */
        if (have < 8)
            return EXEC_PF;
        if (!load64(m, x, ea, &v))
            return EXEC_PF;
        demo_set_reg(m, c, X86_REG_RAX, v);
        break;
    case 0x89:  /* mov [m], rax */
        if (have < 8)
            return EXEC_PF;
        if (!store64(m, x, ea, demo_reg(m, c, X86_REG_RAX)))
            return EXEC_PF;
        break;
    case 0xff:  /* inc qword [m] */
        if (have < 8)
            return EXEC_PF;
        if (!load64(m, x, ea, &v) || !store64(m, x, ea, v + 1))
            return EXEC_PF;
        break;
    case 0x83:  /* add qword [m], imm8 */
        if (have < 9)
            return EXEC_PF;
        if (!load64(m, x, ea, &v) ||
            !store64(m, x, ea, v + (uint64_t)(int64_t)(int8_t)insn[8]))
            return EXEC_PF;
        len = 9;
        break;
    default:
        return EXEC_UD;
    }
    demo_set_reg(m, c, X86_REG_RIP, rip + len);
    return EXEC_OK;
}

static bool breakpoint_at(struct demo_machine *m, uint64_t rip, enum stop_reason *why)
{
    for (int i = 0; i < DEMO_SW_BREAKS; i++)
        if (m->sw[i].used && m->sw[i].addr == rip) {
            *why = STOP_SW_BREAK;
            return true;
        }
    for (int i = 0; i < DEMO_DEBUG_REGS; i++)
        if (m->dr[i].used && m->dr[i].type == POINT_HW_BREAK && m->dr[i].addr == rip) {
            *why = STOP_HW_BREAK;
            return true;
        }
    return false;
}

static bool watch_matches(const struct demo_debug_reg *d, const struct access *a)
{
    if (!d->used || d->type == POINT_HW_BREAK)
        return false;
    if (d->type == POINT_WATCH_WRITE && !a->write)
        return false;
    if (d->type == POINT_WATCH_READ && a->write)
        return false;
    return a->addr < d->addr + d->len && d->addr < a->addr + a->len;
}

static bool watch_hit(struct demo_machine *m, const struct exec *x, struct stop_event *ev)
{
    for (int i = 0; i < DEMO_DEBUG_REGS; i++)
        for (int k = 0; k < x->nacc; k++)
            if (watch_matches(&m->dr[i], &x->acc[k])) {
                ev->reason = STOP_WATCH;
                ev->signal = 5;
                ev->watch_kind = m->dr[i].type;
                ev->data_addr = m->dr[i].addr;
                ev->hw_index = (unsigned)i;
                return true;
            }
    return false;
}

static int first_resumed_cpu(const struct demo_machine *m)
{
    for (int c = 0; c < DEMO_CPUS; c++)
        if (m->actions[c].kind != RESUME_STOP)
            return c;
    return 0;
}

/* One instruction of CPU c; true if the machine must stop. */
static bool step_cpu(struct demo_machine *m, int c, struct stop_event *ev)
{
    struct demo_cpu *cpu = &m->cpu[c];
    struct exec x = { .nacc = 0 };
    enum stop_reason why;

    memset(ev, 0, sizeof *ev);
    ev->thread = c + 1;
    ev->signal = 5;
    if (cpu->halted) {
        if (m->actions[c].kind == RESUME_STEP) {
            ev->reason = STOP_STEP;
            return true;
        }
        return false;
    }
    uint64_t rip = demo_reg(m, c, X86_REG_RIP);
    if (!cpu->skip_break_once && breakpoint_at(m, rip, &why)) {
        ev->reason = why;
        return true;
    }
    cpu->skip_break_once = false;
    enum exec_result r = execute(m, c, &x);
    demo_set_reg(m, c, X86_REG_TSC, demo_reg(m, c, X86_REG_TSC) + 1);
    switch (r) {
    case EXEC_UD:
        ev->reason = STOP_EXCEPTION;
        ev->vector = 6;
        ev->signal = 4;
        return true;
    case EXEC_PF:
        demo_set_reg(m, c, X86_REG_CR2, x.fault_addr);
        ev->reason = STOP_EXCEPTION;
        ev->vector = 14;
        ev->signal = 11;
        return true;
    case EXEC_INT3:
        ev->reason = STOP_SIGNAL;
        return true;
    case EXEC_HALT:
        cpu->halted = true;
        break;
    case EXEC_OK:
        break;
    }
    if (watch_hit(m, &x, ev))
        return true;
    if (m->actions[c].kind == RESUME_STEP) {
        ev->reason = STOP_STEP;
        return true;
    }
    return false;
}

bool demo_run(struct demo_machine *m, unsigned budget, struct stop_event *ev)
{
    if (!m->running)
        return false;
    if (m->interrupt_requested) {
        memset(ev, 0, sizeof *ev);
        ev->thread = first_resumed_cpu(m) + 1;
        ev->reason = STOP_SIGNAL;
        ev->signal = 2;
        goto stopped;
    }
    for (unsigned round = 0; round < budget; round++)
        for (int c = 0; c < DEMO_CPUS; c++)
            if (m->actions[c].kind != RESUME_STOP && step_cpu(m, c, ev))
                goto stopped;
    return false;
stopped:
    m->running = false;
    m->interrupt_requested = false;
    return true;
}
