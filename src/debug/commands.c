/* `monitor ...` commands (qRcmd). The stub itself adds `help` and `phys`. */
#include "allstop.h"
#include "arch_debug.h"
#include "catch.h"
#include "cmd_args.h"
#include "guest_info.h"
#include "guest_mem.h"
#include "lib/string.h"
#include "link.h"
#include "log.h"
#include "stub/stub.h"
#include "target_ops.h"
#include "vcpu.h"

static void print_line(void *ctx, const char *line)
{
    stub_printf(ctx, "%s\n", line);
}

static struct vcpu *arg_cpu_or_current(struct stub *s, const char **args)
{
    uint64_t n;
    switch (cmd_arg_cpu(args, vcpu_count, &n)) {
    case ARG_OK:
        return &vcpus[n];
    case ARG_RANGE:
        stub_printf(s, "no CPU %lu (CPUs 0..%u)\n", (unsigned long)n, vcpu_count - 1);
        return 0;
    default:
        return thread_vcpu(0);
    }
}

static int cmd_cpus(struct stub *s, void *t, const char *args)
{
    (void)t;
    (void)args;
    for (unsigned i = 0; i < vcpu_count; i++) {
        char extra[160];
        struct vcpu *v = &vcpus[i];
        size_t n = husk_target_ops.thread_extra_info(0, (int)i + 1, extra, sizeof extra - 1);
        extra[n] = 0;
        stub_printf(s, "thread %u: CPU %u, %s%s%s, %lu exits\n", i + 1, i, extra, dbg_cpus[i].parked ? ", parked" : "",
                    dbg_pin_cpu == (int)i ? ", pinned" : "", (unsigned long)v->exits);
    }
    return 0;
}

static int cmd_pin(struct stub *s, void *t, const char *args)
{
    (void)t;
    uint64_t n;
    switch (cmd_arg_pin(args, vcpu_count, &n)) {
    case ARG_NONE:
        if (dbg_pin_cpu < 0)
            stub_printf(s, "not pinned: continue runs every CPU\n");
        else
            stub_printf(s, "pinned to CPU %d (thread %d)\n", dbg_pin_cpu, dbg_pin_cpu + 1);
        return 0;
    case ARG_OK:
        dbg_pin_cpu = (int)n;
        stub_printf(s, "continue runs only CPU %lu (thread %lu); the others stay parked\n", (unsigned long)n,
                    (unsigned long)n + 1);
        return 0;
    case ARG_RANGE:
        stub_printf(s, "no CPU %lu (CPUs 0..%u)\n", (unsigned long)n, vcpu_count - 1);
        return TARGET_EINVAL;
    case ARG_OFF:
        dbg_pin_cpu = -1;
        stub_printf(s, "not pinned: continue runs every CPU\n");
        return 0;
    default:
        stub_printf(s, "usage: pin CPU|off\n");
        return TARGET_EINVAL;
    }
}

static int cmd_catch(struct stub *s, void *t, const char *args)
{
    (void)t;
    char bad[24];
    uint32_t mask;
    if (catch_parse(args, catch_mask(), &mask, bad, sizeof bad)) {
        stub_printf(s, "catch: '%s' is not a vector 0..31 or a name like #GP (#DB, NMI, #BP excluded)\n", bad);
        return TARGET_EINVAL;
    }
    catch_set(mask);
    if (!mask) {
        stub_printf(s, "catching no exceptions\n");
        return 0;
    }
    stub_printf(s, "catching:");
    for (unsigned v = 0; v < 32; v++)
        if (mask & (1u << v)) {
            const char *name = arch_dbg_vector_name(v);
            stub_printf(s, " %u%s%s", v, name ? " " : "", name ? name : "");
        }
    stub_printf(s, "\n");
    return 0;
}

static int cmd_why(struct stub *s, void *t, const char *args)
{
    (void)t;
    struct vcpu *v = arg_cpu_or_current(s, &args);
    if (!v)
        return TARGET_EINVAL;
    if (v->stop_reason[0])
        stub_printf(s, "cpu %u: %s\n", v->index, v->stop_reason);
    catch_print_history(s, v);
    return 0;
}

