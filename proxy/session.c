/* The RSP session with the monitor. See session.h. */
#include "session.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Packets that set state in the stub, and the state a fresh stub has. */
static const struct { const char *prefix; const char *initial; } selectors[SEL_COUNT] = {
    [SEL_HG] = { "Hg", "0" },
    [SEL_HC] = { "Hc", "0" },
    [SEL_PHYS] = { "Qqemu.PhyMemMode:", "0" },
};

#define DEFAULT_PACKET_SIZE 4096
#define DEFAULT_TIMEOUT_MS 10000

void session_init(struct session *s, const struct session_hooks *hooks, void *ctx)
{
    struct link keep = s->link;
    memset(s, 0, sizeof *s);
    s->link = keep;
    s->link.fd = -1;
    s->hooks = hooks;
    s->hooks_ctx = ctx;
    s->timeout_ms = DEFAULT_TIMEOUT_MS;
    s->packet_size = DEFAULT_PACKET_SIZE;
    s->tx = malloc(rsp_frame_capacity(RSP_MAX_PAYLOAD));
    if (!s->tx)
        abort();
    rsp_decoder_reset(&s->dec);
    regs_default_layout(&s->layout);
    session_reset_side(s, SIDE_GDB);
    session_reset_side(s, SIDE_SHELL);
    session_want(s, SIDE_SHELL, SEL_HC, "");
}

void session_reset_side(struct session *s, enum side side)
{
    for (int i = 0; i < SEL_COUNT; i++)
        snprintf(s->sel_want[side][i], sizeof s->sel_want[side][i], "%s", selectors[i].initial);
}

void session_want(struct session *s, enum side side, enum selector sel, const char *value)
{
    snprintf(s->sel_want[side][sel], sizeof s->sel_want[side][sel], "%s", value);
}

bool session_up(const struct session *s)
{
    return link_up(&s->link);
}

void session_disconnect(struct session *s)
{
    link_close(&s->link);
    s->running = false;
    s->rx_pos = s->rx_len = 0;
    rsp_decoder_reset(&s->dec);
}

static void lost(struct session *s, const char *why)
{
    snprintf(s->err, sizeof s->err, "link to the monitor lost: %s", why);
    session_disconnect(s);
}

static int send_raw(struct session *s, const void *bytes, size_t len)
{
    if (link_write(&s->link, bytes, len)) {
        lost(s, "write failed");
        return -1;
    }
    s->bytes_out += len;
    return 0;
}

static int send_packet(struct session *s, const char *pkt, size_t len)
{
    if (!session_up(s)) {
        snprintf(s->err, sizeof s->err, "link to the monitor is down");
        return -1;
    }
    if (len > RSP_MAX_PAYLOAD) {
        snprintf(s->err, sizeof s->err, "packet too large (%zu bytes)", len);
        return -1;
    }
    s->tx_len = rsp_frame(s->tx, pkt, len);
    if (s->trace)
        fprintf(stderr, "link <- %.*s\n", (int)(len > 200 ? 200 : len), pkt);
    return send_raw(s, s->tx, s->tx_len);
}

/* Next complete packet from the link into s->dec.buf. Returns 1 for a
 * packet, 0 when `timeout_ms` passed in silence, -1 when the link broke. */
