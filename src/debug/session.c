/* The stub on the debug link. Bytes from COM2 go through a small sniffer
 * before the stub: a UART has no "connected" line, so a new client is
 * recognised by its first packet (GDB opens with qSupported, LLDB with
 * QStartNoAckMode then qSupported). A client that vanished without `D`
 * is thereby treated as detached when the next one arrives: the stub
 * forgets its session and removes the breakpoints it left. */
#include "session.h"

#include "allstop.h"
#include "arch.h"
#include "arch_debug.h"
#include "debugger.h"
#include "lib/string.h"
#include "link.h"
#include "spinlock.h"
#include "target_ops.h"

struct stub dbg_stub;
static struct spinlock drive_lock;
static bool attached;

/* ---- new-connection sniffer ------------------------------------------ */

static const char *const opening_packets[] = { "qSupported", "QStartNoAckMode" };
#define SNIFF_MAX 16

static struct {
    bool in_packet;         /* saw '$', collecting the packet name */
    size_t len;
    char name[SNIFF_MAX];
    int last_opening;       /* index of the last opening packet seen, -1 none */
    unsigned packets_since; /* packets since then */
} sniff = { .last_opening = -1 };

static void stub_write(void *io, const uint8_t *bytes, size_t n)
{
    (void)io;
    link_write(bytes, n);
    link_flush();
}

/* A new client, unless this opening packet follows the other one of the
 * same handshake (LLDB: QStartNoAckMode, qSupported; GDB: qSupported,
 * ..., QStartNoAckMode). */
static void opening_packet(int which)
{
    bool same_handshake = sniff.last_opening >= 0 && sniff.last_opening != which && sniff.packets_since < 4;
    /* whatever the last client left (no-ack mode, Hg, breakpoints) goes,
     * even after a clean detach: the stub's D keeps its session state */
    if (!same_handshake)
        stub_connection_reset(&dbg_stub);
    attached = true;
    sniff.last_opening = same_handshake ? -1 : which;
    sniff.packets_since = 0;
}

static void feed(const char *bytes, size_t n)
{
    stub_input(&dbg_stub, bytes, n);
}

static void classify(void)
{
    for (unsigned i = 0; i < sizeof opening_packets / sizeof opening_packets[0]; i++) {
        size_t l = strlen(opening_packets[i]);
        if (sniff.len >= l && memcmp(sniff.name, opening_packets[i], l) == 0) {
            opening_packet((int)i);
            return;
        }
    }
    sniff.packets_since++;
}

static void link_byte(uint8_t c, void *ctx)
{
    (void)ctx;
    if (!sniff.in_packet) {
        if (c == '$') {
            sniff.in_packet = true;
            sniff.len = 0;
            return;         /* held back until the name is known */
        }
        if (c == 0x03)
            attached = true;
        feed((const char *)&c, 1);
        return;
    }
    /* collecting the first bytes of a packet: letters only */
    bool consumed = false;
    if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && sniff.len < SNIFF_MAX) {
        sniff.name[sniff.len++] = (char)c;
        if (sniff.len < SNIFF_MAX)
            return;
        consumed = true;
    }
    classify();
    attached = true;
    sniff.in_packet = false;
    feed("$", 1);
    feed(sniff.name, sniff.len);
    if (consumed)
        return;
    if (c == '$') {          /* a new packet starts right here */
        sniff.in_packet = true;
        sniff.len = 0;
        return;
    }
    feed((const char *)&c, 1);
}

/* ---- driving ------------------------------------------------------------ */

void session_init(bool guest_held)
{
    stub_init(&dbg_stub, &husk_target_ops, 0, stub_write, 0);
    /* stub_init() starts the target stopped; unless husk.wait holds it,
     * the guest runs from boot, and a client's first `?` must stop it */
    stub_set_running(&dbg_stub, !guest_held);
    link_set_rx_hook(link_byte, 0);
}

bool debug_attached(void)
{
    return attached;
}

void session_detached(void)
{
    attached = false;
}

int session_current_thread(void)
{
    if (dbg_stub.g_thread > 0)
        return dbg_stub.g_thread;
    return dbg_stub.last_stop.thread > 0 ? dbg_stub.last_stop.thread : 1;
}

void session_drive(struct vcpu *v)
{
    (void)v;
    if (__atomic_exchange_n(&drive_lock.locked, 1, __ATOMIC_ACQUIRE))
        return;
    link_poll();
    const struct stop_event *ev = allstop_ready_to_report();
    if (ev)
        stub_report_stop(&dbg_stub, ev);
    spin_unlock(&drive_lock);
}
