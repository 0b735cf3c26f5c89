/*
 * stub/threads.c - threads are CPUs, ids 1..n. Thread selection (H), the
 * thread list (qfThreadInfo, qXfer:threads:read) and per-thread queries.
 */
#include "stub_internal.h"

#include "libc.h"

int rsp_thread_count(const struct stub *s)
{
    int n = s->ops->thread_count ? s->ops->thread_count(s->target) : 1;
    if (n < 1)
        n = 1;
    if (n > STUB_MAX_THREADS)
        n = STUB_MAX_THREADS;
    return n;
}

bool rsp_thread_valid(const struct stub *s, int thread)
{
    return thread >= 1 && thread <= rsp_thread_count(s);
}

int rsp_current_thread(const struct stub *s)
{
    return rsp_thread_valid(s, s->last_stop.thread) ? s->last_stop.thread : 1;
}

int rsp_register_thread(const struct stub *s)
{
    if (s->suffix_thread > 0)
        return s->suffix_thread;
    if (s->g_thread > 0)
        return s->g_thread;
    return rsp_current_thread(s);
}

int rsp_thread_core(const struct stub *s, int thread)
{
    return s->ops->thread_core ? s->ops->thread_core(s->target, thread) : thread - 1;
}

/* Hg (registers, memory) or Hc (c/s). 0 means any thread, -1 all. */
enum reply rsp_h_set_thread(struct stub *s, const char *a, size_t n)
{
    const char *end = a + n;
    int thread;

    if (n < 2 || (a[0] != 'g' && a[0] != 'c')) {
        rsp_resp_error(s, 0x22, "H needs g or c");
        return REPLY_SEND;
    }
    char which = a[0];
    a++;
    if (!rsp_parse_thread(&a, end, &thread) || a != end) {
        rsp_resp_error(s, 0x22, "bad thread id");
        return REPLY_SEND;
    }
    if (thread > 0 && !rsp_thread_valid(s, thread)) {
        rsp_resp_error(s, 0x22, "no such thread");
        return REPLY_SEND;
    }
    if (which == 'g') {
        if (thread < 0) {
            rsp_resp_error(s, 0x22, "Hg needs one thread");
            return REPLY_SEND;
        }
        s->g_thread = thread;
    } else {
        s->c_thread = thread;
    }
    rsp_resp_ok(s);
    return REPLY_SEND;
}

enum reply rsp_h_thread_alive(struct stub *s, const char *a, size_t n)
{
    int thread;
    const char *end = a + n;

    if (rsp_parse_thread(&a, end, &thread) && a == end && rsp_thread_valid(s, thread))
        rsp_resp_ok(s);
    else
        rsp_resp_error(s, 0x01, "no such thread");
    return REPLY_SEND;
}

enum reply rsp_h_current_thread(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    rsp_resp_str(s, "QC");
    rsp_resp_hex_u64(s, (uint64_t)rsp_current_thread(s));
    return REPLY_SEND;
}

/* The whole list fits in one reply: up to 64 ids. */
enum reply rsp_h_thread_first(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    rsp_resp_char(s, 'm');
    for (int t = 1; t <= rsp_thread_count(s); t++) {
        if (t > 1)
            rsp_resp_char(s, ',');
        rsp_resp_hex_u64(s, (uint64_t)t);
    }
    return REPLY_SEND;
}

enum reply rsp_h_thread_next(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    rsp_resp_char(s, 'l');
    return REPLY_SEND;
}

static size_t extra_info(struct stub *s, int thread, char *buf, size_t cap)
{
    if (s->ops->thread_extra_info) {
        size_t len = s->ops->thread_extra_info(s->target, thread, buf, cap);
        if (len >= cap)
            len = cap - 1;
        buf[len] = '\0';
        return len;
    }
    return stub_format(buf, cap, "CPU %d", rsp_thread_core(s, thread));
}

enum reply rsp_h_thread_extra(struct stub *s, const char *a, size_t n)
{
    const char *end = a + n;
    int thread;
    char text[128];

    if (!rsp_parse_thread(&a, end, &thread) || a != end || !rsp_thread_valid(s, thread)) {
        rsp_resp_error(s, 0x22, "no such thread");
        return REPLY_SEND;
    }
    extra_info(s, thread, text, sizeof text);
    rsp_resp_hex_str(s, text);
    return REPLY_SEND;
}

