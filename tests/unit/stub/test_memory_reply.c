/*
 * tests/unit/stub/test_memory_reply.c - the `m` reply encoder
 * (stub/memory_reply.c) against the general one: for random memory,
 * memory full of runs, runs of every length at both nibble phases, and
 * every length up to the largest reply, the packet sent must be byte for
 * byte what rsp_send_packet() sends for the same hex text, with and
 * without run-length encoding, and decode to exactly the memory's bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "stub/stub_internal.h"

#define MAX_DATA (STUB_PACKET_SIZE / 2)

static int setup(void **state)
{
    *state = harness_new();
    return 0;
}

static int teardown(void **state)
{
    harness_free(*state);
    return 0;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static void to_hex(const uint8_t *data, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[data[i] >> 4];
        hex[2 * i + 1] = digits[data[i] & 15];
    }
}

/* The new encoder and the old path give the same bytes, and the packet
 * decodes to the data's hex. */
static void check_same(struct harness *h, const uint8_t *data, size_t n)
{
    static char hex[2 * MAX_DATA];
    static uint8_t old_out[2 * MAX_DATA + 8];
    static char decoded[2 * MAX_DATA + 1];

    to_hex(data, n, hex);
    for (int rle = 0; rle <= 1; rle++) {
        stub_set_rle(&h->stub, rle);
        clear_output(h);
        rsp_send_packet(&h->stub, hex, 2 * n);
        size_t old_len = h->out_len;
        memcpy(old_out, h->out, old_len);

        clear_output(h);
        rsp_send_memory_reply(&h->stub, data, n);
        if (h->out_len != old_len || memcmp(h->out, old_out, old_len) != 0)
            fail_msg("n=%zu rle=%d: %zu bytes, the general path %zu: '%.*s' vs '%.*s'", n, rle, h->out_len,
                     old_len, (int)(h->out_len < 200 ? h->out_len : 200), (const char *)h->out,
                     (int)(old_len < 200 ? old_len : 200), (const char *)old_out);
        assert_int_equal(h->stub.tx_len, old_len);
        assert_int_equal(last_reply(h, decoded, sizeof decoded), (int)(2 * n));
        assert_memory_equal(decoded, hex, 2 * n);
    }
}

static void random_memory(void **state)
{
    static uint8_t data[MAX_DATA];
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < MAX_DATA; i++)
            data[i] = (uint8_t)rng();
        check_same(*state, data, MAX_DATA);
        check_same(*state, data + 3, MAX_DATA - 3 - (size_t)round);
    }
}

static void every_length(void **state)
{
    static uint8_t data[MAX_DATA];
    for (size_t n = 0; n <= 200; n++) {
        for (size_t i = 0; i < n; i++)
            data[i] = (uint8_t)(rng() % 3 == 0 ? 0 : rng());
        check_same(*state, data, n);
    }
    for (size_t n = MAX_DATA - 17; n <= MAX_DATA; n++) {
        for (size_t i = 0; i < n; i++)
            data[i] = (uint8_t)rng();
        check_same(*state, data, n);
    }
}

/* Bytes drawn from a few values that share nibbles: runs everywhere, of
 * every length, starting at either digit of a byte. */
static void run_heavy_memory(void **state)
{
    static const uint8_t alphabet[] = { 0x00, 0x00, 0x11, 0x01, 0x10, 0xff, 0xf0, 0x0f, 0xaa, 0x1a };
    static uint8_t data[MAX_DATA];
    for (int round = 0; round < 40; round++) {
        unsigned spread = 2 + (unsigned)round % (sizeof alphabet - 1);
        for (size_t i = 0; i < MAX_DATA; i++)
            data[i] = alphabet[rng() % spread];
        check_same(*state, data, MAX_DATA - (size_t)round);
    }
}

/* A run of len '0' digits at digit offset `phase` inside random bytes that
 * contain no zero nibble (so the run is exactly len long). */
static void runs_of_every_length(void **state)
{
    static uint8_t data[MAX_DATA];
    for (size_t len = 1; len <= 700; len++) {
        for (int phase = 0; phase <= 1; phase++) {
            size_t n = 16 + (len + 1) / 2 + 16;
            for (size_t i = 0; i < n; i++)
                data[i] = (uint8_t)((1 + rng() % 15) << 4 | (1 + rng() % 15));
            for (size_t d = 0; d < len; d++) {
                size_t digit = 32 + (size_t)phase + d;
                data[digit / 2] &= digit % 2 ? 0xf0 : 0x0f;
            }
            check_same(*state, data, n);
        }
    }
}

static void zeros_and_ones(void **state)
{
    static uint8_t data[MAX_DATA];
    memset(data, 0, sizeof data);
    for (size_t n = 1; n <= 300; n++)
        check_same(*state, data, n);
    check_same(*state, data, MAX_DATA);
    memset(data, 0xff, sizeof data);
    check_same(*state, data, MAX_DATA);
    check_same(*state, data, 4097);
}

/* Through the packet: an 8 KiB `m` of random memory comes back exactly. */
static void read_packet_returns_memory(void **state)
{
    struct harness *h = *state;
    char req[32];
    static char got[2 * MAX_DATA + 1];
    static char want[2 * MAX_DATA];

    for (size_t i = 0; i < FAKE_MEM_SIZE; i++)
        h->t.mem[i] = (uint8_t)(i % 5 == 0 ? 0 : rng());
    for (int rle = 0; rle <= 1; rle++) {
        stub_set_rle(&h->stub, rle);
        snprintf(req, sizeof req, "m%x,%x", FAKE_MEM_BASE + 0x123, MAX_DATA);
        clear_output(h);
        feed_packet(h, req);
        assert_int_equal(last_reply(h, got, sizeof got), 2 * MAX_DATA);
        to_hex(h->t.mem + 0x123, MAX_DATA, want);
        assert_memory_equal(got, want, 2 * MAX_DATA);
        /* a NAK resends the same packet */
        size_t first = h->out_len;
        feed(h, "-");
        assert_int_equal(h->out_len, 2 * first - (h->out[0] == '+'));
        assert_memory_equal(h->out + h->out_len - (first - (h->out[0] == '+')),
                            h->out + (h->out[0] == '+'), first - (h->out[0] == '+'));
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(random_memory), T(every_length), T(run_heavy_memory), T(runs_of_every_length),
        T(zeros_and_ones), T(read_packet_returns_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
