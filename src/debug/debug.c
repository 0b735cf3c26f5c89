/* The debug engine's entry points for the vCPU loop and the exit handlers. */
#include "debugger.h"

#include "allstop.h"
#include "arch.h"
#include "arch_debug.h"
#include "catch.h"
#include "exit_path.h"
#include "lib/string.h"
#include "link.h"
#include "log.h"
#include "mbinfo.h"
#include "session.h"
#include "swbp.h"
#include "target_ops.h"
#include "vcpu.h"

/* Copies `line` without the word `word`; returns whether it was there. */
static bool take_word(const char *line, const char *word, char *out, size_t cap)
{
    size_t wl = strlen(word), n = 0;
    bool found = false;
    for (const char *p = line; *p;) {
        const char *start = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - start);
        if (len == wl && memcmp(start, word, wl) == 0) {
            found = true;
        } else if (len && n + len + 1 < cap) {
            if (n)
                out[n++] = ' ';
            memcpy(out + n, start, len);
            n += len;
        }
        while (*p == ' ')
            p++;
    }
    if (cap)
        out[n < cap ? n : cap - 1] = 0;
    return found;
}

const char *debug_init(const char *guest_cmdline)
{
    static char cmdline[MBINFO_CMD_MAX];
    husk_target_ops.desc = arch_target_desc();
    husk_target_ops.ncommands = husk_command_count;
    bool hold = take_word(guest_cmdline ? guest_cmdline : "", DEBUG_WAIT_WORD, cmdline, sizeof cmdline);
    session_init(hold);
    arch_dbg_tick_start();
    /* input while the guest runs interrupts the boot CPU, the first to run it */
    link_route_input_to(arch_cpu_index());
    if (hold) {
        log_console("holding the guest before its first instruction until a debugger resumes it (%s)",
                    DEBUG_WAIT_WORD);
        allstop_hold_at_boot();
    }
    return cmdline;
}

/* Link polling while the guest runs. Where input interrupts a CPU that
 * runs the guest (an NMI from virtio's MSI-X vector or the UART's IRQ,
 * link_input_interrupts_guest), that CPU's first exit after an NMI polls,
 * and any exit does at most every LINK_IDLE_POLL_US in case the NMI's CPU
 * has stopped running the guest since; otherwise (a virtio console without
 * MSI-X) any exit polls, at most every LINK_POLL_US:
 * well under a human's notice, well over an exit's cost. The debugger's
 * tick (64 Hz) bounds the gap when the guest makes no exits of its own.
 * A poll is a device access and more pages for the exit to touch
 * (docs/benchmarks.md, "What an exit costs"). */
#define LINK_POLL_US 200
#define LINK_IDLE_POLL_US 20000

static bool in_guest(const struct vcpu *v)
{
    return __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_RUNNING;
}

static bool link_poll_due(struct vcpu *v, uint64_t now, uint64_t last_poll_us)
{
    if (!in_guest(v) || allstop_active())
        return true;
    if (!link_input_interrupts_guest())
        return now - last_poll_us >= LINK_POLL_US;
    struct dbg_cpu *d = &dbg_cpus[v->index];
    unsigned nmis = arch_nmi_count();
    if (nmis != d->nmis_polled) {
        d->nmis_polled = nmis;
        return true;
    }
    return now - last_poll_us >= LINK_IDLE_POLL_US;
}

static void end_step(struct vcpu *v)
{
    struct dbg_cpu *d = &dbg_cpus[v->index];
    if (d->stepping) {
        arch_dbg_step_disarm(v);
        d->stepping = false;
    }
}

EXIT_PATH void debug_poll(struct vcpu *v)
{
    struct dbg_cpu *d = &dbg_cpus[v->index];
    if (in_guest(v) && d->stepping) {
        d->step_exits++;
        if (arch_dbg_step_done_by_exit(v)) {
            struct stop_event ev = { .reason = STOP_STEP, .signal = 5 };
            debug_report(v, &ev);
        }
    }
    static volatile uint64_t last_poll_us;
    uint64_t now = arch_time_us();
    if (link_poll_due(v, now, last_poll_us)) {
        last_poll_us = now;
        session_drive(v);
    }
    if (in_guest(v) && allstop_active())
        allstop_park(v);
}

void debug_before_entry(struct vcpu *v)
{
    session_drive(v);
    if (in_guest(v) && allstop_active())
        allstop_park(v);
    allstop_sync_clock(v);
    /* a CPU the guest starts late gets the catchpoints set meanwhile */
    if (!dbg_cpus[v->index].stepping)
        arch_dbg_apply_catch(v, catch_mask());
}

EXIT_PATH bool debug_holds_machine(void)
{
    return allstop_active();
}

bool debug_report(struct vcpu *v, const struct stop_event *ev)
{
    struct stop_event e = *ev;
    e.thread = (int)v->index + 1;
    end_step(v);
    return allstop_request(&e);
}

EXIT_PATH bool debug_stepping(struct vcpu *v)
{
    return dbg_cpus[v->index].stepping;
}

EXIT_PATH bool debug_events_held(struct vcpu *v)
{
    return dbg_cpus[v->index].stepping && !dbg_step_irqs;
}

uint32_t debug_catch_mask(void)
{
    return catch_mask();
}

bool debug_swbp_owns(uint64_t gpa)
{
    return swbp_owns(gpa);
}

int debug_signal_for_vector(unsigned vector)
{
    return catch_signal(vector);
}

bool debug_triple_fault(struct vcpu *v)
{
    if (!debug_attached())
        return false;
    dbg_cpus[v->index].dead = true;
    struct stop_event ev = { .reason = STOP_EXCEPTION, .vector = 8, .signal = 11,
                             .description = "triple fault: this CPU cannot run on (monitor why)" };
    strlcpy(v->stop_reason, "triple fault (SHUTDOWN): the state is the first fault's", sizeof v->stop_reason);
    debug_report(v, &ev);
    return true;
}
