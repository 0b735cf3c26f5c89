/*
 * stub/run.c - run control in all-stop mode: c/s/C/S, vCont with one action
 * per thread, detach and kill. A resume sends no reply; the stop reply goes
 * out when the target calls stub_report_stop().
 */
#include "stub_internal.h"

#include "libc.h"

void rsp_start_resume(struct stub *s, const struct resume_action *actions)
{
    s->target_running = true;
    s->reply_pending = true;
    int st = s->ops->resume ? s->ops->resume(s->target, actions, rsp_thread_count(s))
                            : TARGET_UNSUPPORTED;
    if (st < 0 && s->target_running) {
        /* The target refused and is still stopped where it was: say so
         * instead of inventing a stop. */
        s->target_running = false;
        s->reply_pending = false;
        rsp_resp_status(s, st == TARGET_UNSUPPORTED ? TARGET_ERR : st);
        rsp_send_packet(s, s->resp, s->resp_len);
    }
}

/* The thread c/s act on: Hc's choice, or the one that last stopped. */
static int control_thread(const struct stub *s)
{
    return s->c_thread > 0 ? s->c_thread : rsp_current_thread(s);
}

static bool set_pc(struct stub *s, int thread, uint64_t pc)
{
    const struct target_desc *d = s->ops->desc;
    uint8_t buf[8];

    if (!d || d->pc_regnum < 0 || !s->ops->write_reg ||
        d->regs[d->pc_regnum].size > sizeof buf)
        return false;
    for (unsigned i = 0; i < d->regs[d->pc_regnum].size; i++)
        buf[i] = (uint8_t)(pc >> (8 * i));
    return s->ops->write_reg(s->target, thread, d->pc_regnum, buf) >= 0;
}

/*
 * Shared by c, s, C and S: optional "SIG" (C/S) and ";ADDR" or "ADDR".
 * Continue releases every thread; step moves only the control thread.
 */
static enum reply resume_simple(struct stub *s, const char *a, size_t n,
                                bool step, bool with_signal)
{
    const char *end = a + n;
    uint64_t sig = 0, addr;
    struct resume_action actions[STUB_MAX_THREADS];
    int thread = control_thread(s);

    if (with_signal) {
        if (!rsp_parse_hex(&a, end, &sig) || sig > 0xff) {
            rsp_resp_error(s, 0x22, "bad signal");
            return REPLY_SEND;
        }
        if (a < end && *a++ != ';') {
            rsp_resp_error(s, 0x22, "bad resume packet");
            return REPLY_SEND;
        }
    }
    if (a < end) {
        if (!rsp_parse_hex(&a, end, &addr) || a != end) {
            rsp_resp_error(s, 0x22, "bad resume address");
            return REPLY_SEND;
        }
        if (!set_pc(s, thread, addr)) {
            rsp_resp_error(s, 0x01, "cannot set pc");
            return REPLY_SEND;
        }
    }
    for (int t = 1; t <= rsp_thread_count(s); t++) {
        actions[t - 1].kind = step ? (t == thread ? RESUME_STEP : RESUME_STOP) : RESUME_CONTINUE;
        actions[t - 1].signal = t == thread ? (int)sig : 0;
    }
    rsp_start_resume(s, actions);
    return REPLY_NONE;
}

enum reply rsp_h_continue(struct stub *s, const char *a, size_t n)
{
    return resume_simple(s, a, n, false, false);
}

enum reply rsp_h_step(struct stub *s, const char *a, size_t n)
{
    return resume_simple(s, a, n, true, false);
}

enum reply rsp_h_continue_sig(struct stub *s, const char *a, size_t n)
{
    return resume_simple(s, a, n, false, true);
}

enum reply rsp_h_step_sig(struct stub *s, const char *a, size_t n)
{
    return resume_simple(s, a, n, true, true);
}

enum reply rsp_h_vcont_query(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    rsp_resp_str(s, "vCont;c;C;s;S;t");
    return REPLY_SEND;
}

/*
 * vCont;ACTION[:TID];ACTION[:TID]... The first action that names a thread
 * wins for that thread; an action without a thread applies to the rest;
 * threads left with no action stay stopped (all-stop).
 */
enum reply rsp_h_vcont(struct stub *s, const char *a, size_t n)
{
    const char *end = a + n;
    struct resume_action actions[STUB_MAX_THREADS];
    bool set[STUB_MAX_THREADS] = { false };
    int count = rsp_thread_count(s);

