/*
 * stub/memory_reply.c - the reply to `m`: memory as hex digits, framed
 * straight into the transmit buffer.
 *
 * The general path (rsp_resp_hex_bytes() into resp, then rsp_send_packet())
 * visits every digit several times, one at a time: the nibble lookup, then
 * the escape test, the run-length scan and the checksum, then a copy. On an
 * emulated CPU (QEMU TCG, where the monitor runs) that was about 0.3 ms of
 * every 8 KiB read, a third of the exchange. Here:
 *
 *   1. eight bytes at a time become sixteen digits with word arithmetic,
 *      written where the packet body goes in tx; the checksum comes from
 *      the same words, and a cheap word test marks the places where a run
 *      of four or more equal digits can be (random memory has a few per
 *      8 KiB, zeroed memory one per word);
 *   2. only if there is such a place, the digits are run-length encoded in
 *      place, visiting the marked places only and moving the text between
 *      runs as blocks.
 *
 * The packet is byte for byte the one rsp_send_packet() makes of the same
 * hex text (tests/unit/stub/test_memory_reply.c checks it): hex digits
 * never need escaping, each run of equal digits is coded by the same
 * greedy rule (rsp_repeat_count()), and the frame is sent and kept for a
 * resend by the same rsp_send_frame().
 */
#include "stub_internal.h"

#include "libc.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "memory_reply.c packs digits into little-endian words"
#endif

#define ONES    0x0101010101010101ull
#define LOW7    0x7f7f7f7f7f7f7f7full
#define HIGHS   0x8080808080808080ull
#define LO_NIBS 0x0f0f0f0f0f0f0f0full
#define HI_NIBS 0xf0f0f0f0f0f0f0f0ull

/* The most data bytes one reply carries: a body of STUB_PACKET_SIZE
 * digits (the framing around it has room in tx). */
#define MAX_DATA (STUB_PACKET_SIZE / 2)
#define MAX_WORDS ((MAX_DATA + 7) / 8)

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    __builtin_memcpy(&v, p, 8);
    return v;
}

static void store64(uint8_t *p, uint64_t v)
{
    __builtin_memcpy(p, &v, 8);
}

/* 0x80 in every byte of x that is zero, 0 in the others (exact: the
 * carries of the addition cannot cross a byte). */
static uint64_t zero_bytes(uint64_t x)
{
    return ~(((x & LOW7) + LOW7) | x) & HIGHS;
}

/* Four bytes (the first in the low bits) as eight hex digits, the first
 * digit in the low byte; adds the digits' sum to *sum. Inlined by force:
 * under TCG a return is an indirect jump, a lookup of the next translated
 * block, which would cost more than the arithmetic. */
static inline __attribute__((always_inline)) uint64_t hex_digits4(uint32_t v, unsigned *sum)
{
    uint64_t x = v;
    x = (x | x << 16) & 0x0000ffff0000ffffull;
    x = (x | x << 8) & 0x00ff00ff00ff00ffull;           /* byte k in byte 2k */
    uint64_t nibs = (x >> 4 & 0x000f000f000f000full) | (x & 0x000f000f000f000full) << 8;
    uint64_t letter = ((nibs + 6 * ONES) >> 4) & ONES;   /* 1 where the nibble is 10..15 */
    /* byte sums by multiplication are exact while every partial sum stays
     * below 256: at most 8 * 15 and 8 * 1 here */
    *sum += (unsigned)((nibs * ONES) >> 56) + 8u * '0' + (unsigned)((letter * ONES) >> 56) * ('a' - '0' - 10);
    return nibs + '0' * ONES + letter * ('a' - '0' - 10);
}

/*
 * Whether a run of four or more equal digits can start or end inside the
 * eight bytes v (first byte low). Every such run covers a byte whose two
 * digits are alike (its nibbles are equal), and either the next byte is
 * the same, or the digit before it (the previous byte's low nibble) and
 * the one after it (the next byte's high nibble) are that digit too. prev
 * and next are the neighbouring bytes; at the ends of the data any value
 * will do, a false mark only costs a look.
 */
static bool may_hold_run(uint64_t v, uint8_t prev, uint8_t next)
{
    uint64_t doubled = zero_bytes((v ^ v >> 4) & LO_NIBS);
    if (!doubled)
        return false;
    uint64_t right = v >> 8 | (uint64_t)next << 56;      /* byte k: byte k+1 */
    uint64_t left = v << 8 | prev;                       /* byte k: byte k-1 */
    uint64_t same_right = zero_bytes(v ^ right);
    uint64_t both_sides = zero_bytes(((left ^ v) & LO_NIBS) | ((right ^ v << 4) & HI_NIBS));
    return (doubled & (same_right | both_sides)) != 0;
}

static void mark(uint64_t *marks, size_t word)
{
    marks[word / 64] |= 1ull << (word % 64);
}

