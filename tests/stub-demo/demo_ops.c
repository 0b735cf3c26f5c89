/*
 * tests/stub-demo/demo_ops.c - the demo machine behind `struct target_ops`,
 * and its monitor commands.
 */
#include <string.h>

#include "demo_ops.h"

static struct demo_machine *M(void *t)
{
    return t;
}

static int ops_thread_count(void *t)
{
    (void)t;
    return DEMO_CPUS;
}

static size_t ops_thread_extra(void *t, int thread, char *buf, size_t cap)
{
    struct demo_machine *m = M(t);
    return stub_format(buf, cap, "CPU %d%s", thread - 1,
                       m->cpu[thread - 1].halted ? " halted" : "");
}

static int ops_read_reg(void *t, int thread, int regnum, uint8_t *buf)
{
    const struct target_reg *r = &x86_64_target_desc.regs[regnum];
    memcpy(buf, M(t)->cpu[thread - 1].regs + r->offset, r->size);
    return TARGET_OK;
}

static int ops_write_reg(void *t, int thread, int regnum, const uint8_t *buf)
{
    const struct target_reg *r = &x86_64_target_desc.regs[regnum];
    memcpy(M(t)->cpu[thread - 1].regs + r->offset, buf, r->size);
    return TARGET_OK;
}

static int ops_read_g(void *t, int thread, uint8_t *buf)
{
    memcpy(buf, M(t)->cpu[thread - 1].regs, X86_64_G_SIZE);
    return TARGET_OK;
}

static int ops_write_g(void *t, int thread, const uint8_t *buf)
{
    memcpy(M(t)->cpu[thread - 1].regs, buf, X86_64_G_SIZE);
    return TARGET_OK;
}

static size_t ops_read_mem(void *t, int thread, uint64_t addr, uint8_t *buf, size_t len,
                           bool physical)
{
    (void)thread;
    return demo_read(M(t), addr, buf, len, physical);
}

static int ops_write_mem(void *t, int thread, uint64_t addr, const uint8_t *buf, size_t len,
                         bool physical)
{
    (void)thread;
    return demo_write(M(t), addr, buf, len, physical) ? TARGET_OK : TARGET_EFAULT;
}

static int ops_resume(void *t, const struct resume_action *actions, int n)
{
    struct demo_machine *m = M(t);
    for (int c = 0; c < DEMO_CPUS && c < n; c++) {
        m->actions[c] = actions[c];
        /* Like x86's RF: the instruction we resume on runs even if a
         * breakpoint sits on it. */
        m->cpu[c].skip_break_once = actions[c].kind != RESUME_STOP;
    }
    m->running = true;
    m->interrupt_requested = false;
    return TARGET_OK;
}

static void ops_interrupt(void *t)
{
    struct demo_machine *m = M(t);
    if (m->running)
        m->interrupt_requested = true;
}

static int ops_insert(void *t, enum point_type type, uint64_t addr, unsigned kind)
{
    return demo_insert_point(M(t), type, addr, kind);
}

static int ops_remove(void *t, enum point_type type, uint64_t addr, unsigned kind)
{
    return demo_remove_point(M(t), type, addr, kind);
}

static void ops_kill(void *t)
{
    demo_reset(M(t));
}

/* ---- monitor commands ---------------------------------------------------- */

static int cmd_cpus(struct stub *s, void *t, const char *args)
{
    struct demo_machine *m = M(t);
    (void)args;
    for (int c = 0; c < DEMO_CPUS; c++)
        stub_printf(s, "cpu%d: thread %d rip 0x%llx %s\n", c, c + 1,
                    (unsigned long long)demo_reg(m, c, X86_REG_RIP),
                    m->cpu[c].halted ? "halted" : "ready");
    return 0;
}

static int cmd_reset(struct stub *s, void *t, const char *args)
{
    (void)args;
    demo_reset(M(t));
    stub_printf(s, "machine reset\n");
    return 0;
}

static int cmd_peek(struct stub *s, void *t, const char *args)
{
    uint64_t addr, len = 16;
    uint8_t buf[256];

    if (!stub_arg_number(&args, &addr) ||
        (!stub_arg_end(args) && !stub_arg_number(&args, &len)) || !stub_arg_end(args) ||
        len == 0 || len > sizeof buf) {
        stub_printf(s, "usage: peek ADDR [LEN]  (LEN 1..256; 0x for hex)\n");
        return TARGET_EINVAL;
    }
    size_t got = demo_read(M(t), addr, buf, (size_t)len, true);
    if (got == 0) {
        stub_printf(s, "0x%llx: not mapped\n", (unsigned long long)addr);
        return TARGET_EFAULT;
    }
    for (size_t i = 0; i < got; i++) {
        if (i % 16 == 0)
            stub_printf(s, "%s0x%llx:", i ? "\n" : "", (unsigned long long)(addr + i));
        stub_printf(s, " %02x", buf[i]);
    }
    stub_printf(s, "\n");
    return 0;
}

static const struct stub_command demo_commands[] = {
    { "cpus", "list CPUs with rip and state", cmd_cpus },
    { "reset", "put the machine back in its start state", cmd_reset },
    { "peek", "peek ADDR [LEN]: hex dump of physical memory", cmd_peek },
};

const struct target_ops demo_target_ops = {
    .desc = &x86_64_target_desc,
    .thread_count = ops_thread_count,
    .thread_extra_info = ops_thread_extra,
    .read_reg = ops_read_reg,
    .write_reg = ops_write_reg,
    .read_g = ops_read_g,
    .write_g = ops_write_g,
    .read_mem = ops_read_mem,
    .write_mem = ops_write_mem,
    .resume = ops_resume,
    .interrupt = ops_interrupt,
    .insert_point = ops_insert,
    .remove_point = ops_remove,
    .num_watchpoints = DEMO_DEBUG_REGS,
    .kill = ops_kill,
    .commands = demo_commands,
    .ncommands = sizeof demo_commands / sizeof demo_commands[0],
};
