/* The client side of the GDB remote serial protocol: framing, acks,
 * escapes, run-length decoding, hex, and stop-reply parsing. Every piece of
 * protocol knowledge in husk-proxy lives here; the rest of the proxy deals
 * in decoded payloads. */
#ifndef PROXY_RSP_H
#define PROXY_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest decoded payload accepted from either side. */
#define RSP_MAX_PAYLOAD (128 * 1024)

#define RSP_INTERRUPT_BYTE 0x03

enum rsp_event {
    RSP_EV_NONE,       /* byte consumed, nothing complete yet */
    RSP_EV_PACKET,     /* a packet with a good checksum is in the decoder */
    RSP_EV_BADSUM,     /* a packet arrived with a bad checksum */
    RSP_EV_OVERFLOW,   /* a packet was longer than RSP_MAX_PAYLOAD */
    RSP_EV_ACK,        /* '+' outside a packet */
    RSP_EV_NAK,        /* '-' outside a packet */
    RSP_EV_INTERRUPT,  /* 0x03 outside a packet */
};

enum rsp_dec_state { RSP_IDLE, RSP_DATA, RSP_ESCAPE, RSP_REPEAT, RSP_SUM_HI, RSP_SUM_LO };

/* Incremental decoder: feed it bytes as they arrive, one event per byte. */
struct rsp_decoder {
    enum rsp_dec_state state;
    uint8_t sum;          /* running checksum over the raw framed bytes */
    uint8_t want;         /* checksum sent by the peer */
    bool overflow;
    size_t len;
    char buf[RSP_MAX_PAYLOAD + 1]; /* decoded payload, NUL-terminated */
};

void rsp_decoder_reset(struct rsp_decoder *d);
enum rsp_event rsp_feed(struct rsp_decoder *d, uint8_t byte);

/* Frames `len` bytes of payload as $...#cs into `out` (escaping $ # } *),
 * returns the framed length; `out` needs 2 * len + 4 bytes. */
size_t rsp_frame(char *out, const void *payload, size_t len);
size_t rsp_frame_capacity(size_t len);

/* Hex helpers. rsp_unhex returns the number of bytes decoded or -1. */
void rsp_hex(char *out, const void *data, size_t len);
long rsp_unhex(void *out, size_t max, const char *hex, size_t hexlen);
int rsp_hexval(int c);

/* True for a reply that is an error (Enn, E.text). */
bool rsp_is_error(const char *reply, size_t len);
/* True for the replies that end a resume: S, T, W, X. */
bool rsp_is_stop_reply(const char *reply, size_t len);
/* True for an 'O' console-output packet (not "OK"). */
bool rsp_is_output(const char *reply, size_t len);
/* True for a request that resumes the target (c, s, C, S, vCont;c/s...). */
bool rsp_is_resume(const char *pkt, size_t len);

/* A stop reply, decoded. */
struct rsp_stop {
    char kind;            /* 'S', 'T', 'W' or 'X' */
    int signal;           /* signal number, or exit status for W */
    long thread;          /* thread:N, -1 when absent */
    long core;            /* core:N, -1 when absent */
    const char *reason;   /* "breakpoint", "watchpoint", "trace", ... or NULL */
    const char *description; /* the stub's description: text, or NULL */
    uint64_t watch_addr;  /* for watch/rwatch/awatch */
    bool has_watch_addr;
};

/* Parses a stop reply; returns false when it is not one. Strings in
 * `stop` point into static storage and stay valid until the next call. */
bool rsp_parse_stop(const char *reply, size_t len, struct rsp_stop *stop);
/* An expedited register (key = regnum in hex) of a T stop reply, read as
 * little-endian; false when the reply does not carry it. */
bool rsp_stop_register(const char *reply, size_t len, int regnum, uint64_t *value);
/* One line describing a stop for a person ("breakpoint on thread 1"). */
void rsp_describe_stop(const struct rsp_stop *stop, char *out, size_t size);

#endif