    memset(actions, 0, sizeof actions);
    while (a < end) {
        struct resume_action act = { RESUME_STOP, 0 };
        char op = *a++;
        uint64_t sig = 0;
        switch (op) {
        case 'c': act.kind = RESUME_CONTINUE; break;
        case 's': act.kind = RESUME_STEP; break;
        case 'C': act.kind = RESUME_CONTINUE; break;
        case 'S': act.kind = RESUME_STEP; break;
        case 't': act.kind = RESUME_STOP; break;
        default:
            rsp_resp_error(s, 0x22, "unknown vCont action");
            return REPLY_SEND;
        }
        if (op == 'C' || op == 'S') {
            if (!rsp_parse_hex(&a, end, &sig) || sig > 0xff) {
                rsp_resp_error(s, 0x22, "bad vCont signal");
                return REPLY_SEND;
            }
            act.signal = (int)sig;
        }
        int thread = -1;
        if (a < end && *a == ':') {
            a++;
            if (!rsp_parse_thread(&a, end, &thread) || thread == 0 ||
                (thread > 0 && !rsp_thread_valid(s, thread))) {
                rsp_resp_error(s, 0x22, "bad vCont thread");
                return REPLY_SEND;
            }
        }
        if (a < end && *a++ != ';') {
            rsp_resp_error(s, 0x22, "bad vCont packet");
            return REPLY_SEND;
        }
        for (int t = 1; t <= count; t++) {
            if ((thread == -1 || thread == t) && !set[t - 1]) {
                actions[t - 1] = act;
                set[t - 1] = true;
            }
        }
    }
    if (n == 0) {
        rsp_resp_error(s, 0x22, "vCont without actions");
        return REPLY_SEND;
    }
    bool any = false;
    for (int t = 0; t < count; t++)
        any |= actions[t].kind != RESUME_STOP;
    if (!any) {
        /* Nothing to run: the target stays stopped, say so at once. */
        rsp_build_stop_reply(s, &s->last_stop);
        return REPLY_SEND;
    }
    rsp_start_resume(s, actions);
    return REPLY_NONE;
}

/* What D leaves, and k where the target cannot be killed: every point
 * removed, the target's detach hook run, `reply` sent, every thread
 * running. The reply goes out before the resume so that a stop reported
 * from inside it cannot overtake it. */
static enum reply detach_and_resume(struct stub *s, const char *reply)
{
    struct resume_action actions[STUB_MAX_THREADS];

    rsp_points_remove_all(s);
    if (s->ops->detach)
        s->ops->detach(s->target);
    rsp_resp_str(s, reply);
    rsp_send_packet(s, s->resp, s->resp_len);
    for (int t = 0; t < rsp_thread_count(s); t++)
        actions[t] = (struct resume_action){ RESUME_CONTINUE, 0 };
    if (!s->target_running && s->ops->resume) {
        s->target_running = true;
        if (s->ops->resume(s->target, actions, rsp_thread_count(s)) < 0)
            s->target_running = false;
    }
    s->reply_pending = false;
    return REPLY_NONE;
}

/* D: leave the machine running with none of our breakpoints in it. */
enum reply rsp_h_detach(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    return detach_and_resume(s, "OK");
}

/*
 * Kill. A target with a kill hook decides what that means (the demo resets
 * itself) and stays stopped. A target without one is a machine that cannot
 * be killed, like a bare-metal kernel under the monitor: kill then detaches
 * and the machine runs on, which is what GDB's `kill` means on a bare-metal
 * target and what `lldb --batch` ending on an error should leave.
 */
static enum reply kill_target(struct stub *s, const char *reply)
{
    if (!s->ops->kill)
        return detach_and_resume(s, reply);
    rsp_points_remove_all(s);
    s->ops->kill(s->target);
    s->reply_pending = false;
    s->target_running = false;
    rsp_resp_str(s, reply);
    return REPLY_SEND;
}

/* GDB expects no reply to k (and uses vKill when it can); LLDB waits for
 * the exit, so say "killed by signal 9" - harmless to a GDB that has
 * already hung up. */
enum reply rsp_h_kill(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    return kill_target(s, "X09");
}

enum reply rsp_h_vkill(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    return kill_target(s, "OK");
}
