/*
 * tests/unit/stub/test_framing.c - the byte level: checksums, acks,
 * retransmission, escapes, run-length coding both ways, no-ack mode, the
 * interrupt byte, oversize packets and garbage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "stub/stub_internal.h"

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

static void good_packet_is_acked_and_answered(void **state)
{
    struct harness *h = *state;
    feed(h, "$qAttached#8f");
    assert_true(h->out_len > 1);
    assert_int_equal(h->out[0], '+');
    assert_memory_equal(h->out + 1, "$1#31", 5);
    assert_int_equal(h->stub.stats.packets, 1);
}

static void bad_checksum_is_naked_and_not_run(void **state)
{
    struct harness *h = *state;
    feed(h, "$qAttached#00");
    assert_int_equal(h->out_len, 1);
    assert_int_equal(h->out[0], '-');
    assert_int_equal(h->stub.stats.bad_checksum, 1);
    assert_int_equal(h->stub.stats.packets, 0);
}

static void non_hex_checksum_is_naked(void **state)
{
    struct harness *h = *state;
    feed(h, "$qAttached#zz");
    assert_int_equal(h->out[0], '-');
    /* and the stub keeps working */
    clear_output(h);
    assert_string_equal(request(h, "qAttached"), "1");
}

static void short_checksum_keeps_the_next_packet(void **state)
{
    struct harness *h = *state;
    feed(h, "$g#6$qAttached#8f");
    assert_int_equal(h->out[0], '-');
    char buf[64];
    assert_int_equal(last_reply(h, buf, sizeof buf), 1);
    assert_string_equal(buf, "1");
    clear_output(h);
    feed(h, "$g#$qAttached#8f");
    assert_int_equal(h->out[0], '-');
    assert_int_equal(last_reply(h, buf, sizeof buf), 1);
}

static void uppercase_checksum_accepted(void **state)
{
    struct harness *h = *state;
    feed(h, "$qC#B4");
    assert_int_equal(h->out[0], '+');
}

static void nak_retransmits_last_reply_with_a_bound(void **state)
{
    struct harness *h = *state;
    feed_packet(h, "qC");
    size_t first = h->out_len;          /* "+" and "$QC1#c5" */
    assert_memory_equal(h->out + 1, "$QC1#c5", 7);
    clear_output(h);
    for (int i = 0; i < STUB_MAX_RETRANSMIT + 3; i++)
        feed(h, "-");
    /* resent exactly STUB_MAX_RETRANSMIT times, then given up */
    assert_int_equal(h->out_len, (first - 1) * STUB_MAX_RETRANSMIT);
    assert_memory_equal(h->out, "$QC1#c5", 7);
    assert_int_equal(h->stub.stats.retransmits, STUB_MAX_RETRANSMIT);
}

static void ack_stops_retransmission(void **state)
{
    struct harness *h = *state;
    feed_packet(h, "qC");
    feed(h, "+");
    clear_output(h);
    feed(h, "-");
    assert_int_equal(h->out_len, 0);
}

static void garbage_between_packets_is_skipped(void **state)
{
    struct harness *h = *state;
    feed(h, "hello\r\n\x7f\xff");
    assert_int_equal(h->out_len, 0);
    feed(h, "zz");
    feed_packet(h, "qAttached");
    char buf[64];
    assert_int_equal(last_reply(h, buf, sizeof buf), 1);
    assert_string_equal(buf, "1");
    assert_int_equal(h->stub.stats.garbage, 11);  /* 9 + "zz" */
}

static void dollar_restarts_a_broken_packet(void **state)
{
    struct harness *h = *state;
    feed(h, "$qAtt");            /* lost its '#' */
    feed_packet(h, "qC");
    char buf[64];
    assert_true(last_reply(h, buf, sizeof buf) > 0);
    assert_string_equal(buf, "QC1");
}

static void escapes_are_decoded_on_input(void **state)
{
    struct harness *h = *state;
    /* X at 0x1000: bytes 0x23 '#', 0x24 '$', 0x7d '}', 0x2a '*' escaped */
    const char body[] = "X1000,4:}\x03}\x04}]}\x0a";
    clear_output(h);
    feed_packet_n(h, body, sizeof body - 1);
    char buf[64];
    assert_int_equal(last_reply(h, buf, sizeof buf), 2);
    assert_string_equal(buf, "OK");
    assert_memory_equal(h->t.mem, "#$}*", 4);
}

static void dangling_escape_is_naked(void **state)
{
    struct harness *h = *state;
    feed_packet(h, "X1000,1:}");
    assert_int_equal(h->out[0], '-');
    assert_int_equal(h->stub.stats.bad_encoding, 1);
}

