/* The event loop. See loop.h. No signal handlers: Ctrl-C in the terminal
 * is the terminal's, and every event arrives through poll. */
#include "loop.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"
#include "commands.h"
#include "rsp.h"
#include "cmd_handlers.h"
#include "progress.h"

#define RECONNECT_MS 1000
#define MAX_LINE_COMMANDS 64

int proxy_error(struct proxy *p, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout);
    fprintf(stderr, "error: %s\n", msg);
    fflush(stderr);
    p->failures++;
    return -1;
}

void proxy_notify(struct proxy *p, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    shell_notify(&p->shell, msg);
}

/* ---- session hooks ---------------------------------------------------- */

static void on_output(void *ctx, enum side side, const char *pkt, size_t len)
{
    struct proxy *p = ctx;
    if (side == SIDE_GDB) {
        gdbmux_send(&p->gdb, pkt, len);
        return;
    }
    char text[RSP_MAX_PAYLOAD / 2 + 1];
    long n = rsp_unhex(text, sizeof text - 1, pkt + 1, len - 1);
    if (n > 0)
        shell_output(&p->shell, text, (size_t)n);
}

static void on_stopped(void *ctx, enum side side, const char *pkt, size_t len)
{
    struct proxy *p = ctx;
    p->waiting_notice = false;
    if (side == SIDE_GDB) {
        gdbmux_send(&p->gdb, pkt, len);
        if (shell_peek(&p->shell))
            proxy_notify(p, "the target stopped (gdb); running the waiting commands");
        return;
    }
    /* Reported from the loop, where the stop's rip can be read if the
     * stub did not send it along: no requests from inside a hook. */
    if (!p->quiet_stops)
        snprintf(p->pending_stop, sizeof p->pending_stop, "%.*s",
                 (int)(len < sizeof p->pending_stop ? len : sizeof p->pending_stop - 1), pkt);
}

static void on_unexpected(void *ctx, const char *pkt, size_t len)
{
    proxy_notify(ctx, "link: ignored a packet nobody asked for: %.*s", (int)(len > 60 ? 60 : len), pkt);
}

static const struct session_hooks hooks = { on_output, on_stopped, on_unexpected };

static void gdb_notify(void *ctx, const char *text)
{
    proxy_notify(ctx, "%s", text);
}

void loop_setup(struct proxy *p)
{
    session_init(&p->sess, &hooks, p);
    gdbmux_init(&p->gdb, gdb_notify, p);
}

/* ---- the shell's queue ------------------------------------------------- */

static bool all_free(char **cmds, int n)
{
    for (int i = 0; i < n; i++)
        if (command_needs_target(cmds[i]))
            return false;
    return true;
}

void loop_line(void *ctx, char *line)
{
    struct proxy *p = ctx;
    char *cmds[MAX_LINE_COMMANDS];
    int n = cmdline_split_commands(line, cmds, MAX_LINE_COMMANDS);
    if (n < 0) {
        proxy_error(p, "unterminated quote");
        return;
    }
    /* While commands wait for the target, 'stop', 'help' and the like
     * typed at the terminal still run at once. */
    if (p->shell.interactive && shell_peek(&p->shell) && all_free(cmds, n)) {
        for (int i = 0; i < n; i++)
            command_run(p, cmds[i]);
        return;
    }
    for (int i = 0; i < n; i++)
        if (!shell_push(&p->shell, cmds[i]))
            proxy_error(p, "too many commands queued; dropped '%s'", cmds[i]);
}

/* Runs the oldest queued command unless it must wait; true if one ran. */
static bool run_one_command(struct proxy *p)
{
    const char *cmd = shell_peek(&p->shell);
    if (!cmd || p->quit)
        return false;
    if (p->sess.running && command_needs_target(cmd)) {
        if (!p->waiting_notice) {
            p->waiting_notice = true;
            proxy_notify(p, "the target is running (resumed by %s): '%s' waits until it stops; 'stop' stops it",
                         p->sess.run_owner == SIDE_GDB ? "gdb" : "the shell", cmd);
        }
        return false;
    }
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", cmd);
    shell_pop(&p->shell);
    shell_stop(&p->shell);   /* the prompt returns once the queue is done */
    command_run(p, copy);
    fflush(stdout);          /* output reaches a pipe as each command ends */
    return true;
}