static int next_packet(struct session *s, int timeout_ms)
{
    for (;;) {
        while (s->rx_pos < s->rx_len) {
            switch (rsp_feed(&s->dec, s->rx[s->rx_pos++])) {
            case RSP_EV_PACKET:
                if (s->trace)
                    fprintf(stderr, "link -> %.*s\n", (int)(s->dec.len > 20000 ? 20000 : s->dec.len),
                            s->dec.buf);
                if (!s->noack && send_raw(s, "+", 1))
                    return -1;
                return 1;
            case RSP_EV_BADSUM:
            case RSP_EV_OVERFLOW:
                /* In ack mode the stub resends; without acks the packet is
                 * gone and the wait for it will time out with a message. */
                if (!s->noack && send_raw(s, "-", 1))
                    return -1;
                break;
            case RSP_EV_NAK:
                if (s->tx_len && send_raw(s, s->tx, s->tx_len))
                    return -1;
                break;
            default:
                break;
            }
        }
        if (!session_up(s)) {
            snprintf(s->err, sizeof s->err, "link to the monitor is down");
            return -1;
        }
        struct pollfd pfd = { .fd = s->link.fd, .events = POLLIN };
        int r = poll(&pfd, 1, timeout_ms);
        if (r == 0)
            return 0;
        if (r < 0)
            continue;   /* EINTR */
        ssize_t n = link_read(&s->link, s->rx, sizeof s->rx);
        if (n <= 0) {
            lost(s, n == 0 ? "the monitor closed the connection" : "read failed");
            return -1;
        }
        s->bytes_in += (unsigned long long)n;
        s->rx_pos = 0;
        s->rx_len = (size_t)n;
    }
}

static void keep_reply(struct session *s)
{
    memcpy(s->reply, s->dec.buf, s->dec.len + 1);
    s->reply_len = s->dec.len;
}

static void note_stop(struct session *s)
{
    if (rsp_is_stop_reply(s->reply, s->reply_len)) {
        snprintf(s->last_stop, sizeof s->last_stop, "%.*s",
                 (int)sizeof s->last_stop - 1, s->reply);
        s->have_stop = true;
    }
}

/* Requests whose reply is a stop reply. Any other request that gets one
 * got a stop nobody asked for (QEMU's gdbstub sends T02 when a client
 * connects): it is noted, and the real reply is still awaited, so one
 * stray packet cannot shift every reply after it. */
static const char *const stop_queries[] = { "?", "qThreadStopInfo", "vAttach", "vRun" };

static bool expects_stop(const char *pkt, size_t len)
{
    for (size_t i = 0; i < sizeof stop_queries / sizeof stop_queries[0]; i++) {
        size_t n = strlen(stop_queries[i]);
        if (len >= n && strncmp(pkt, stop_queries[i], n) == 0)
            return true;
    }
    return false;
}

/* Waits for the reply to the packet just sent; 'O' packets go to `side`. */
static int await_reply(struct session *s, enum side side, const char *what, bool stop_ok)
{
    for (;;) {
        int r = next_packet(s, s->timeout_ms);
        if (r < 0)
            return -1;
        if (r == 0) {
            snprintf(s->err, sizeof s->err, "no reply to '%.40s' within %d s",
                     what, s->timeout_ms / 1000);
            return -1;
        }
        if (rsp_is_output(s->dec.buf, s->dec.len)) {
            if (s->hooks && s->hooks->output)
                s->hooks->output(s->hooks_ctx, side, s->dec.buf, s->dec.len);
            continue;
        }
        keep_reply(s);
        if (!stop_ok && rsp_is_stop_reply(s->reply, s->reply_len)) {
            note_stop(s);
            continue;
        }
        return 0;
    }
}

/* Sends, without any selector bookkeeping, and waits for the reply. */
static int transact(struct session *s, enum side side, const char *pkt, size_t len)
{
    if (send_packet(s, pkt, len))
        return -1;
    char what[48];
    snprintf(what, sizeof what, "%.*s", (int)(len < 40 ? len : 40), pkt);
    return await_reply(s, side, what, expects_stop(pkt, len));
}

static int selector_of(const char *pkt, size_t len)
{
    for (int i = 0; i < SEL_COUNT; i++) {
        size_t n = strlen(selectors[i].prefix);
        if (len >= n && strncmp(pkt, selectors[i].prefix, n) == 0)
            return i;
    }
    return -1;
}