static void run_length_is_decoded_on_input(void **state)
{
    struct harness *h = *state;
    /* "M1000,4:" then "0" repeated: '0*' + count char ('#'-free) */
    /* 8 hex zeros: "0" + "*" + (7 + 29 = '$')... use 0* with 4 extra ('!') +3 literal */
    feed_packet(h, "M1000,4:0*!000");
    char buf[64];
    assert_true(last_reply(h, buf, sizeof buf) > 0);
    assert_string_equal(buf, "OK");
    assert_memory_equal(h->t.mem, "\0\0\0\0", 4);
}

static void run_length_without_previous_char_is_naked(void **state)
{
    struct harness *h = *state;
    feed_packet(h, "*!");
    assert_int_equal(h->out[0], '-');
    clear_output(h);
    feed_packet(h, "g*");        /* count missing */
    assert_int_equal(h->out[0], '-');
    clear_output(h);
    feed_packet(h, "g*\x10");    /* count below the printable range */
    assert_int_equal(h->out[0], '-');
}

static void run_length_expansion_cannot_overrun(void **state)
{
    struct harness *h = *state;
    /* Each "0*~" expands to 98 bytes: 200 of them exceed the buffer. */
    static char body[700];
    size_t n = 0;
    body[n++] = 'M';
    for (int i = 0; i < 200; i++) {
        memcpy(body + n, "0*~", 3);
        n += 3;
    }
    body[n] = 0;
    feed_packet(h, body);
    assert_int_equal(h->out[0], '-');
    assert_int_equal(h->stub.stats.bad_encoding, 1);
    assert_string_equal(request(h, "qAttached"), "1");
}

