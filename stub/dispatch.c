/*
 * stub/dispatch.c - the packet table. Each entry is a literal prefix (or an
 * exact packet) and its handler; the first match wins, so longer names come
 * before shorter ones that share a prefix. Anything unmatched gets an empty
 * reply, which both GDB and LLDB read as "not supported".
 */
#include "stub_internal.h"

#include "libc.h"

struct packet_entry {
    const char *name;
    bool exact;          /* the whole packet must equal name */
    packet_handler handler;
};

static const struct packet_entry packet_table[] = {
    /* queries */
    { "qSupported",              false, rsp_h_supported },
    { "qXfer:features:read:",    false, rsp_h_xfer_features },
    { "qXfer:threads:read::",    false, rsp_h_xfer_threads },
    { "qfThreadInfo",            true,  rsp_h_thread_first },
    { "qsThreadInfo",            true,  rsp_h_thread_next },
    { "qThreadExtraInfo,",       false, rsp_h_thread_extra },
    { "qThreadStopInfo",         false, rsp_h_thread_stop_info },
    { "qC",                      true,  rsp_h_current_thread },
    { "qAttached",               false, rsp_h_attached },
    { "qRcmd,",                  false, rsp_h_rcmd },
    { "qHostInfo",               true,  rsp_h_host_info },
    { "qProcessInfo",            true,  rsp_h_process_info },
    { "qWatchpointSupportInfo",  false, rsp_h_watch_info },
    { "qSymbol:",                false, rsp_h_symbol },
    { "qqemu.PhyMemMode",        true,  rsp_h_phys_get },
    /* settings */
    { "QStartNoAckMode",         true,  rsp_h_no_ack },
    { "QThreadSuffixSupported",  true,  rsp_h_thread_suffix },
    { "QListThreadsInStopReply", true,  rsp_h_list_threads },
    { "QEnableErrorStrings",     true,  rsp_h_error_strings },
    { "Qqemu.PhyMemMode:",       false, rsp_h_phys_set },
    /* run control */
    { "vCont?",                  true,  rsp_h_vcont_query },
    { "vCont;",                  false, rsp_h_vcont },
    { "vKill",                   false, rsp_h_vkill },
    { "?",                       true,  rsp_h_stop_reason },
    { "c",                       false, rsp_h_continue },
    { "s",                       false, rsp_h_step },
    { "C",                       false, rsp_h_continue_sig },
    { "S",                       false, rsp_h_step_sig },
    { "D",                       false, rsp_h_detach },
    { "k",                       true,  rsp_h_kill },
    /* threads */
    { "H",                       false, rsp_h_set_thread },
    { "T",                       false, rsp_h_thread_alive },
    /* registers and memory */
    { "g",                       true,  rsp_h_read_regs },
    { "G",                       false, rsp_h_write_regs },
    { "p",                       false, rsp_h_read_reg },
    { "P",                       false, rsp_h_write_reg },
    { "m",                       false, rsp_h_read_mem },
    { "M",                       false, rsp_h_write_mem_hex },
    { "X",                       false, rsp_h_write_mem_bin },
    /* breakpoints and watchpoints */
    { "Z",                       false, rsp_h_insert_point },
    { "z",                       false, rsp_h_remove_point },
};

/*
 * LLDB appends ";thread:N;" to register packets once QThreadSuffixSupported
 * was accepted. Strip it so the handlers see the plain packet.
 */
static void strip_thread_suffix(struct stub *s)
{
    static const char key[] = ";thread:";
    s->suffix_thread = 0;
    if (!s->thread_suffix || s->pkt_len == 0 || stub_find_byte("gGpP", s->pkt[0], 4) == NULL)
        return;
    for (size_t i = 0; i + sizeof key - 1 <= s->pkt_len; i++) {
        if (memcmp(s->pkt + i, key, sizeof key - 1) != 0)
            continue;
        const char *p = s->pkt + i + sizeof key - 1;
        const char *end = s->pkt + s->pkt_len;
        int thread;
        if (rsp_parse_thread(&p, end, &thread) && thread > 0)
            s->suffix_thread = thread;
        else
            s->suffix_thread = -2;   /* malformed: rejected by the handler */
        s->pkt_len = i;
        s->pkt[i] = '\0';
        return;
    }
}

void rsp_dispatch_packet(struct stub *s)
{
    strip_thread_suffix(s);
    rsp_resp_reset(s);

    const struct packet_entry *hit = NULL;
    for (size_t i = 0; i < sizeof packet_table / sizeof packet_table[0]; i++) {
        const struct packet_entry *e = &packet_table[i];
        size_t n = strlen(e->name);
        if (e->exact ? (s->pkt_len == n && memcmp(s->pkt, e->name, n) == 0)
                     : rsp_starts_with(s->pkt, s->pkt_len, e->name)) {
            hit = e;
            break;
        }
    }

    enum reply r = REPLY_SEND;
    if (hit) {
        size_t n = strlen(hit->name);
        if (s->suffix_thread == -2) {
            rsp_resp_error(s, 0x22, "bad thread suffix");
        } else {
            r = hit->handler(s, s->pkt + n, s->pkt_len - n);
        }
    }
    if (r == REPLY_NONE)
        return;
    if (s->resp_overflow)
        rsp_resp_error(s, 0x01, "reply too large");
    rsp_send_packet(s, s->resp, s->resp_len);
}

void stub_init(struct stub *s, const struct target_ops *ops, void *target,
               stub_write_fn write, void *io)
{
    memset(s, 0, sizeof *s);
    s->ops = ops;
    s->target = target;
    s->write = write;
    s->io = io;
    s->last_stop.thread = 1;
    s->last_stop.reason = STOP_SIGNAL;
    s->last_stop.signal = GDB_SIGTRAP;
    s->rle_output = true;
    stub_connection_reset(s);
}

void stub_connection_reset(struct stub *s)
{
    /* Points a vanished client left behind would fire with nobody to see. */
    rsp_points_remove_all(s);
    s->rx = RX_IDLE;
    s->raw_len = 0;
    s->tx_len = 0;
    s->tx_awaiting_ack = false;
    s->in_command = false;
    s->out_len = 0;
    s->no_ack = false;
    s->client_swbreak = false;
    s->client_hwbreak = false;
    s->thread_suffix = false;
    s->list_threads = false;
    s->error_strings = false;
    s->physical = false;
    s->g_thread = 0;
    s->c_thread = 0;
    s->reply_pending = false;
}

bool stub_target_running(const struct stub *s)
{
    return s->target_running;
}

void stub_set_running(struct stub *s, bool running)
{
    s->target_running = running;
}

void stub_set_rle(struct stub *s, bool on)
{
    s->rle_output = on;
}

void stub_report_stop(struct stub *s, const struct stop_event *ev)
{
    s->last_stop = *ev;
    if (!rsp_thread_valid(s, s->last_stop.thread))
        s->last_stop.thread = 1;
    /* A stop moves the register thread (Hg) to the thread that stopped:
     * GDB takes the stop reply's thread as its general thread and sends no
     * Hg for it, so a thread it selected before (`info threads` reads every
     * thread with Hg) must not outlive the stop. gdbserver and QEMU's
     * gdbstub do the same. */
    s->g_thread = 0;
    s->target_running = false;
    if (s->reply_pending) {
        s->reply_pending = false;
        rsp_send_stop_reply(s, &s->last_stop);
    }
}