/* Pass 1: 2n digits into out, their sum into *sum, and a bit per eight
 * bytes in marks (MAX_WORDS bits, zeroed by the caller) where a run may be.
 * Returns whether any bit was set. */
static bool encode(uint8_t *out, const uint8_t *data, size_t n, uint64_t *marks, unsigned *sum)
{
    bool any = false;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v = load64(data + i);
        store64(out + 2 * i, hex_digits4((uint32_t)v, sum));
        store64(out + 2 * i + 8, hex_digits4((uint32_t)(v >> 32), sum));
        if (may_hold_run(v, i ? data[i - 1] : 0, i + 8 < n ? data[i + 8] : 0)) {
            mark(marks, i / 8);
            any = true;
        }
    }
    if (i < n) {
        /* the last few bytes: one at a time, and always looked at */
        for (size_t k = i; k < n; k++) {
            out[2 * k] = (uint8_t)rsp_hex_digits[data[k] >> 4];
            out[2 * k + 1] = (uint8_t)rsp_hex_digits[data[k] & 15];
            *sum += out[2 * k] + (unsigned)out[2 * k + 1];
        }
        mark(marks, i / 8);
        any = true;
    }
    return any;
}

/* A run of len equal digits c at h + w, coded as rsp_send_packet() codes
 * it: a literal, then at most one repeat of what rsp_repeat_count()
 * allows, again. */
static size_t put_run(uint8_t *h, size_t w, uint8_t c, size_t len, unsigned *sum)
{
    size_t done = 0;
    while (done < len) {
        h[w++] = c;
        *sum += c;
        done++;
        unsigned count = rsp_repeat_count(len - done);
        if (!count)
            continue;
        h[w++] = '*';
        h[w++] = (uint8_t)(count + 29);
        *sum += '*' + count + 29;
        done += count;
    }
    return w;
}

/* End of the run of digit c that continues at h + at (h[at - 1] == c). */
static size_t run_end(const uint8_t *h, size_t at, size_t len, uint8_t c)
{
    uint64_t pattern = c * ONES;
    while (at + 8 <= len && load64(h + at) == pattern)
        at += 8;
    while (at < len && h[at] == c)
        at++;
    return at;
}

static void move_down(uint8_t *h, size_t to, size_t from, size_t n)
{
    /* to <= from: a forward copy never overwrites what it has yet to read */
    for (size_t i = 0; i + 8 <= n; i += 8)
        store64(h + to + i, load64(h + from + i));
    for (size_t i = n & ~(size_t)7; i < n; i++)
        h[to + i] = h[from + i];
}

/*
 * Pass 2: run-length encode the len digits at h in place, looking for runs
 * only in the marked words. Digits before `read` are done (written up to
 * `write`); a run found at a mark is always a whole run, because the one
 * before it ended at a different digit. Returns the new length; *sum is
 * kept equal to the sum of what is written.
 */
static size_t compact(uint8_t *h, size_t len, const uint64_t *marks, unsigned *sum)
{
    size_t write = 0, read = 0;
    size_t words = (len / 2 + 7) / 8;
    /* from mark to mark, and past the last run at once: a run over zeroed
     * memory covers every mark, and on an emulated CPU each pass of this
     * loop counts */
    for (size_t word = 0; word < words; word = word + 1 > read / 16 ? word + 1 : read / 16) {
        uint64_t bits = marks[word / 64] >> (word % 64);
        if (!bits) {
            word = (word / 64 + 1) * 64 - 1;
            continue;
        }
        word += (size_t)__builtin_ctzll(bits);
        if (word >= words)
            break;
        for (size_t at = 16 * word; at < 16 * word + 16 && at < len; at += 2) {
            if (at < read || h[at] != h[at + 1])
                continue;
            uint8_t c = h[at];
            size_t start = at;
            while (start > read && h[start - 1] == c)
                start--;
            size_t end = run_end(h, at + 2, len, c);
            if (end - start < 4)
                continue;
            if (write != read)
                move_down(h, write, read, start - read);
            write += start - read;
            *sum -= c * (unsigned)(end - start);
            write = put_run(h, write, c, end - start, sum);
            read = end;
        }
    }
    if (write != read)
        move_down(h, write, read, len - read);
    return write + (len - read);
}

void rsp_send_memory_reply(struct stub *s, const uint8_t *data, size_t n)
{
    uint64_t marks[(MAX_WORDS + 63) / 64] = { 0 };
    unsigned sum = 0;

    if (n > MAX_DATA)
        n = MAX_DATA;
    uint8_t *body = s->tx + 1;
    size_t len = 2 * n;
    if (encode(body, data, n, marks, &sum) && s->rle_output)
        len = compact(body, len, marks, &sum);
    s->tx[0] = '$';
    body[len] = '#';
    body[len + 1] = (uint8_t)rsp_hex_digits[sum >> 4 & 15];
    body[len + 2] = (uint8_t)rsp_hex_digits[sum & 15];
    rsp_send_frame(s, len + 4);
}
