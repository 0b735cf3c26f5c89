/* The client-side protocol: framing, decoding (escapes, run-length,
 * checksums, acks), stop replies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rsp.h"

static struct rsp_decoder dec;

/* Feeds a string; returns the last event that was not RSP_EV_NONE. */
static enum rsp_event feed(const char *bytes, size_t n)
{
    enum rsp_event last = RSP_EV_NONE;
    for (size_t i = 0; i < n; i++) {
        enum rsp_event e = rsp_feed(&dec, (uint8_t)bytes[i]);
        if (e != RSP_EV_NONE)
            last = e;
    }
    return last;
}
#define FEED(s) feed(s, sizeof(s) - 1)

static void frames_with_checksum(void **state)
{
    (void)state;
    char out[64];
    size_t n = rsp_frame(out, "OK", 2);
    out[n] = '\0';
    assert_string_equal(out, "$OK#9a");
    n = rsp_frame(out, "", 0);
    out[n] = '\0';
    assert_string_equal(out, "$#00");
}

static void frames_escape_special_bytes(void **state)
{
    (void)state;
    char out[64];
    static const char payload[] = { 'X', '$', '#', '}', '*' };
    size_t n = rsp_frame(out, payload, sizeof payload);
    out[n] = '\0';
    /* every special byte becomes '}' and the byte xor 0x20 */
    assert_memory_equal(out, "$X}\x04}\x03}]}\x0a#", 11);
    rsp_decoder_reset(&dec);
    assert_int_equal(feed(out, n), RSP_EV_PACKET);
    assert_int_equal(dec.len, sizeof payload);
    assert_memory_equal(dec.buf, payload, sizeof payload);
}

static void decodes_acks_interrupt_and_noise(void **state)
{
    (void)state;
    rsp_decoder_reset(&dec);
    assert_int_equal(FEED("+"), RSP_EV_ACK);
    assert_int_equal(FEED("-"), RSP_EV_NAK);
    assert_int_equal(FEED("\x03"), RSP_EV_INTERRUPT);
    assert_int_equal(FEED("garbage"), RSP_EV_NONE);
    assert_int_equal(FEED("$OK#9a"), RSP_EV_PACKET);
    assert_string_equal(dec.buf, "OK");
}

static void decodes_run_length(void **state)
{
    (void)state;
    /* "0* " is '0' plus 32 - 29 = 3 more: "0000" */
    char frame[64];
    const char body[] = "a0* b";
    unsigned sum = 0;
    for (const char *c = body; *c; c++)
        sum += (unsigned char)*c;
    snprintf(frame, sizeof frame, "$%s#%02x", body, sum & 0xff);
    rsp_decoder_reset(&dec);
    assert_int_equal(feed(frame, strlen(frame)), RSP_EV_PACKET);
    assert_string_equal(dec.buf, "a0000b");
}

static void rejects_bad_checksum(void **state)
{
    (void)state;
    rsp_decoder_reset(&dec);
    assert_int_equal(FEED("$OK#00"), RSP_EV_BADSUM);
    assert_int_equal(FEED("$OK#zz"), RSP_EV_BADSUM);
    assert_int_equal(FEED("$OK#9a"), RSP_EV_PACKET);
}

static void restarts_on_dollar(void **state)
{
    (void)state;
    rsp_decoder_reset(&dec);
    assert_int_equal(FEED("$garb$OK#9a"), RSP_EV_PACKET);
    assert_string_equal(dec.buf, "OK");
}

static void reports_overflow(void **state)
{
    (void)state;
    rsp_decoder_reset(&dec);
    rsp_feed(&dec, '$');
    unsigned sum = 0;
    for (size_t i = 0; i < RSP_MAX_PAYLOAD + 10; i++) {
        rsp_feed(&dec, 'a');
        sum += 'a';
    }
    char tail[4];
    snprintf(tail, sizeof tail, "#%02x", sum & 0xff);
    assert_int_equal(feed(tail, 3), RSP_EV_OVERFLOW);
}

static void hex_round_trip(void **state)
{
    (void)state;
    static const uint8_t data[] = { 0x00, 0x7f, 0x80, 0xff };
    char hex[16];
    uint8_t back[4];
    rsp_hex(hex, data, 4);
    assert_string_equal(hex, "007f80ff");
    assert_int_equal(rsp_unhex(back, 4, hex, 8), 4);
    assert_memory_equal(back, data, 4);
    assert_int_equal(rsp_unhex(back, 4, "0g", 2), -1);
    assert_int_equal(rsp_unhex(back, 4, "abc", 3), -1);
    assert_int_equal(rsp_unhex(back, 1, "abcd", 4), -1);
}

static void classifies_replies(void **state)
{
    (void)state;
    assert_true(rsp_is_error("E14", 3));
    assert_true(rsp_is_error("E.bad", 5));
    assert_false(rsp_is_error("OK", 2));
    assert_true(rsp_is_output("O68690a", 7));
    assert_false(rsp_is_output("OK", 2));
    assert_true(rsp_is_stop_reply("T05thread:01;", 13));
    assert_true(rsp_is_stop_reply("S02", 3));
    assert_true(rsp_is_stop_reply("W00", 3));
    assert_false(rsp_is_stop_reply("OK", 2));
    assert_true(rsp_is_resume("vCont;c", 7));
    assert_true(rsp_is_resume("s", 1));
    assert_true(rsp_is_resume("c", 1));
    assert_false(rsp_is_resume("vCont?", 6));
    assert_false(rsp_is_resume("g", 1));
}

static void parses_stop_replies(void **state)
{
    (void)state;
    struct rsp_stop st;
    const char *r = "T05thread:2;core:1;watch:200008;10:0900100000000000;";
    assert_true(rsp_parse_stop(r, strlen(r), &st));
    assert_int_equal(st.kind, 'T');
    assert_int_equal(st.signal, 5);
    assert_int_equal(st.thread, 2);
    assert_int_equal(st.core, 1);
    assert_true(st.has_watch_addr);
    assert_int_equal(st.watch_addr, 0x200008);
    assert_string_equal(st.reason, "write watchpoint");
    uint64_t rip;
    assert_true(rsp_stop_register(r, strlen(r), 0x10, &rip));
    assert_int_equal(rip, 0x100009);
    assert_false(rsp_stop_register(r, strlen(r), 0x7, &rip));

    char text[128];
    rsp_describe_stop(&st, text, sizeof text);
    assert_string_equal(text, "write watchpoint (signal 5) at 0x200008 on cpu 2");

    assert_true(rsp_parse_stop("T02thread:1;", 12, &st));
    rsp_describe_stop(&st, text, sizeof text);
    assert_string_equal(text, "interrupted (signal 2) on cpu 1");

    assert_true(rsp_parse_stop("T05thread:p01.02;", 17, &st));   /* multiprocess form */
    assert_int_equal(st.thread, 2);

    assert_true(rsp_parse_stop("W01", 3, &st));
    rsp_describe_stop(&st, text, sizeof text);
    assert_string_equal(text, "target exited with status 1");
    assert_false(rsp_parse_stop("OK", 2, &st));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(frames_with_checksum),
        cmocka_unit_test(frames_escape_special_bytes),
        cmocka_unit_test(decodes_acks_interrupt_and_noise),
        cmocka_unit_test(decodes_run_length),
        cmocka_unit_test(rejects_bad_checksum),
        cmocka_unit_test(restarts_on_dollar),
        cmocka_unit_test(reports_overflow),
        cmocka_unit_test(hex_round_trip),
        cmocka_unit_test(classifies_replies),
        cmocka_unit_test(parses_stop_replies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
