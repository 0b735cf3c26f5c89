/*
 * stub/framing.c - the byte level of RSP: `$body#cs` packets, `+`/`-` acks,
 * retransmission, `}` escapes, `*` run-length encoding, and the 0x03
 * interrupt byte. Everything is a state machine fed one byte at a time, so
 * the embedder can call stub_input() with whatever it has.
 */
#include "stub_internal.h"

#include "libc.h"

static void write_bytes(struct stub *s, const void *bytes, size_t n)
{
    if (s->write && n)
        s->write(s->io, bytes, n);
}

static void send_ack(struct stub *s, char c)
{
    if (!s->no_ack)
        write_bytes(s, &c, 1);
}

/* Characters that must be escaped inside a packet body. */
static bool needs_escape(uint8_t c)
{
    return c == '$' || c == '#' || c == '}' || c == '*';
}

/* One repeat covers at most 97 more characters: count 97 is sent as
 * 97 + 29 = 126 ('~'), the last printable character. */
#define MAX_REPEAT 97

/*
 * A run-length count is sent as count+29; counts that would produce '$' or
 * '#' (or confuse a framer: '+', '-', '}', '*') are not used, a shorter run
 * is sent instead and the rest follows.
 */
static bool usable_repeat(unsigned extra)
{
    unsigned c = extra + 29;
    return extra >= 3 && c <= 126 && c != '$' && c != '#' && c != '+' &&
           c != '-' && c != '}' && c != '*';
}

unsigned rsp_repeat_count(size_t more)
{
    unsigned n = more > MAX_REPEAT ? MAX_REPEAT : (unsigned)more;
    while (n >= 3 && !usable_repeat(n))
        n--;
    return n >= 3 ? n : 0;
}

void rsp_send_frame(struct stub *s, size_t len)
{
    if (len > sizeof s->tx)
        len = sizeof s->tx;
    s->tx_len = len;
    s->tx_awaiting_ack = !s->no_ack;
    s->tx_retries = 0;
    write_bytes(s, s->tx, s->tx_len);
}

static size_t tx_put(struct stub *s, size_t at, uint8_t c)
{
    if (at < sizeof s->tx)
        s->tx[at] = c;
    return at + 1;
}

void rsp_send_packet(struct stub *s, const char *body, size_t len)
{
    size_t at = 0;
    uint8_t sum = 0;

    at = tx_put(s, at, '$');
    for (size_t i = 0; i < len;) {
        uint8_t c = (uint8_t)body[i];
        if (needs_escape(c)) {
            at = tx_put(s, at, '}');
            at = tx_put(s, at, c ^ 0x20);
            sum = (uint8_t)(sum + '}' + (c ^ 0x20));
            i++;
            continue;
        }
        at = tx_put(s, at, c);
        sum = (uint8_t)(sum + c);
        i += 1;
        if (!s->rle_output)
            continue;
        /* Scanning past what one repeat covers would make a long run
         * quadratic (the rest is rescanned after each chunk). */
        size_t extra = 0;
        while (i + extra < len && extra < MAX_REPEAT && (uint8_t)body[i + extra] == c)
            extra++;
        unsigned n = rsp_repeat_count(extra);
        if (n) {
            /* The remainder, if any, restarts as a literal, possibly a new run. */
            at = tx_put(s, at, '*');
            at = tx_put(s, at, (uint8_t)(n + 29));
            sum = (uint8_t)(sum + '*' + n + 29);
            i += n;
        }
    }
    at = tx_put(s, at, '#');
    at = tx_put(s, at, (uint8_t)rsp_hex_digits[sum >> 4]);
    at = tx_put(s, at, (uint8_t)rsp_hex_digits[sum & 15]);
    /* The buffer holds twice the largest body plus framing, so it fits. */
    rsp_send_frame(s, at);
}

static void retransmit(struct stub *s)
{
    if (!s->tx_awaiting_ack || s->tx_retries >= STUB_MAX_RETRANSMIT)
        return;
    s->tx_retries++;
    s->stats.retransmits++;
    write_bytes(s, s->tx, s->tx_len);
}

