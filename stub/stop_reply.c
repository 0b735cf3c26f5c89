/*
 * stub/stop_reply.c - T packets. Besides the signal and thread they carry
 * the expedited registers (so the client needs no `g` to show where it
 * stopped), the watchpoint address, swbreak/hwbreak once negotiated, and
 * LLDB's reason:/description:/threads:/thread-pcs: keys. GDB skips keys it
 * does not know, as long as they do not look like register numbers.
 */
#include "stub_internal.h"

#include "libc.h"

static const char *const watch_keys[] = {
    [POINT_WATCH_WRITE] = "watch",
    [POINT_WATCH_READ] = "rwatch",
    [POINT_WATCH_ACCESS] = "awatch",
};

static const char *const reason_names[] = {
    [STOP_SIGNAL] = "signal",
    [STOP_SW_BREAK] = "breakpoint",
    [STOP_HW_BREAK] = "breakpoint",
    [STOP_WATCH] = "watchpoint",
    [STOP_STEP] = "trace",
    [STOP_EXCEPTION] = "exception",
};

static const char *const vector_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
    "invalid opcode", "device not available", "double fault", NULL,
    "invalid TSS", "segment not present", "stack fault", "general protection",
    "page fault", NULL, "x87 error", "alignment check", "machine check",
    "SIMD exception", "virtualization exception", "control protection",
};

bool rsp_read_pc(struct stub *s, int thread, uint64_t *pc)
{
    const struct target_desc *d = s->ops->desc;
    uint8_t buf[8] = { 0 };

    if (!d || d->pc_regnum < 0 || (size_t)d->pc_regnum >= d->nregs || !s->ops->read_reg)
        return false;
    unsigned size = d->regs[d->pc_regnum].size;
    if (size > sizeof buf || s->ops->read_reg(s->target, thread, d->pc_regnum, buf) < 0)
        return false;
    uint64_t v = 0;
    for (unsigned i = size; i-- > 0;)
        v = v << 8 | buf[i];     /* target byte order is little-endian */
    *pc = v;
    return true;
}

static void expedite_registers(struct stub *s, int thread)
{
    const struct target_desc *d = s->ops->desc;
    uint8_t buf[64];

    if (!d || !s->ops->read_reg)
        return;
    for (size_t i = 0; i < d->nexpedite; i++) {
        unsigned r = d->expedite[i];
        if (r >= d->nregs || d->regs[r].size > sizeof buf)
            continue;
        if (s->ops->read_reg(s->target, thread, (int)r, buf) < 0)
            continue;
        rsp_resp_hex_u64(s, r);
        rsp_resp_char(s, ':');
        rsp_resp_hex_bytes(s, buf, d->regs[r].size);
        rsp_resp_char(s, ';');
    }
}

static void list_threads(struct stub *s)
{
    int n = rsp_thread_count(s);

    rsp_resp_str(s, "threads:");
    for (int t = 1; t <= n; t++) {
        if (t > 1)
            rsp_resp_char(s, ',');
        rsp_resp_hex_u64(s, (uint64_t)t);
    }
    rsp_resp_str(s, ";thread-pcs:");
    for (int t = 1; t <= n; t++) {
        uint64_t pc = 0;
        if (t > 1)
            rsp_resp_char(s, ',');
        rsp_read_pc(s, t, &pc);
        rsp_resp_hex_u64(s, pc);
    }
    rsp_resp_char(s, ';');
}

static void describe(struct stub *s, const struct stop_event *ev)
{
    char text[96];

    if (ev->reason == STOP_WATCH) {
        /* LLDB reads "ADDRESS INDEX" in decimal for watchpoints. */
        stub_format(text, sizeof text, "%llu %u", (unsigned long long)ev->data_addr,
                    ev->hw_index);
    } else if (ev->description) {
        stub_format(text, sizeof text, "%s", ev->description);
    } else if (ev->reason == STOP_EXCEPTION) {
        const char *name = ev->vector < 32 ? vector_names[ev->vector] : NULL;
        stub_format(text, sizeof text, "exception %u (%s)", ev->vector,
                    name ? name : "reserved");
    } else {
        return;
    }
    rsp_resp_str(s, "description:");
    rsp_resp_hex_str(s, text);
    rsp_resp_char(s, ';');
}

void rsp_build_stop_reply(struct stub *s, const struct stop_event *ev)
{
    rsp_resp_reset(s);
    if (ev->reason == STOP_EXITED) {
        rsp_resp_char(s, 'W');
        rsp_resp_hex_u8(s, (unsigned)ev->exit_code & 0xff);
        return;
    }
    int signal = ev->signal;
    if (signal == 0 && ev->reason != STOP_SIGNAL)
        signal = GDB_SIGTRAP;
    rsp_resp_char(s, 'T');
    rsp_resp_hex_u8(s, (unsigned)signal & 0xff);
    expedite_registers(s, ev->thread);
    rsp_resp_str(s, "thread:");
    rsp_resp_hex_u64(s, (uint64_t)ev->thread);
    rsp_resp_str(s, ";core:");
    rsp_resp_hex_u64(s, (uint64_t)rsp_thread_core(s, ev->thread));
    rsp_resp_char(s, ';');

    if (ev->reason == STOP_WATCH && ev->watch_kind >= POINT_WATCH_WRITE &&
        ev->watch_kind <= POINT_WATCH_ACCESS) {
        rsp_resp_str(s, watch_keys[ev->watch_kind]);
        rsp_resp_char(s, ':');
        rsp_resp_hex_u64(s, ev->data_addr);
        rsp_resp_char(s, ';');
    } else if (ev->reason == STOP_SW_BREAK && s->client_swbreak) {
        rsp_resp_str(s, "swbreak:;");
    } else if (ev->reason == STOP_HW_BREAK && s->client_hwbreak) {
        rsp_resp_str(s, "hwbreak:;");
    }
    if (s->list_threads)
        list_threads(s);
    /* A thread that merely stopped along with another one has no reason. */
    if (signal != 0 && (unsigned)ev->reason < sizeof reason_names / sizeof reason_names[0]) {
        rsp_resp_str(s, "reason:");
        rsp_resp_str(s, reason_names[ev->reason]);
        rsp_resp_char(s, ';');
        describe(s, ev);
    }
}

void rsp_send_stop_reply(struct stub *s, const struct stop_event *ev)
{
    rsp_build_stop_reply(s, ev);
    if (s->resp_overflow)
        rsp_resp_error(s, 0x01, "stop reply too large");
    rsp_send_packet(s, s->resp, s->resp_len);
}

enum reply rsp_h_stop_reason(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    if (s->target_running && s->ops->interrupt) {
        /* A client connecting to a running target: stop it first. */
        s->reply_pending = true;
        s->ops->interrupt(s->target);
        return REPLY_NONE;
    }
    rsp_build_stop_reply(s, &s->last_stop);
    return REPLY_SEND;
}
