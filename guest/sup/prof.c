#include "prof.h"
#include "console.h"
#include "lapic.h"
#include "run.h"
#include "shard.h"
#include "../lib/fmt.h"

static const char *const state_names[] = {
    [SHARD_FREE] = "free", [SHARD_READY] = "ready", [SHARD_RUNNING] = "running",
    [SHARD_SLEEPING] = "sleeping", [SHARD_DONE] = "done", [SHARD_KILLED] = "killed",
    [SHARD_STOPPED] = "stopped",
};

/* Column names of the per-syscall counts, by number. */
static const char *const syscall_columns[SYS_COUNT] = {
    [SYS_SERIAL_WRITE] = "sys_write", [SYS_EXIT] = "sys_exit", [SYS_YIELD] = "sys_yield",
    [SYS_MMAP] = "sys_mmap", [SYS_GETID] = "sys_getid", [SYS_SLEEP_TICKS] = "sys_sleep",
    [SYS_TICKS] = "sys_ticks",
};

void prof_print_table(void)
{
    kprintf("profile: begin ticks=%u/s cycles=tsc\n", TICK_HZ);
    char head[256];
    int n = 0;
    n += fmt_snprintf(head + n, sizeof head - (size_t)n,
                      "profile: %-12s %3s %-8s %-6s %5s %5s %8s %8s %7s %12s %8s %10s",
                      "shard", "id", "state", "result", "exit", "cpus", "switches",
                      "preempts", "ticks", "cycles", "syscalls", "avg_cycles");
    for (int i = 0; i < SYS_COUNT; i++)
        n += fmt_snprintf(head + n, sizeof head - (size_t)n, " %9s", syscall_columns[i]);
    kprintf("%s\n", head);
    for (unsigned i = 0; i < shard_count; i++) {
        const struct shard *s = &shards[i];
        const struct shard_prof *p = &s->prof;
        uint64_t calls = 0, cycles = 0;
        for (int k = 0; k < SYS_COUNT; k++) {
            calls += p->syscalls[k];
            cycles += p->cycles[k];
        }
        uint64_t ticks = p->started && p->end_tick >= p->first_tick ? p->end_tick - p->first_tick : 0;
        uint64_t wall = p->started && p->end_tsc >= p->first_tsc ? p->end_tsc - p->first_tsc : 0;
        char line[256];
        n = fmt_snprintf(line, sizeof line,
                         "profile: %-12s %3u %-8s %-6s %5ld %5x %8lu %8lu %7lu %12lu %8lu %10lu",
                         s->name, s->id, s->state < 7 ? state_names[s->state] : "?",
                         shard_passed(s) ? "pass" : "FAIL",
                         s->state == SHARD_STOPPED ? 0L : (long)s->exit_code, p->cpu_mask,
                         (unsigned long)p->switches, (unsigned long)p->preemptions,
                         (unsigned long)ticks, (unsigned long)wall, (unsigned long)calls,
                         (unsigned long)(calls ? cycles / calls : 0));
        for (int k = 0; k < SYS_COUNT; k++)
            n += fmt_snprintf(line + n, sizeof line - (size_t)n, " %9lu", (unsigned long)p->syscalls[k]);
        kprintf("%s\n", line);
    }
    kprintf("profile: end\n");
}