/* Serve `len` bytes of `doc` from `offset` as qXfer wants: m... or l... */
static void xfer_slice(struct stub *s, const char *doc, size_t doc_len,
                       uint64_t offset, uint64_t len)
{
    if (offset >= doc_len) {
        rsp_resp_char(s, 'l');
        return;
    }
    /* One byte for the m/l marker; escaping happens when framing. */
    uint64_t room = sizeof s->resp - 1;
    if (len > room)
        len = room;
    uint64_t left = doc_len - offset;
    bool last = left <= len;
    if (!last)
        left = len;
    rsp_resp_char(s, last ? 'l' : 'm');
    rsp_resp_bytes(s, doc + offset, (size_t)left);
}

/* "OFFSET,LENGTH" at the end of a qXfer read. */
static bool parse_xfer_range(const char *a, const char *end, uint64_t *off, uint64_t *len)
{
    if (!rsp_parse_hex(&a, end, off) || a >= end || *a++ != ',')
        return false;
    return rsp_parse_hex(&a, end, len) && a == end;
}

enum reply rsp_h_xfer_features(struct stub *s, const char *a, size_t n)
{
    const char *end = a + n;
    const char *colon = stub_find_byte(a, ':', n);
    const struct target_desc *d = s->ops->desc;
    uint64_t off, len;

    if (!colon || !parse_xfer_range(colon + 1, end, &off, &len)) {
        rsp_resp_error(s, 0x22, "bad qXfer request");
        return REPLY_SEND;
    }
    size_t annex_len = (size_t)(colon - a);
    for (size_t i = 0; d && i < d->nxml; i++) {
        const struct target_xml *x = &d->xml[i];
        if (strlen(x->annex) == annex_len && memcmp(x->annex, a, annex_len) == 0) {
            xfer_slice(s, x->text, x->len, off, len);
            return REPLY_SEND;
        }
    }
    rsp_resp_error(s, 0x00, "no such annex");
    return REPLY_SEND;
}

/* Target text inside an XML element: <, > and & become entities. */
static void xml_escape(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; *in && n + 6 < cap; in++) {
        const char *e = *in == '<' ? "&lt;" : *in == '>' ? "&gt;" : *in == '&' ? "&amp;" : NULL;
        if (e) {
            memcpy(out + n, e, strlen(e));
            n += strlen(e);
        } else {
            out[n++] = *in;
        }
    }
    out[n] = '\0';
}

enum reply rsp_h_xfer_threads(struct stub *s, const char *a, size_t n)
{
    uint64_t off, len;
    size_t used = 0;
    char *doc = s->scratch;
    const size_t cap = sizeof s->scratch;

    if (!parse_xfer_range(a, a + n, &off, &len)) {
        rsp_resp_error(s, 0x22, "bad qXfer request");
        return REPLY_SEND;
    }
    /* GDB asks for this document after every stop, a `stepi` included
     * (update_thread_list in its normal_stop), so every byte is paid per
     * step on a slow link: no XML declaration and no newlines, which
     * GDB's parser does not need. */
    used += stub_format(doc + used, cap - used, "<threads>");
    for (int t = 1; t <= rsp_thread_count(s) && used < cap; t++) {
        char raw[128], text[128 * 6];
        extra_info(s, t, raw, sizeof raw);
        xml_escape(raw, text, sizeof text);
        used += stub_format(doc + used, cap - used,
                            "<thread id=\"%x\" core=\"%d\" name=\"cpu%d\">%s</thread>",
                            t, rsp_thread_core(s, t), rsp_thread_core(s, t), text);
    }
    if (used < cap)
        used += stub_format(doc + used, cap - used, "</threads>");
    if (used >= cap) {
        rsp_resp_error(s, 0x01, "thread list too long");
        return REPLY_SEND;
    }
    xfer_slice(s, doc, used, off, len);
    return REPLY_SEND;
}

enum reply rsp_h_thread_stop_info(struct stub *s, const char *a, size_t n)
{
    const char *end = a + n;
    int thread;

    if (!rsp_parse_thread(&a, end, &thread) || a != end || !rsp_thread_valid(s, thread)) {
        rsp_resp_error(s, 0x22, "no such thread");
        return REPLY_SEND;
    }
    if (thread == rsp_current_thread(s)) {
        rsp_build_stop_reply(s, &s->last_stop);
    } else {
        /* Stopped only because another thread stopped: no reason. */
        struct stop_event ev = { .thread = thread, .reason = STOP_SIGNAL, .signal = 0 };
        rsp_build_stop_reply(s, &ev);
    }
    return REPLY_SEND;
}
