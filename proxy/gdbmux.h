/* The GDB multiplexer: a Unix socket where one GDB or LLDB at a time
 * connects. Its packets are queued and forwarded through the session only
 * when the link is free, so shell commands and debugger packets never
 * interleave inside one request/reply pair. The multiplexer speaks the
 * protocol to the debugger on its own terms: it acks (or not, once the
 * debugger asked for no-ack mode), and answers a few packets itself. */
#ifndef PROXY_GDBMUX_H
#define PROXY_GDBMUX_H

#include <stdbool.h>
#include <stddef.h>

#include "rsp.h"
#include "session.h"

#define GDB_QUEUE 32

struct gdbmux {
    const char *path;
    int listen_fd;               /* -1 without --gdb-socket */
    int fd;                      /* the connected debugger, or -1 */
    bool noack;
    struct rsp_decoder dec;
    char *queue[GDB_QUEUE];
    size_t qlen[GDB_QUEUE];
    int head, count;
    char *tx;                    /* last packet sent, for a '-' */
    size_t tx_len;
    unsigned long forwarded;     /* packets passed to the monitor */
    void (*notify)(void *ctx, const char *text);
    void *ctx;
};

void gdbmux_init(struct gdbmux *g, void (*notify)(void *ctx, const char *text), void *ctx);
/* Listens on `path` (replacing a stale socket file). */
int gdbmux_listen(struct gdbmux *g, const char *path, char *err, size_t errsize);
void gdbmux_shutdown(struct gdbmux *g);
bool gdbmux_connected(const struct gdbmux *g);
/* The listening socket is readable. */
void gdbmux_accept(struct gdbmux *g, struct session *s);
/* The debugger's socket is readable: queue its packets, forward 0x03. */
void gdbmux_readable(struct gdbmux *g, struct session *s);
/* Handles the oldest queued packet if the target is stopped; true when one
 * was handled. */
bool gdbmux_process_one(struct gdbmux *g, struct session *s);
bool gdbmux_pending(const struct gdbmux *g);
/* Between two requests of a long shell command (a core, a big dump):
 * reads what the debugger sent and answers its queued packets that do not
 * resume the target, so GDB's reply timeout does not run out meanwhile.
 * A resume waits, with everything after it, until the command is done. */
void gdbmux_service(struct gdbmux *g, struct session *s);
/* Sends a packet to the debugger (a reply, a stop, an 'O' packet). */
void gdbmux_send(struct gdbmux *g, const char *pkt, size_t len);
void gdbmux_drop_client(struct gdbmux *g, struct session *s, const char *why);

#endif