static int cmd_vtop(struct stub *s, void *t, const char *args)
{
    (void)t;
    uint64_t va;
    if (!stub_arg_number(&args, &va)) {
        stub_printf(s, "usage: vtop ADDR [CPU]\n");
        return TARGET_EINVAL;
    }
    struct vcpu *v = arg_cpu_or_current(s, &args);
    if (!v || !stub_arg_end(args))
        return TARGET_EINVAL;
    unsigned cpl;
    struct paging_regs r = arch_dbg_paging(v, &cpl);
    struct walk_result w;
    enum walk_status st = page_walk(&r, va, WALK_READ, gmem_pte_reader, 0, &w);
    if (st != WALK_OK) {
        stub_printf(s, "0x%lx: %s (cpu %u, cr3 0x%lx)\n", (unsigned long)va, walk_status_name(st), v->index,
                    (unsigned long)r.cr3);
        return TARGET_EFAULT;
    }
    stub_printf(s, "0x%lx -> phys 0x%lx (page %lu KiB) %s %s %s (cpu %u, cr3 0x%lx)\n", (unsigned long)va,
                (unsigned long)w.gpa, (unsigned long)(w.page_size >> 10), w.writable ? "W" : "RO",
                w.user ? "U" : "S", w.nx ? "NX" : "X", v->index, (unsigned long)r.cr3);
    return 0;
}

static int cmd_regs(struct stub *s, void *t, const char *args)
{
    (void)t;
    struct vcpu *v = arg_cpu_or_current(s, &args);
    if (!v)
        return TARGET_EINVAL;
    arch_dbg_print_state(v, print_line, s);
    return 0;
}

static int cmd_exits(struct stub *s, void *t, const char *args)
{
    (void)t;
    struct vcpu *v = arg_cpu_or_current(s, &args);
    if (!v)
        return TARGET_EINVAL;
    arch_dbg_print_exits(v, print_line, s);
    return 0;
}

static int cmd_step_irqs(struct stub *s, void *t, const char *args)
{
    (void)t;
    bool on;
    switch (cmd_arg_on_off(args, &on)) {
    case ARG_OK:
        dbg_step_irqs = on;
        break;
    case ARG_NONE:
        break;
    default:
        stub_printf(s, "usage: step-irqs on|off\n");
        return TARGET_EINVAL;
    }
    stub_printf(s, "interrupts during a step: %s\n", dbg_step_irqs ? "delivered" : "held back");
    return 0;
}

static int cmd_log(struct stub *s, void *t, const char *args)
{
    (void)t;
    static char text[LOG_RING_SIZE];
    uint64_t tail = 4096;
    if (!stub_arg_end(args) && (!stub_arg_number(&args, &tail) || !stub_arg_end(args))) {
        stub_printf(s, "usage: log [BYTES]  (the last BYTES of the monitor's log, default 4096)\n");
        return TARGET_EINVAL;
    }
    size_t n = log_read(text, sizeof text);
    size_t from = n > tail ? n - (size_t)tail : 0;
    for (size_t i = from; i < n; i++)
        stub_printf(s, "%c", text[i]);
    return 0;
}

static int cmd_guest_cpus(struct stub *s, void *t, const char *args)
{
    (void)t;
    uint64_t addr;
    if (stub_arg_end(args)) {
        stub_printf(s, "guest cpus[] at 0x%lx%s\n", (unsigned long)guest_info_cpus(),
                    guest_info_cpus() ? "" : " (unknown: scripts/husk.gdb sends it)");
        return 0;
    }
    if (!stub_arg_number(&args, &addr) || !stub_arg_end(args)) {
        stub_printf(s, "usage: guest-cpus ADDR  (the guest's `cpus` symbol)\n");
        return TARGET_EINVAL;
    }
    guest_info_set_cpus(addr);
    stub_printf(s, "guest cpus[] at 0x%lx\n", (unsigned long)addr);
    return 0;
}

static int cmd_link(struct stub *s, void *t, const char *args)
{
    (void)t;
    (void)args;
    char line[192];
    link_describe(line, sizeof line);
    stub_printf(s, "%s\n", line);
    return 0;
}

const struct stub_command husk_commands[] = {
    { "cpus", "list CPUs: state, ring, mode, what runs there", cmd_cpus },
    { "pin", "pin CPU|off: continue runs only that CPU; the others stay parked", cmd_pin },
    { "catch", "catch VECTOR|#GP|#PF|...|off: stop on an exception before the guest gets it", cmd_catch },
    { "why", "why [CPU]: the stop reason and the exceptions the CPU took", cmd_why },
    { "vtop", "vtop ADDR [CPU]: translate through the CPU's page tables (W/U/NX)", cmd_vtop },
    { "regs", "regs [CPU]: the VMCB view of a CPU", cmd_regs },
    { "exits", "exits [CPU]: exit counts by reason", cmd_exits },
    { "step-irqs", "step-irqs on|off: let interrupts in during single steps", cmd_step_irqs },
    { "log", "log [BYTES]: the end of the monitor's log", cmd_log },
    { "guest-cpus", "guest-cpus ADDR: where the guest's cpus[] table is (for thread names)", cmd_guest_cpus },
    { "link", "link: the debug link's transport (virtio console or UART) and byte counters", cmd_link },
};
const unsigned husk_command_count = sizeof husk_commands / sizeof husk_commands[0];