/*
 * Undo escapes and run-length encoding of raw[] into pkt[]. Returns false
 * for a dangling escape, a repeat with nothing to repeat, a bad count or an
 * expansion beyond the buffer.
 */
static bool decode_body(struct stub *s)
{
    size_t out = 0;
    const size_t cap = sizeof s->pkt - 1;

    for (size_t i = 0; i < s->raw_len; i++) {
        uint8_t c = s->raw[i];
        if (c == '}') {
            if (++i >= s->raw_len || out >= cap)
                return false;
            s->pkt[out++] = (char)(s->raw[i] ^ 0x20);
        } else if (c == '*') {
            if (out == 0 || ++i >= s->raw_len)
                return false;
            uint8_t count = s->raw[i];
            if (count < 29 + 3 || count > 126)
                return false;
            size_t extra = (size_t)count - 29;
            if (out + extra > cap)
                return false;
            memset(s->pkt + out, s->pkt[out - 1], extra);
            out += extra;
        } else {
            if (out >= cap)
                return false;
            s->pkt[out++] = (char)c;
        }
    }
    s->pkt[out] = '\0';
    s->pkt_len = out;
    return true;
}

static void packet_complete(struct stub *s, uint8_t sent_sum)
{
    if (s->rx_overflow) {
        s->stats.oversize++;
        send_ack(s, '-');
        return;
    }
    if (sent_sum != s->rx_sum) {
        /* In no-ack mode there is nobody to ask for a resend: drop it. */
        s->stats.bad_checksum++;
        send_ack(s, '-');
        return;
    }
    if (!decode_body(s)) {
        s->stats.bad_encoding++;
        send_ack(s, '-');
        return;
    }
    send_ack(s, '+');
    s->stats.packets++;
    rsp_dispatch_packet(s);
}

static void interrupt_byte(struct stub *s)
{
    s->stats.interrupts++;
    if (s->target_running && s->ops->interrupt) {
        s->reply_pending = true;
        s->ops->interrupt(s->target);
    }
}

static void start_packet(struct stub *s)
{
    s->rx = RX_DATA;
    s->raw_len = 0;
    s->rx_sum = 0;
    s->rx_overflow = false;
}

static void input_byte(struct stub *s, uint8_t c)
{
    switch (s->rx) {
    case RX_IDLE:
        if (c == '$') {
            start_packet(s);
        } else if (c == 0x03) {
            interrupt_byte(s);
        } else if (c == '+') {
            s->tx_awaiting_ack = false;
        } else if (c == '-') {
            retransmit(s);
        } else {
            s->stats.garbage++;
        }
        break;
    case RX_DATA:
        if (c == '#') {
            s->rx = RX_CSUM1;
        } else if (c == '$') {
            /* A lost '#': the old packet is garbage, a new one starts. */
            s->stats.garbage += s->raw_len + 1;
            s->raw_len = 0;
            s->rx_sum = 0;
            s->rx_overflow = false;
        } else {
            s->rx_sum = (uint8_t)(s->rx_sum + c);
            if (s->raw_len < sizeof s->raw)
                s->raw[s->raw_len++] = c;
            else
                s->rx_overflow = true;
        }
        break;
    case RX_CSUM1:
        if (rsp_hex_value((char)c) < 0) {
            s->stats.bad_checksum++;
            send_ack(s, '-');
            s->rx = RX_IDLE;
            /* A checksum cut short by the next packet: keep that packet. */
            if (c == '$')
                start_packet(s);
            break;
        }
        s->rx_csum_hi = (uint8_t)rsp_hex_value((char)c);
        s->rx = RX_CSUM2;
        break;
    case RX_CSUM2:
        s->rx = RX_IDLE;
        if (rsp_hex_value((char)c) < 0) {
            s->stats.bad_checksum++;
            send_ack(s, '-');
            if (c == '$')
                start_packet(s);
            break;
        }
        packet_complete(s, (uint8_t)(s->rx_csum_hi << 4 | rsp_hex_value((char)c)));
        break;
    }
}

void stub_input(struct stub *s, const void *bytes, size_t n)
{
    const uint8_t *b = bytes;
    for (size_t i = 0; i < n; i++)
        input_byte(s, b[i]);
}
