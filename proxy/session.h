/* One RSP session with the monitor, shared by two clients: the shell and a
 * GDB/LLDB connected through the multiplexer. The session owns the link's
 * acks (it negotiates no-ack mode itself), pairs every request with its
 * reply, routes 'O' output and stop replies to whoever resumed the target,
 * and keeps per-client thread and memory-mode selections apart so neither
 * client sees the other's Hg/Hc/PhyMemMode. */
#ifndef PROXY_SESSION_H
#define PROXY_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "link.h"
#include "regs.h"
#include "rsp.h"

enum side { SIDE_SHELL = 0, SIDE_GDB = 1 };

/* Stateful packets the stub remembers between packets. */
enum selector { SEL_HG, SEL_HC, SEL_PHYS, SEL_COUNT };

struct session_hooks {
    /* An 'O' packet (raw payload, still hex) for `side`. */
    void (*output)(void *ctx, enum side side, const char *pkt, size_t len);
    /* The reply that ended a resume (a stop reply, or an error). */
    void (*stopped)(void *ctx, enum side side, const char *pkt, size_t len);
    /* A packet nobody asked for. */
    void (*unexpected)(void *ctx, const char *pkt, size_t len);
};

struct session {
    struct link link;
    struct rsp_decoder dec;
    bool noack;
    size_t packet_size;          /* the stub's PacketSize */
    int timeout_ms;              /* longest silence while awaiting a reply */

    bool running;                /* resumed, no stop reply yet */
    enum side run_owner;         /* who resumed it */
    char last_stop[512];
    bool have_stop;

    /* Selector values: what the stub has, what each side wants ("" = any). */
    char sel_link[SEL_COUNT][24];
    char sel_want[2][SEL_COUNT][24];

    struct reg_layout layout;
    bool layout_from_target;

    const struct session_hooks *hooks;
    void *hooks_ctx;

    char err[256];               /* reason for the last failure */
    char reply[RSP_MAX_PAYLOAD + 1];
    size_t reply_len;
    char *tx;                    /* framing buffer; holds the last packet sent */
    size_t tx_len;
    unsigned char rx[4096];      /* bytes read from the link, not yet decoded */
    size_t rx_pos, rx_len;
    unsigned long long bytes_in, bytes_out;
    bool trace;                  /* log every packet on the link to stderr */
};

void session_init(struct session *s, const struct session_hooks *hooks, void *ctx);
/* Opens the link and negotiates (no-ack, qSupported, target description,
 * current stop). Returns 0 or -1 with s->err set. */
int session_connect(struct session *s);
void session_disconnect(struct session *s);
bool session_up(const struct session *s);

/* Sends one request for `side` and waits for its reply, which is left in
 * s->reply/s->reply_len. 'O' packets on the way go to the output hook.
 * Returns 0 (even for an E reply), or -1 with s->err set when the link
 * failed or the target did not answer. */
int session_request(struct session *s, enum side side, const char *pkt, size_t len);
int session_requestf(struct session *s, enum side side, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sends a resume for `side`; the stop reply comes later through the hook
 * (or session_wait_stop). */
int session_resume(struct session *s, enum side side, const char *pkt, size_t len);
/* Waits up to timeout_ms for the running target to stop. 0 when it did. */
int session_wait_stop(struct session *s, int timeout_ms);
/* Sends the interrupt byte when the target runs. */
int session_interrupt(struct session *s);

/* Sets what `side` wants for a selector ("" = no preference). */
void session_want(struct session *s, enum side side, enum selector sel, const char *value);
/* Forgets `side`'s selections (a new GDB connection starts at defaults). */
void session_reset_side(struct session *s, enum side side);

/* Reads whatever the link has while nothing is awaited (target running, or
 * unsolicited packets); call when the link's fd is readable. */
void session_pump(struct session *s);

#endif
