/*
 * stub/stub.h - the GDB/LLDB remote serial protocol engine.
 *
 * The embedder owns the loop: it feeds every received byte to stub_input(),
 * the stub writes its bytes through the `write` callback given to
 * stub_init(), and when the target stops on its own (breakpoint, step,
 * interrupt) the embedder calls stub_report_stop(). The stub never blocks,
 * never allocates, and keeps every buffer inside `struct stub`, so one static
 * instance serves a monitor without a heap.
 */
#ifndef HUSK_STUB_STUB_H
#define HUSK_STUB_STUB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target.h"

/* Largest packet body accepted and sent (advertised as PacketSize). */
#define STUB_PACKET_SIZE 16384
/* How often one packet is resent after NAKs before the stub gives up on it. */
#define STUB_MAX_RETRANSMIT 4
/* Breakpoints/watchpoints remembered so detach can remove them. */
#define STUB_MAX_POINTS 64
/* Bytes of `monitor` output gathered before an O packet goes out. */
#define STUB_OUTPUT_CHUNK 256
/* Stop replies and generated XML (qXfer:threads:read). */
#define STUB_SCRATCH_SIZE 8192

typedef void (*stub_write_fn)(void *io, const uint8_t *bytes, size_t n);

enum stub_rx_state {
    RX_IDLE = 0,     /* between packets: acks, 0x03, garbage */
    RX_DATA,         /* after '$' */
    RX_CSUM1,        /* after '#' */
    RX_CSUM2
};

struct stub_point {
    bool used;
    enum point_type type;
    uint64_t addr;
    unsigned kind;
};

/* Counters for tests and the monitor's own diagnostics. */
struct stub_stats {
    unsigned long packets;       /* well-formed packets dispatched */
    unsigned long bad_checksum;  /* NAKed for a checksum mismatch */
    unsigned long oversize;      /* NAKed for exceeding STUB_PACKET_SIZE */
    unsigned long bad_encoding;  /* NAKed for a broken escape or repeat */
    unsigned long garbage;       /* bytes skipped between packets */
    unsigned long retransmits;   /* packets resent after a NAK */
    unsigned long interrupts;    /* 0x03 bytes seen */
};

struct stub {
    const struct target_ops *ops;
    void *target;
    stub_write_fn write;
    void *io;

    /* receive side */
    enum stub_rx_state rx;
    uint8_t rx_sum;
    uint8_t rx_csum_hi;
    bool rx_overflow;
    size_t raw_len;
    uint8_t raw[STUB_PACKET_SIZE];
    size_t pkt_len;
    char pkt[STUB_PACKET_SIZE + 1];     /* decoded body, NUL-terminated */

    /* transmit side: the last packet, kept for retransmission */
    size_t tx_len;
    bool tx_awaiting_ack;
    unsigned tx_retries;
    uint8_t tx[2 * STUB_PACKET_SIZE + 8];

    /* the reply being built by a handler */
    size_t resp_len;
    bool resp_overflow;
    char resp[STUB_PACKET_SIZE];

    /* `monitor` output not yet sent */
    bool in_command;
    size_t out_len;
    char out[STUB_OUTPUT_CHUNK];

    char scratch[STUB_SCRATCH_SIZE];

    /* session state, reset per connection */
    bool no_ack;
    bool rle_output;           /* run-length encode what we send */
    bool client_swbreak;       /* client offered swbreak+ */
    bool client_hwbreak;
    bool thread_suffix;        /* LLDB QThreadSuffixSupported */
    bool list_threads;         /* LLDB QListThreadsInStopReply */
    bool error_strings;        /* LLDB QEnableErrorStrings */
    bool physical;             /* memory packets address physical memory */
    int g_thread;              /* Hg: thread for registers and memory (0: current) */
    int c_thread;              /* Hc: thread for c/s (0 or -1: all/current) */
    int suffix_thread;         /* ;thread:N; on this packet, 0 if none */

    /* run state */
    bool target_running;       /* resumed and no stop reported yet */
    bool reply_pending;        /* the client waits for a stop reply */
    struct stop_event last_stop;

    struct stub_point points[STUB_MAX_POINTS];
    struct stub_stats stats;
};

/* Set up a stub; the target starts out stopped (thread 1, SIGTRAP). */
void stub_init(struct stub *stub, const struct target_ops *ops, void *target,
               stub_write_fn write, void *io);

/* A new client connected (or the old one vanished): forget the session. */
void stub_connection_reset(struct stub *stub);

/* Bytes received from the client, any number at any time. */
void stub_input(struct stub *stub, const void *bytes, size_t n);

/* The target stopped (after a resume, a step or an interrupt). */
void stub_report_stop(struct stub *stub, const struct stop_event *event);

/* True between a resume and the stop that ends it. */
bool stub_target_running(const struct stub *stub);

/*
 * Tells the stub the target runs (or not) without a resume from the
 * client: an embedder whose target is already running when the stub starts
 * (a monitor that lets its guest boot) says so after stub_init(), so a
 * client's first `?` or 0x03 interrupts the target and the stop it reports
 * answers, instead of a stop that never happened. Call it between packets,
 * not while a client waits for a stop reply.
 */
void stub_set_running(struct stub *stub, bool running);

/* Run-length encode outgoing packets (on by default). */
void stub_set_rle(struct stub *stub, bool on);

/* ---- for monitor command handlers ------------------------------------- */

/* Console output to the debugger as O packets: from a monitor command, or
 * while the target runs and the client waits for a stop. Dropped otherwise. */
int stub_printf(struct stub *stub, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int stub_vprintf(struct stub *stub, const char *fmt, va_list ap);

/*
 * Argument parsing: each takes *args, skips blanks, consumes one item and
 * advances *args past it. They return false (leaving *args alone) when
 * there is no item or it is malformed.
 */
bool stub_arg_word(const char **args, char *word, size_t cap);
/* 0x-prefixed hex or decimal, full 64-bit range, no trailing junk. */
bool stub_arg_number(const char **args, uint64_t *value);
/* Nothing but blanks left. */
bool stub_arg_end(const char *args);

/* Small printf for freestanding builds: %d %i %u %x %X %p %s %c %% with
 * 0/- flags, width and l, ll, z, h modifiers. Always NUL-terminates when cap
 * > 0; returns the length it wanted to write. */
size_t stub_vformat(char *buf, size_t cap, const char *fmt, va_list ap);
size_t stub_format(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