/* Shell commands and debugger packets take turns while the target is
 * stopped; each runs to completion, so their packets never interleave. */
static void report_stop(struct proxy *p)
{
    if (p->pending_stop[0] && !p->sess.running && session_up(&p->sess)) {
        print_stop(p, p->pending_stop, strlen(p->pending_stop), true);
        p->pending_stop[0] = '\0';
    }
}

static void run_ready(struct proxy *p)
{
    bool progress = true;
    while (progress && !p->quit) {
        report_stop(p);
        progress = run_one_command(p);
        progress |= gdbmux_process_one(&p->gdb, &p->sess);
    }
    report_stop(p);
    if (!p->quit)
        shell_start(&p->shell);
}

/* ---- the link ---------------------------------------------------------- */

static double reconnect_at;   /* monotonic seconds of the next attempt */

static void link_went_down(struct proxy *p)
{
    proxy_notify(p, "%s; reconnecting", p->sess.err[0] ? p->sess.err : "link to the monitor lost");
    gdbmux_drop_client(&p->gdb, &p->sess, "disconnected: the link to the monitor was lost");
    reconnect_at = progress_now() + RECONNECT_MS / 1000.0;
}

static void try_reconnect(struct proxy *p)
{
    if (progress_now() < reconnect_at)
        return;
    if (session_connect(&p->sess) == 0)
        proxy_notify(p, "link: connected to %s", p->sess.link.path);
    else
        reconnect_at = progress_now() + RECONNECT_MS / 1000.0;
}

static void check_link(struct proxy *p, bool *was_up)
{
    bool up = session_up(&p->sess);
    if (*was_up && !up)
        link_went_down(p);
    *was_up = up;
}

static int poll_timeout(struct proxy *p)
{
    if (session_up(&p->sess))
        return -1;
    double wait = reconnect_at - progress_now();
    return wait <= 0 ? 0 : (int)(wait * 1000) + 1;
}

/* ---- the loop ---------------------------------------------------------- */

enum { FD_LINK, FD_STDIN, FD_LISTEN, FD_GDB, FD_COUNT };

static bool finished(struct proxy *p)
{
    return p->quit || (p->shell.input_done && !shell_peek(&p->shell));
}

int loop_run(struct proxy *p)
{
    bool was_up = session_up(&p->sess);
    shell_start(&p->shell);
    for (;;) {
        run_ready(p);
        check_link(p, &was_up);
        if (finished(p))
            break;
        struct pollfd fds[FD_COUNT];
        for (int i = 0; i < FD_COUNT; i++)
            fds[i] = (struct pollfd){ .fd = -1, .events = POLLIN };
        fds[FD_LINK].fd = p->sess.link.fd;
        if (!p->shell.input_done)
            fds[FD_STDIN].fd = STDIN_FILENO;
        fds[FD_LISTEN].fd = p->gdb.listen_fd;
        fds[FD_GDB].fd = p->gdb.fd;
        int r = poll(fds, FD_COUNT, poll_timeout(p));
        if (r < 0)
            continue;   /* EINTR */
        if (!session_up(&p->sess))
            try_reconnect(p);
        if (fds[FD_LINK].revents)
            session_pump(&p->sess);
        if (fds[FD_STDIN].revents)
            shell_readable(&p->shell);
        if (fds[FD_LISTEN].revents)
            gdbmux_accept(&p->gdb, &p->sess);
        if (fds[FD_GDB].revents && p->gdb.fd >= 0)
            gdbmux_readable(&p->gdb, &p->sess);
        check_link(p, &was_up);
    }
    shell_stop(&p->shell);
    return p->failures ? 1 : 0;
}
