/*
 * stub/query.c - capability negotiation and the small queries: qSupported,
 * QStartNoAckMode, qAttached, and the LLDB set (qHostInfo, qProcessInfo,
 * QThreadSuffixSupported, QListThreadsInStopReply, QEnableErrorStrings,
 * qWatchpointSupportInfo).
 */
#include "stub_internal.h"

#include "libc.h"

/* Does the ';'-separated feature list contain exactly `feature`? */
static bool offers(const char *list, size_t n, const char *feature)
{
    size_t flen = strlen(feature);
    const char *end = list + n;

    while (list < end) {
        const char *semi = stub_find_byte(list, ';', (size_t)(end - list));
        size_t len = semi ? (size_t)(semi - list) : (size_t)(end - list);
        if (len == flen && memcmp(list, feature, flen) == 0)
            return true;
        list += len + 1;
    }
    return false;
}

enum reply rsp_h_supported(struct stub *s, const char *a, size_t n)
{
    if (n && a[0] == ':') {
        a++;
        n--;
    }
    s->client_swbreak = offers(a, n, "swbreak+");
    s->client_hwbreak = offers(a, n, "hwbreak+");

    rsp_resp_str(s, "PacketSize=");
    rsp_resp_hex_u64(s, STUB_PACKET_SIZE);
    rsp_resp_str(s, ";qXfer:features:read+;qXfer:threads:read+;QStartNoAckMode+"
                ";vContSupported+");
    if (s->client_swbreak)
        rsp_resp_str(s, ";swbreak+");
    if (s->client_hwbreak)
        rsp_resp_str(s, ";hwbreak+");
    return REPLY_SEND;
}

/* The OK still goes out acknowledged-style; from then on no + or -. */
enum reply rsp_h_no_ack(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    rsp_resp_ok(s);
    rsp_send_packet(s, s->resp, s->resp_len);
    s->no_ack = true;
    s->tx_awaiting_ack = false;
    return REPLY_NONE;
}

enum reply rsp_h_attached(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    rsp_resp_char(s, '1');
    return REPLY_SEND;
}

static void resp_triple(struct stub *s)
{
    const struct target_desc *d = s->ops->desc;
    const char *triple = d && d->triple ? d->triple : "unknown-unknown-unknown";

    rsp_resp_str(s, "triple:");
    rsp_resp_hex_str(s, triple);
    /* LLDB reads these counts as decimal. */
    char num[24];
    stub_format(num, sizeof num, ";ptrsize:%u", d && d->ptr_size ? d->ptr_size : 8u);
    rsp_resp_str(s, num);
    rsp_resp_str(s, ";endian:little;");
}

/* x86 data breakpoints trap after the access: LLDB must not re-execute it. */
enum reply rsp_h_host_info(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    resp_triple(s);
    rsp_resp_str(s, "watchpoint_exceptions_received:after;");
    return REPLY_SEND;
}

enum reply rsp_h_process_info(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    rsp_resp_str(s, "pid:1;parent-pid:1;real-uid:0;real-gid:0;effective-uid:0;effective-gid:0;");
    resp_triple(s);
    return REPLY_SEND;
}

enum reply rsp_h_thread_suffix(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    s->thread_suffix = true;
    rsp_resp_ok(s);
    return REPLY_SEND;
}

enum reply rsp_h_list_threads(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    s->list_threads = true;
    rsp_resp_ok(s);
    return REPLY_SEND;
}

enum reply rsp_h_error_strings(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    s->error_strings = true;
    rsp_resp_ok(s);
    return REPLY_SEND;
}

enum reply rsp_h_watch_info(struct stub *s, const char *a, size_t n)
{
    /* "qWatchpointSupportInfo" or "qWatchpointSupportInfo:" */
    if (n > 1 || (n == 1 && a[0] != ':'))
        return REPLY_SEND;
    char text[24];
    stub_format(text, sizeof text, "num:%u;", s->ops->num_watchpoints);
    rsp_resp_str(s, text);
    return REPLY_SEND;
}

/* We look up no symbols: "OK" ends GDB's qSymbol exchange at once. */
enum reply rsp_h_symbol(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    rsp_resp_ok(s);
    return REPLY_SEND;
}