static void output_is_run_length_encoded(void **state)
{
    struct harness *h = *state;
    /* 32 zero bytes of memory read as 64 '0's */
    memset(h->t.mem, 0, 32);
    clear_output(h);
    feed_packet(h, "m1000,20");
    /* much shorter than 64 characters on the wire */
    assert_true(h->out_len < 20);
    assert_non_null(memchr(h->out, '*', h->out_len));
    char buf[128];
    assert_int_equal(last_reply(h, buf, sizeof buf), 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(buf[i], '0');
}

static void run_lengths_avoid_framing_characters(void **state)
{
    struct harness *h = *state;
    /* Runs of every length from 1 to 200 decode back exactly and never
     * put '$' or '#' in the body. */
    for (unsigned len = 1; len <= 200; len++) {
        memset(h->t.mem, 0x11, 256);
        h->t.mem[(len + 1) / 2] = 0x22;
        char req[32], buf[1024], want[1024];
        snprintf(req, sizeof req, "m1000,%x", (len + 1) / 2 + 1);
        clear_output(h);
        feed_packet(h, req);
        size_t body_end = h->out_len - 3;
        for (size_t i = 2; i < body_end; i++) {
            assert_int_not_equal(h->out[i], '$');
            assert_int_not_equal(h->out[i], '#');
        }
        int n = last_reply(h, buf, sizeof buf);
        size_t w = 0;
        for (unsigned i = 0; i < (len + 1) / 2; i++)
            want[w++] = '1', want[w++] = '1';
        want[w++] = '2', want[w++] = '2';
        assert_int_equal(n, (int)w);
        assert_memory_equal(buf, want, w);
    }
}

static void rle_can_be_turned_off(void **state)
{
    struct harness *h = *state;
    memset(h->t.mem, 0, 32);
    stub_set_rle(&h->stub, false);
    clear_output(h);
    feed_packet(h, "m1000,20");
    assert_null(memchr(h->out, '*', h->out_len));
    assert_int_equal(h->out_len, 1 + 1 + 64 + 3);
}

static void binary_output_is_escaped(void **state)
{
    struct harness *h = *state;
    /* target.xml contains no '}' but the system feature has '#' */
    clear_output(h);
    feed_packet(h, "qXfer:features:read:husk-system.xml:0,3fff");
    size_t body_end = h->out_len - 3;
    int escapes = 0;
    for (size_t i = 2; i < body_end; i++) {
        assert_int_not_equal(h->out[i], '#');
        escapes += h->out[i] == '}';
    }
    assert_true(escapes > 0);
    char buf[8192];
    int n = last_reply(h, buf, sizeof buf);
    assert_true(n > 0);
    assert_int_equal(buf[0], 'l');
    assert_non_null(strstr(buf, "#VMEXIT"));
}

static void no_ack_mode_sends_no_acks(void **state)
{
    struct harness *h = *state;
    feed_packet(h, "QStartNoAckMode");
    assert_int_equal(h->out[0], '+');          /* this one is still acked */
    assert_true(h->stub.no_ack);
    clear_output(h);
    feed_packet(h, "qC");
    assert_int_equal(h->out[0], '$');
    clear_output(h);
    feed(h, "$qC#00");                         /* bad checksum: dropped, no NAK */
    assert_int_equal(h->out_len, 0);
    feed(h, "-");                              /* NAKs mean nothing now */
    assert_int_equal(h->out_len, 0);
}

static void interrupt_byte_stops_a_running_target(void **state)
{
    struct harness *h = *state;
    feed_packet(h, "c");
    assert_int_equal(h->t.resumes, 1);
    assert_true(stub_target_running(&h->stub));
    feed(h, "\x03");
    assert_int_equal(h->t.interrupts, 1);
    struct stop_event ev = { .thread = 2, .reason = STOP_SIGNAL, .signal = 2 };
    clear_output(h);
    stub_report_stop(&h->stub, &ev);
    char buf[512];
    assert_true(last_reply(h, buf, sizeof buf) > 0);
    assert_memory_equal(buf, "T02", 3);
    assert_non_null(strstr(buf, "thread:2;"));
}

static void interrupt_byte_between_acks_and_while_stopped(void **state)
{
    struct harness *h = *state;
    /* Stopped target: 0x03 is harmless. */
    feed(h, "\x03\x03");
    assert_int_equal(h->t.interrupts, 0);
    assert_int_equal(h->stub.stats.interrupts, 2);
    /* Inside a packet 0x03 is data, not an interrupt. */
    feed_packet(h, "c");
    feed_packet_n(h, "X1000,1:\x03", 9);
    assert_int_equal(h->t.interrupts, 0);
    assert_int_equal(h->t.mem[0], 3);
}

static void oversize_packet_is_naked_without_overrun(void **state)
{
    struct harness *h = *state;
    static char big[STUB_PACKET_SIZE + 100];
    memset(big, 'a', sizeof big - 1);
    big[0] = 'M';
    big[sizeof big - 1] = 0;
    feed_packet(h, big);
    assert_int_equal(h->out_len, 1);
    assert_int_equal(h->out[0], '-');
    assert_int_equal(h->stub.stats.oversize, 1);
    assert_string_equal(request(h, "qAttached"), "1");
}

static void largest_packet_fits(void **state)
{
    struct harness *h = *state;
    /* An M packet of exactly PacketSize characters is accepted. */
    static char body[STUB_PACKET_SIZE + 64];
    size_t data = (STUB_PACKET_SIZE - 11) / 2;  /* "M1000,1ffa:" is 11 characters */
    int n = snprintf(body, sizeof body, "M1000,%zx:", data);
    assert_int_equal(n, 11);
    memset(body + n, '5', 2 * data);
    body[n + 2 * data] = 0;
    assert_true(strlen(body) <= STUB_PACKET_SIZE);
    assert_true(strlen(body) >= STUB_PACKET_SIZE - 1);
    assert_string_equal(request(h, body), "OK");
    assert_int_equal(h->t.mem[data - 1], 0x55);
}

/* The rule both encoders share: the largest count up to 97 whose code is
 * no framing character, none below 3. */
static void repeat_count_is_the_largest_safe_one(void **state)
{
    (void)state;
    static const char unsafe[] = "$#+-}*";
    for (size_t more = 0; more < 300; more++) {
        unsigned n = rsp_repeat_count(more);
        if (more < 3) {
            assert_int_equal(n, 0);
            continue;
        }
        assert_true(n >= 3 && n <= 97 && n <= more);
        assert_null(strchr(unsafe, (int)(n + 29)));
        unsigned cap = more < 97 ? (unsigned)more : 97;
        for (unsigned bigger = n + 1; bigger <= cap; bigger++)
            assert_non_null(strchr(unsafe, (int)(bigger + 29)));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(good_packet_is_acked_and_answered),
        T(bad_checksum_is_naked_and_not_run),
        T(non_hex_checksum_is_naked),
        T(short_checksum_keeps_the_next_packet),
        T(uppercase_checksum_accepted),
        T(nak_retransmits_last_reply_with_a_bound),
        T(ack_stops_retransmission),
        T(garbage_between_packets_is_skipped),
        T(dollar_restarts_a_broken_packet),
        T(escapes_are_decoded_on_input),
        T(dangling_escape_is_naked),
        T(run_length_is_decoded_on_input),
        T(run_length_without_previous_char_is_naked),
        T(run_length_expansion_cannot_overrun),
        T(output_is_run_length_encoded),
        T(run_lengths_avoid_framing_characters),
        T(repeat_count_is_the_largest_safe_one),
        T(rle_can_be_turned_off),
        T(binary_output_is_escaped),
        T(no_ack_mode_sends_no_acks),
        T(interrupt_byte_stops_a_running_target),
        T(interrupt_byte_between_acks_and_while_stopped),
        T(oversize_packet_is_naked_without_overrun),
        T(largest_packet_fits),
#undef T
    };
    return cmocka_run_group_tests_name("stub framing", tests, NULL, NULL);
}
