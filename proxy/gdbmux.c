/* The GDB multiplexer. See gdbmux.h. */
#define _GNU_SOURCE   /* accept4 */
#include "gdbmux.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

void gdbmux_init(struct gdbmux *g, void (*notify)(void *ctx, const char *text), void *ctx)
{
    memset(g, 0, sizeof *g);
    g->listen_fd = -1;
    g->fd = -1;
    g->notify = notify;
    g->ctx = ctx;
    g->tx = malloc(rsp_frame_capacity(RSP_MAX_PAYLOAD));
    if (!g->tx)
        abort();
    rsp_decoder_reset(&g->dec);
}

static void say(struct gdbmux *g, const char *fmt, const char *arg)
{
    char buf[384];
    snprintf(buf, sizeof buf, fmt, arg);
    if (g->notify)
        g->notify(g->ctx, buf);
}

int gdbmux_listen(struct gdbmux *g, const char *path, char *err, size_t errsize)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errsize, "socket path too long: %s", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            snprintf(err, errsize, "%s exists and is not a socket", path);
            return -1;
        }
        unlink(path);   /* a stale socket from an earlier run */
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 2) < 0) {
        snprintf(err, errsize, "cannot listen on %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    g->path = path;
    g->listen_fd = fd;
    return 0;
}

static void clear_queue(struct gdbmux *g)
{
    while (g->count) {
        free(g->queue[g->head]);
        g->head = (g->head + 1) % GDB_QUEUE;
        g->count--;
    }
}

void gdbmux_drop_client(struct gdbmux *g, struct session *s, const char *why)
{
    if (g->fd < 0)
        return;
    close(g->fd);
    g->fd = -1;
    clear_queue(g);
    /* A target the debugger left running now belongs to the shell. */
    if (s->running && s->run_owner == SIDE_GDB)
        s->run_owner = SIDE_SHELL;
    say(g, "gdb: %s", why);
}

void gdbmux_shutdown(struct gdbmux *g)
{
    if (g->fd >= 0)
        close(g->fd);
    g->fd = -1;
    clear_queue(g);
    if (g->listen_fd >= 0) {
        close(g->listen_fd);
        unlink(g->path);
    }
    g->listen_fd = -1;
    free(g->tx);
    g->tx = NULL;
}

bool gdbmux_connected(const struct gdbmux *g)
{
    return g->fd >= 0;
}

void gdbmux_accept(struct gdbmux *g, struct session *s)
{
    int fd = accept4(g->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    if (g->fd >= 0) {
        /* One debugger at a time: two would fight over the target. */
        static const char busy[] = "$E.another debugger is connected#00";
        if (write(fd, busy, sizeof busy - 1) < 0) { /* nothing to do */ }
        close(fd);
        say(g, "gdb: refused a second debugger on %s", g->path);
        return;
    }
    g->fd = fd;
    g->noack = false;
    rsp_decoder_reset(&g->dec);
    session_reset_side(s, SIDE_GDB);
    say(g, "gdb: debugger connected on %s", g->path);
}

static void send_raw(struct gdbmux *g, const void *buf, size_t len)
{
    const char *p = buf;
    while (len && g->fd >= 0) {
        ssize_t n = write(g->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;   /* the read side sees the hangup and drops the client */
        p += n;
        len -= (size_t)n;
    }
}

void gdbmux_send(struct gdbmux *g, const char *pkt, size_t len)
{
    if (g->fd < 0 || !g->tx)
        return;
    g->tx_len = rsp_frame(g->tx, pkt, len);
    send_raw(g, g->tx, g->tx_len);
}

static void enqueue(struct gdbmux *g)
{
    if (g->count == GDB_QUEUE) {
        say(g, "gdb: %s", "too many packets queued; dropping one");
        return;
    }
    char *copy = malloc(g->dec.len + 1);
    if (!copy)
        return;
    memcpy(copy, g->dec.buf, g->dec.len + 1);
    int slot = (g->head + g->count++) % GDB_QUEUE;
    g->queue[slot] = copy;
    g->qlen[slot] = g->dec.len;
}

void gdbmux_readable(struct gdbmux *g, struct session *s)
{
    unsigned char buf[4096];
    ssize_t n = read(g->fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        gdbmux_drop_client(g, s, "debugger disconnected");
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        switch (rsp_feed(&g->dec, buf[i])) {
        case RSP_EV_PACKET:
            if (!g->noack)
                send_raw(g, "+", 1);
            enqueue(g);
            break;
        case RSP_EV_BADSUM:
        case RSP_EV_OVERFLOW:
            if (!g->noack)
                send_raw(g, "-", 1);
            break;
        case RSP_EV_NAK:
            if (g->tx_len)
                send_raw(g, g->tx, g->tx_len);
            break;
        case RSP_EV_INTERRUPT:
            /* Only a target the debugger resumed is the debugger's to stop. */
            if (s->running && s->run_owner == SIDE_GDB)
                session_interrupt(s);
            break;
        default:
            break;
        }
    }
}

bool gdbmux_pending(const struct gdbmux *g)
{
    return g->fd >= 0 && g->count > 0;
}

/* Packets the multiplexer answers itself, so that the link's own
 * settings stay the proxy's. */
static bool answer_locally(struct gdbmux *g, struct session *s, const char *pkt, size_t len)
{
    if (len == 15 && memcmp(pkt, "QStartNoAckMode", 15) == 0) {
        gdbmux_send(g, "OK", 2);
        g->noack = true;
        return true;
    }
    if ((len == 1 && pkt[0] == 'k') || (len >= 5 && memcmp(pkt, "vKill", 5) == 0)) {
        /* The target is shared with the shell: killing it is not the
         * debugger's call. Behave as if the debugger went away. */
        if (pkt[0] == 'v')
            gdbmux_send(g, "OK", 2);
        gdbmux_drop_client(g, s, "debugger asked to kill the target; disconnected it instead");
        return true;
    }
    return false;
}

/* Features a debugger may offer in qSupported that would change the whole
 * session's syntax under the shell's feet (multiprocess thread ids
 * "pP.T"): offered as unsupported instead. */
static const char *const session_wide_features[] = { "multiprocess+" };

static void turn_off_session_wide(char *text)
{
    for (size_t i = 0; i < sizeof session_wide_features / sizeof session_wide_features[0]; i++) {
        char *f = strstr(text, session_wide_features[i]);
        if (f)
            f[strlen(session_wide_features[i]) - 1] = '-';
    }
}

static bool is_supported_query(const char *pkt, size_t len)
{
    return len >= 10 && strncmp(pkt, "qSupported", 10) == 0;
}

/* The debugger's qSupported with those features turned off; 0 when the
 * packet is something else. Its reply gets the same treatment, since a
 * stub may advertise a feature the client did not ask for. */
static size_t rewrite_supported(const char *pkt, size_t len, char *out, size_t cap)
{
    if (len >= cap || !is_supported_query(pkt, len))
        return 0;
    memcpy(out, pkt, len);
    out[len] = '\0';
    turn_off_session_wide(out);
    return len;
}

static void forward(struct gdbmux *g, struct session *s, const char *pkt, size_t len)
{
    char rewritten[1024];
    size_t n = rewrite_supported(pkt, len, rewritten, sizeof rewritten);
    if (n)
        pkt = rewritten;

    if (rsp_is_resume(pkt, len)) {
        if (session_resume(s, SIDE_GDB, pkt, len)) {
            gdbmux_send(g, "E01", 3);
            say(g, "gdb: %s", s->err);
        }
        return;
    }
    if (session_request(s, SIDE_GDB, pkt, len)) {
        gdbmux_send(g, "E01", 3);
        say(g, "gdb: %s", s->err);
        return;
    }
    if (is_supported_query(pkt, len))
        turn_off_session_wide(s->reply);
    gdbmux_send(g, s->reply, s->reply_len);
    if (len >= 1 && pkt[0] == 'D' && strcmp(s->reply, "OK") == 0) {
        /* Detach resumes the target and nobody waits for its stop. */
        s->running = true;
        s->run_owner = SIDE_SHELL;
        say(g, "gdb: %s", "debugger detached; the target is running ('stop' stops it)");
    }
}

/* EBUSY: the debugger asked while the shell had the target running. GDB
 * would time out waiting, and then misread the late reply; an immediate
 * error keeps its packet stream in step. */
static const char busy_reply[] = "E10";

bool gdbmux_process_one(struct gdbmux *g, struct session *s)
{
    bool shell_running = s->running && s->run_owner == SIDE_SHELL;
    if (!gdbmux_pending(g) || (s->running && !shell_running) || !session_up(s))
        return false;
    char *pkt = g->queue[g->head];
    size_t len = g->qlen[g->head];
    g->head = (g->head + 1) % GDB_QUEUE;
    g->count--;
    if (shell_running) {
        gdbmux_send(g, busy_reply, sizeof busy_reply - 1);
        say(g, "gdb: refused a request: the target is running (resumed by the shell); %s",
            "'stop' stops it");
    } else if (!answer_locally(g, s, pkt, len)) {
        forward(g, s, pkt, len);
        g->forwarded++;
    }
    free(pkt);
    return true;
}

void gdbmux_service(struct gdbmux *g, struct session *s)
{
    if (g->fd < 0 || s->running)
        return;
    struct pollfd pfd = { .fd = g->fd, .events = POLLIN };
    if (poll(&pfd, 1, 0) > 0)
        gdbmux_readable(g, s);
    while (gdbmux_pending(g) && !rsp_is_resume(g->queue[g->head], g->qlen[g->head]) &&
           !(g->qlen[g->head] >= 1 && g->queue[g->head][0] == 'D'))
        gdbmux_process_one(g, s);
}