/* Puts the stub's selectors where `side` expects them. */
static int sync_selectors(struct session *s, enum side side, int except)
{
    for (int i = 0; i < SEL_COUNT; i++) {
        const char *want = s->sel_want[side][i];
        if (i == except || !*want || strcmp(want, s->sel_link[i]) == 0)
            continue;
        char pkt[64];
        int n = snprintf(pkt, sizeof pkt, "%s%s", selectors[i].prefix, want);
        if (transact(s, side, pkt, (size_t)n))
            return -1;
        if (strcmp(s->reply, "OK") != 0) {
            snprintf(s->err, sizeof s->err, "the monitor refused '%s' (%.40s)", pkt,
                     s->reply_len ? s->reply : "not supported");
            /* keep what the stub has, so the next request does not retry */
            memcpy(s->sel_want[side][i], s->sel_link[i], sizeof s->sel_link[i]);
            return -1;
        }
        snprintf(s->sel_link[i], sizeof s->sel_link[i], "%s", want);
    }
    return 0;
}

int session_request(struct session *s, enum side side, const char *pkt, size_t len)
{
    if (s->running) {
        snprintf(s->err, sizeof s->err, "the target is running");
        return -1;
    }
    int sel = selector_of(pkt, len);
    if (sync_selectors(s, side, sel) || transact(s, side, pkt, len))
        return -1;
    if (sel >= 0 && strcmp(s->reply, "OK") == 0) {
        size_t n = strlen(selectors[sel].prefix);
        snprintf(s->sel_link[sel], sizeof s->sel_link[sel], "%.*s", (int)(len - n), pkt + n);
        memcpy(s->sel_want[side][sel], s->sel_link[sel], sizeof s->sel_link[sel]);
    }
    note_stop(s);
    return 0;
}

int session_requestf(struct session *s, enum side side, const char *fmt, ...)
{
    char pkt[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(pkt, sizeof pkt, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof pkt) {
        snprintf(s->err, sizeof s->err, "request too long");
        return -1;
    }
    return session_request(s, side, pkt, (size_t)n);
}

int session_resume(struct session *s, enum side side, const char *pkt, size_t len)
{
    if (s->running) {
        snprintf(s->err, sizeof s->err, "the target is already running");
        return -1;
    }
    if (sync_selectors(s, side, -1) || send_packet(s, pkt, len))
        return -1;
    s->running = true;
    s->run_owner = side;
    return 0;
}

int session_interrupt(struct session *s)
{
    if (!s->running)
        return 0;
    const char byte = RSP_INTERRUPT_BYTE;
    return send_raw(s, &byte, 1);
}

/* One packet that arrived while nothing was awaited. */
static void dispatch_async(struct session *s)
{
    if (rsp_is_output(s->dec.buf, s->dec.len)) {
        if (s->hooks && s->hooks->output)
            s->hooks->output(s->hooks_ctx, s->running ? s->run_owner : SIDE_SHELL,
                             s->dec.buf, s->dec.len);
        return;
    }
    keep_reply(s);
    if (s->running) {
        /* A stop reply, or the error that says the resume was refused. */
        s->running = false;
        note_stop(s);
        if (s->hooks && s->hooks->stopped)
            s->hooks->stopped(s->hooks_ctx, s->run_owner, s->reply, s->reply_len);
        return;
    }
    if (s->hooks && s->hooks->unexpected)
        s->hooks->unexpected(s->hooks_ctx, s->reply, s->reply_len);
}

void session_pump(struct session *s)
{
    int r;
    while ((r = next_packet(s, 0)) > 0) {
        dispatch_async(s);
        if (s->rx_pos >= s->rx_len)
            break;   /* one read per call: the event loop calls again */
    }
}

int session_wait_stop(struct session *s, int timeout_ms)
{
    while (s->running) {
        int r = next_packet(s, timeout_ms);
        if (r < 0)
            return -1;
        if (r == 0) {
            snprintf(s->err, sizeof s->err, "the target did not stop within %d ms", timeout_ms);
            return -1;
        }
        dispatch_async(s);
    }
    return 0;
}
