/*
 * tests/unit/stub/test_packets.c - every packet handler against the fake
 * target. Simple request/reply pairs are one table; behaviour that needs
 * the target's side checked has its own test.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

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

static char *hex_of(const char *text)
{
    static char buf[1024];
    size_t n = 0;
    for (; *text && n + 2 < sizeof buf; text++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%02x", (unsigned char)*text);
    buf[n] = 0;
    return buf;
}

/* ---- the table ---------------------------------------------------------- */

enum match { EXACT, PREFIX, CONTAINS };

struct exchange {
    const char *before[3];   /* packets sent first, replies ignored */
    const char *request;
    enum match how;
    const char *reply;
};

static const struct exchange exchanges[] = {
    /* threads */
    { {0}, "qC", EXACT, "QC1" },
    { {0}, "qfThreadInfo", EXACT, "m1,2" },
    { {0}, "qsThreadInfo", EXACT, "l" },
    { {0}, "T1", EXACT, "OK" },
    { {0}, "T2", EXACT, "OK" },
    { {0}, "T3", EXACT, "E01" },
    { {0}, "T0", EXACT, "E01" },
    { {0}, "Tzz", EXACT, "E01" },
    { {0}, "T-1", EXACT, "E01" },
    { {0}, "Hg2", EXACT, "OK" },
    { {0}, "Hg0", EXACT, "OK" },
    { {0}, "Hg3", EXACT, "E22" },
    { {0}, "Hg-1", EXACT, "E22" },
    { {0}, "Hc-1", EXACT, "OK" },
    { {0}, "Hx1", EXACT, "E22" },
    { {0}, "H", EXACT, "E22" },
    { {0}, "Hg1junk", EXACT, "E22" },
    { {0}, "qThreadExtraInfo,1", EXACT, "4350552030" },        /* "CPU 0" */
    { {0}, "qThreadExtraInfo,2", EXACT, "4350552031" },
    { {0}, "qThreadExtraInfo,7", EXACT, "E22" },
    { {0}, "qThreadExtraInfo,", EXACT, "E22" },
    { {0}, "qXfer:threads:read::0,fff", PREFIX, "l<threads><thread id=\"1\"" },
    { {0}, "qXfer:threads:read::0,fff", CONTAINS, "<thread id=\"2\" core=\"1\" name=\"cpu1\">CPU 1</thread>" },
    { {0}, "qXfer:threads:read::10000,10", EXACT, "l" },
    { {0}, "qXfer:threads:read::0,4", EXACT, "m<thr" },
    { {0}, "qXfer:threads:read::", EXACT, "E22" },
    { {0}, "qThreadStopInfo1", PREFIX, "T05" },
    { {0}, "qThreadStopInfo2", PREFIX, "T00" },
    { {0}, "qThreadStopInfo2", CONTAINS, "thread:2;core:1;" },
    { {0}, "qThreadStopInfo9", EXACT, "E22" },
    /* negotiation and queries */
    { {0}, "qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386", EXACT,
      "PacketSize=4000;qXfer:features:read+;qXfer:threads:read+;QStartNoAckMode+;"
      "vContSupported+;swbreak+;hwbreak+" },
    { {0}, "qSupported", EXACT,
      "PacketSize=4000;qXfer:features:read+;qXfer:threads:read+;QStartNoAckMode+;vContSupported+" },
    { {0}, "qSupported:swbreak-;xswbreak+", PREFIX, "PacketSize=4000;qXfer:features:read+;qXfer:threads:read+;QStartNoAckMode+;vContSupported+" },
    { {0}, "qAttached", EXACT, "1" },
    { {0}, "qAttached:1", EXACT, "1" },
    { {0}, "vCont?", EXACT, "vCont;c;C;s;S;t" },
    { {0}, "qHostInfo", CONTAINS, "triple:7838365f36342d756e6b6e6f776e2d6e6f6e652d656c66;" },
    { {0}, "qHostInfo", CONTAINS, "ptrsize:8;endian:little;watchpoint_exceptions_received:after;" },
    { {0}, "qProcessInfo", PREFIX, "pid:1;" },
    { {0}, "qProcessInfo", CONTAINS, "triple:7838365f36342d756e6b6e6f776e2d6e6f6e652d656c66;" },
    { {0}, "QThreadSuffixSupported", EXACT, "OK" },
    { {0}, "QListThreadsInStopReply", EXACT, "OK" },
    { {0}, "QEnableErrorStrings", EXACT, "OK" },
    { {0}, "qWatchpointSupportInfo:", EXACT, "num:4;" },
    { {0}, "qWatchpointSupportInfo", EXACT, "num:4;" },
    { {0}, "qWatchpointSupportInfoX", EXACT, "" },
    { {0}, "qSymbol::", EXACT, "OK" },
    { {0}, "qXfer:features:read:target.xml:0,10", EXACT, "m<?xml version=\"1" },
    { {0}, "qXfer:features:read:target.xml:0,3fff", CONTAINS, "<xi:include href=\"husk-system.xml\"/>" },
    { {0}, "qXfer:features:read:target.xml:0,3fff", PREFIX, "l" },
    { {0}, "qXfer:features:read:64bit-core.xml:0,3fff", CONTAINS, "<reg name=\"cr3\" bitsize=\"64\"" },
    { {0}, "qXfer:features:read:nope.xml:0,10", EXACT, "E00" },
    { {0}, "qXfer:features:read:target.xml:zz", EXACT, "E22" },
    { {0}, "qXfer:features:read:target.xml", EXACT, "E22" },
    { {0}, "qXfer:features:read:target.xml:ffffffffffffffff,10", EXACT, "l" },
    /* unknown things get an empty reply, never OK */
    { {0}, "", EXACT, "" },
    { {0}, "qFooBar", EXACT, "" },
    { {0}, "vMustReplyEmpty", EXACT, "" },
    { {0}, "x0,0", EXACT, "" },
    { {0}, "x1000,4", EXACT, "" },
    { {0}, "qOffsets", EXACT, "" },
    { {0}, "jThreadsInfo", EXACT, "" },
    { {0}, "qCRC:1000,10", EXACT, "" },
    { {0}, "!", EXACT, "" },
    /* registers */
    { {0}, "p10", EXACT, "1010000000000000" },
    { {0}, "p11", EXACT, "11010000" },               /* eflags: 4 bytes */
    { {0}, "p1d", EXACT, "1d01000000000000" },       /* cr3 */
    { {0}, "p51", EXACT, "E01" },                    /* tsc: unreadable in the fake */
    { {0}, "p52", EXACT, "5201000000000000" },       /* exit_code, the last register */
    { {0}, "p53", EXACT, "E22" },
    { {0}, "pzz", EXACT, "E22" },
    { {0}, "p", EXACT, "E22" },
    { {0}, "p10000000000000000", EXACT, "E22" },
    { {"Hg2"}, "p10", EXACT, "1020000000000000" },
    { {0}, "P10=2000000000000000", EXACT, "OK" },
    { {"P10=2000000000000000"}, "p10", EXACT, "2000000000000000" },
    { {0}, "P10=20", EXACT, "E22" },
    { {0}, "P10=20000000000000zz", EXACT, "E22" },
    { {0}, "P99=00", EXACT, "E22" },
    { {0}, "P10", EXACT, "E22" },
    { {"QThreadSuffixSupported"}, "p10;thread:2;", EXACT, "1020000000000000" },
    { {"QThreadSuffixSupported"}, "p10;thread:1;", EXACT, "1010000000000000" },
    { {"QThreadSuffixSupported"}, "p10;thread:zz;", EXACT, "E22" },
    { {"QThreadSuffixSupported"}, "p10;thread:5;", EXACT, "E22" },
    { {"QThreadSuffixSupported", "P10=3000000000000000;thread:2;"}, "p10;thread:2;", EXACT, "3000000000000000" },
    { {0}, "G00", EXACT, "OK" },
    { {0}, "G0", EXACT, "E22" },
    { {0}, "Gzz", EXACT, "E22" },
    /* memory */
    { {0}, "m1000,4", EXACT, "00010203" },
    { {0}, "m10ffe,4", EXACT, "feff" },                /* partial: stops at the end */
    { {0}, "m10fff,4", EXACT, "ff" },
    { {0}, "m11000,4", EXACT, "E14" },
    { {0}, "m0,4", EXACT, "E14" },
    { {0}, "mffffffffffffffff,10", EXACT, "E14" },
    { {0}, "m1000", EXACT, "E22" },
    { {0}, "m1000,", EXACT, "E22" },
    { {0}, "m,4", EXACT, "E22" },
    { {0}, "m1000,4x", EXACT, "E22" },
    { {0}, "m1000,0", EXACT, "" },
    { {0}, "M1000,2:aabb", EXACT, "OK" },
    { {"M1000,2:aabb"}, "m1000,3", EXACT, "aabb02" },
    { {0}, "M1000,2:aab", EXACT, "E22" },
    { {0}, "M1000,2:aa", EXACT, "E22" },
    { {0}, "M1000,1:zz", EXACT, "E22" },
    { {0}, "M0,1:00", EXACT, "E14" },
    { {0}, "M10fff,2:0000", EXACT, "E14" },
    { {0}, "Mffffffffffffffff,2:0000", EXACT, "E14" },
    { {0}, "M1000,0:", EXACT, "OK" },
    { {0}, "X1000,0:", EXACT, "OK" },
    { {0}, "X1000,2:ab", EXACT, "OK" },
    { {"X1000,2:ab"}, "m1000,2", EXACT, "6162" },
    { {0}, "X1000,3:ab", EXACT, "E22" },
    { {0}, "X0,1:a", EXACT, "E14" },
    { {0}, "X1000", EXACT, "E22" },
    { {"QEnableErrorStrings"}, "m0,4", PREFIX, "E14;" },
    { {0}, "qqemu.PhyMemMode", EXACT, "0" },
    { {0}, "Qqemu.PhyMemMode:1", EXACT, "OK" },
    { {"Qqemu.PhyMemMode:1"}, "qqemu.PhyMemMode", EXACT, "1" },
    { {"Qqemu.PhyMemMode:1"}, "m0,2", EXACT, "0001" },
    { {"Qqemu.PhyMemMode:1", "Qqemu.PhyMemMode:0"}, "m0,2", EXACT, "E14" },
    { {0}, "Qqemu.PhyMemMode:2", EXACT, "E22" },
    { {0}, "Qqemu.PhyMemMode:", EXACT, "E22" },
    /* breakpoints */
    { {0}, "Z0,1000,1", EXACT, "OK" },
    { {0}, "z0,1000,1", EXACT, "OK" },
    { {0}, "Z1,1000,1", EXACT, "OK" },
    { {0}, "Z2,2000,8", EXACT, "OK" },
    { {0}, "Z3,2000,4", EXACT, "OK" },
    { {0}, "Z4,2000,2", EXACT, "OK" },
    { {0}, "Z0,1000,1;X1,0", EXACT, "OK" },
    { {0}, "Z5,1000,1", EXACT, "E22" },
    { {0}, "Z2,2000", EXACT, "E22" },
    { {0}, "Z2,,8", EXACT, "E22" },
    { {0}, "Z", EXACT, "E22" },
    { {0}, "z9", EXACT, "E22" },
    { {0}, "Z0,1000,1x", EXACT, "E22" },
    /* run control errors */
    { {0}, "vCont;x", EXACT, "E22" },
    { {0}, "vCont;s:3", EXACT, "E22" },
    { {0}, "vCont;s:0", EXACT, "E22" },
    { {0}, "vCont;Czz", EXACT, "E22" },
    { {0}, "vCont;c:1x", EXACT, "E22" },
    { {0}, "vCont;t", PREFIX, "T05" },
    { {0}, "vCont;", EXACT, "E22" },
    { {0}, "czz", EXACT, "E22" },
    { {0}, "C", EXACT, "E22" },
    { {0}, "S100", EXACT, "E22" },
    { {0}, "C05;zz", EXACT, "E22" },
    { {0}, "vKill;1", EXACT, "OK" },
    /* monitor */
    { {0}, "qRcmd,", EXACT, "OK" },                   /* bare "monitor": help */
    { {0}, "qRcmd,zz", EXACT, "E22" },
    { {0}, "qRcmd,6", EXACT, "E22" },
    { {0}, "qRcmd,6e6f7065", EXACT, "E22" },          /* "nope" */
    { {0}, "qRcmd,6661696c", EXACT, "E14" },          /* "fail" */
    { {0}, "qRcmd,6865006c70", EXACT, "E22" },        /* NUL inside */
    { {0}, "qRcmd,706879732062616e616e61", EXACT, "E22" },   /* "phys banana" */
};

static bool matches(enum match how, const char *got, const char *want)
{
    switch (how) {
    case EXACT: return strcmp(got, want) == 0;
    case PREFIX: return strncmp(got, want, strlen(want)) == 0;
    case CONTAINS: return strstr(got, want) != NULL;
    }
    return false;
}

static void table_of_exchanges(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof exchanges / sizeof exchanges[0]; i++) {
        const struct exchange *x = &exchanges[i];
        struct harness *h = harness_new();
        for (int b = 0; b < 3 && x->before[b]; b++)
            request(h, x->before[b]);
        const char *got = request(h, x->request);
        if (!matches(x->how, got, x->reply)) {
            fprintf(stderr, "packet '%s': got '%.200s', want %s '%s'\n", x->request, got,
                    x->how == EXACT ? "exactly" : x->how == PREFIX ? "prefix" : "containing",
                    x->reply);
            failures++;
        }
        harness_free(h);
    }
    assert_int_equal(failures, 0);
}

/* ---- behaviour ---------------------------------------------------------- */

static void stop_reason_has_expedited_registers_and_thread(void **state)
{
    struct harness *h = *state;
    const char *r = request(h, "?");
    assert_memory_equal(r, "T05", 3);
    assert_non_null(strstr(r, "10:1010000000000000;"));   /* rip */
    assert_non_null(strstr(r, "7:0701000000000000;"));    /* rsp */
    assert_non_null(strstr(r, "6:0601000000000000;"));    /* rbp */
    assert_non_null(strstr(r, "thread:1;core:0;"));
    assert_null(strstr(r, "threads:"));
}

static void list_threads_in_stop_reply(void **state)
{
    struct harness *h = *state;
    request(h, "QListThreadsInStopReply");
    const char *r = request(h, "?");
    assert_non_null(strstr(r, "threads:1,2;thread-pcs:1010,2010;"));
}

static struct stop_event watch_event(enum point_type kind)
{
    return (struct stop_event){ .thread = 2, .reason = STOP_WATCH, .signal = 5,
                                .watch_kind = kind, .data_addr = 0x1234, .hw_index = 1 };
}

static const char *stop_reply_for(struct harness *h, const struct stop_event *ev)
{
    static char buf[4096];
    request(h, "c");
    clear_output(h);
    stub_report_stop(&h->stub, ev);
    if (last_reply(h, buf, sizeof buf) < 0)
        return "<none>";
    return buf;
}

static void watchpoint_stop_replies(void **state)
{
    struct harness *h = *state;
    static const struct { enum point_type kind; const char *key; } cases[] = {
        { POINT_WATCH_WRITE, ";watch:1234;" },
        { POINT_WATCH_READ, ";rwatch:1234;" },
        { POINT_WATCH_ACCESS, ";awatch:1234;" },
    };
    for (size_t i = 0; i < 3; i++) {
        struct stop_event ev = watch_event(cases[i].kind);
        const char *r = stop_reply_for(h, &ev);
        assert_memory_equal(r, "T05", 3);
        assert_non_null(strstr(r, cases[i].key));
        assert_non_null(strstr(r, "thread:2;core:1;"));
        assert_non_null(strstr(r, "reason:watchpoint;"));
        char want[64];
        snprintf(want, sizeof want, "description:%s;", hex_of("4660 1"));
        assert_non_null(strstr(r, want));
        /* rip of thread 2 is expedited, not thread 1's */
        assert_non_null(strstr(r, "10:1020000000000000;"));
    }
}

static void breakpoint_keys_only_when_negotiated(void **state)
{
    struct harness *h = *state;
    struct stop_event sw = { .thread = 1, .reason = STOP_SW_BREAK, .signal = 5 };
    struct stop_event hw = { .thread = 1, .reason = STOP_HW_BREAK, .signal = 5 };
    const char *r = stop_reply_for(h, &sw);
    assert_null(strstr(r, "swbreak"));
    assert_non_null(strstr(r, "reason:breakpoint;"));
    request(h, "qSupported:swbreak+;hwbreak+");
    r = stop_reply_for(h, &sw);
    assert_non_null(strstr(r, ";swbreak:;"));
    r = stop_reply_for(h, &hw);
    assert_non_null(strstr(r, ";hwbreak:;"));
    assert_null(strstr(r, "swbreak"));
}

static void step_signal_and_exception_reasons(void **state)
{
    struct harness *h = *state;
    struct stop_event step = { .thread = 1, .reason = STOP_STEP };
    struct stop_event sig = { .thread = 1, .reason = STOP_SIGNAL, .signal = 2 };
    struct stop_event pf = { .thread = 2, .reason = STOP_EXCEPTION, .signal = 11, .vector = 14 };
    struct stop_event bye = { .thread = 1, .reason = STOP_EXITED, .exit_code = 3 };
    const char *r = stop_reply_for(h, &step);
    assert_memory_equal(r, "T05", 3);        /* signal 0 for a step means SIGTRAP */
    assert_non_null(strstr(r, "reason:trace;"));
    r = stop_reply_for(h, &sig);
    assert_memory_equal(r, "T02", 3);
    assert_non_null(strstr(r, "reason:signal;"));
    r = stop_reply_for(h, &pf);
    assert_memory_equal(r, "T0b", 3);
    assert_non_null(strstr(r, "reason:exception;"));
    char want[128];
    snprintf(want, sizeof want, "description:%s;", hex_of("exception 14 (page fault)"));
    assert_non_null(strstr(r, want));
    r = stop_reply_for(h, &bye);
    assert_string_equal(r, "W03");
}

static void stop_not_requested_is_remembered_not_sent(void **state)
{
    struct harness *h = *state;
    struct stop_event ev = { .thread = 2, .reason = STOP_SIGNAL, .signal = 2 };
    clear_output(h);
    stub_report_stop(&h->stub, &ev);
    assert_int_equal(h->out_len, 0);
    assert_memory_equal(request(h, "?"), "T02", 3);
    assert_string_equal(request(h, "qC"), "QC2");
}

static void question_mark_while_running_interrupts(void **state)
{
    struct harness *h = *state;
    request(h, "D");                     /* detach leaves the target running */
    assert_true(stub_target_running(&h->stub));
    stub_connection_reset(&h->stub);
    clear_output(h);
    feed_packet(h, "?");
    assert_int_equal(h->t.interrupts, 1);
    assert_int_equal(reply_count(h), 0);
    struct stop_event ev = { .thread = 1, .reason = STOP_SIGNAL, .signal = 2 };
    stub_report_stop(&h->stub, &ev);
    char buf[512];
    assert_true(last_reply(h, buf, sizeof buf) > 0);
    assert_memory_equal(buf, "T02", 3);
}

static void vcont_actions_per_thread(void **state)
{
    struct harness *h = *state;
    static const struct {
        const char *packet;
        enum resume_kind k1, k2;
        int sig1, sig2;
    } cases[] = {
        { "vCont;c", RESUME_CONTINUE, RESUME_CONTINUE, 0, 0 },
        { "vCont;s:1", RESUME_STEP, RESUME_STOP, 0, 0 },
        { "vCont;s:2;c", RESUME_CONTINUE, RESUME_STEP, 0, 0 },
        { "vCont;c:2", RESUME_STOP, RESUME_CONTINUE, 0, 0 },
        { "vCont;S0b:1;C02", RESUME_STEP, RESUME_CONTINUE, 11, 2 },
        { "vCont;s:-1", RESUME_STEP, RESUME_STEP, 0, 0 },
        { "vCont;s:1;s:1;c:1", RESUME_STEP, RESUME_STOP, 0, 0 },   /* first wins */
        { "vCont;t:1;c", RESUME_STOP, RESUME_CONTINUE, 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int before = h->t.resumes;
        clear_output(h);
        feed_packet(h, cases[i].packet);
        assert_int_equal(reply_count(h), 0);
        assert_int_equal(h->t.resumes, before + 1);
        assert_int_equal(h->t.last_actions[0].kind, cases[i].k1);
        assert_int_equal(h->t.last_actions[1].kind, cases[i].k2);
        assert_int_equal(h->t.last_actions[0].signal, cases[i].sig1);
        assert_int_equal(h->t.last_actions[1].signal, cases[i].sig2);
        struct stop_event ev = { .thread = 1, .reason = STOP_STEP };
        stub_report_stop(&h->stub, &ev);
        assert_int_equal(reply_count(h), 1);
    }
}

static void continue_and_step_use_the_control_thread(void **state)
{
    struct harness *h = *state;
    feed_packet(h, "c2000");
    assert_int_equal(fake_reg(h, 1, X86_REG_RIP), 0x2000);
    assert_int_equal(h->t.last_actions[0].kind, RESUME_CONTINUE);
    assert_int_equal(h->t.last_actions[1].kind, RESUME_CONTINUE);
    struct stop_event ev = { .thread = 1, .reason = STOP_SW_BREAK, .signal = 5 };
    stub_report_stop(&h->stub, &ev);

    request(h, "Hc2");
    feed_packet(h, "s3000");
    assert_int_equal(fake_reg(h, 2, X86_REG_RIP), 0x3000);
    assert_int_equal(h->t.last_actions[0].kind, RESUME_STOP);
    assert_int_equal(h->t.last_actions[1].kind, RESUME_STEP);
    ev.reason = STOP_STEP;
    ev.thread = 2;
    stub_report_stop(&h->stub, &ev);

    request(h, "Hc0");                 /* back to the thread that last stopped: 2 */
    feed_packet(h, "S05");
    assert_int_equal(h->t.last_actions[1].kind, RESUME_STEP);
    assert_int_equal(h->t.last_actions[1].signal, 5);
    stub_report_stop(&h->stub, &ev);
    feed_packet(h, "C0b;4000");
    assert_int_equal(fake_reg(h, 2, X86_REG_RIP), 0x4000);
}

static void whole_register_block_round_trip(void **state)
{
    struct harness *h = *state;
    char *g = strdup(request(h, "g"));
    assert_int_equal(strlen(g), 2 * X86_64_G_SIZE);
    /* tsc is unreadable in the fake: sent as xx */
    const struct target_reg *tsc = &x86_64_target_desc.regs[X86_REG_TSC];
    for (unsigned i = 0; i < 2u * tsc->size; i++)
        assert_int_equal(g[2 * tsc->offset + i], 'x');
    assert_memory_equal(g + 2 * x86_64_target_desc.regs[X86_REG_CR3].offset, "1d01000000000000", 16);
    /* write it back with rax changed, on thread 2 */
    for (size_t i = 0; i < strlen(g); i++)
        if (g[i] == 'x')
            g[i] = '0';
    memcpy(g, "efbeadde00000000", 16);
    char *G = malloc(strlen(g) + 2);
    sprintf(G, "G%s", g);
    request(h, "Hg2");
    assert_string_equal(request(h, G), "OK");
    assert_int_equal(fake_reg(h, 2, X86_REG_RAX), 0xdeadbeef);
    assert_int_equal(fake_reg(h, 2, X86_REG_CR3), 0x11d);   /* thread 1's value copied */
    assert_int_equal(fake_reg(h, 1, X86_REG_RAX), 0x100);
    free(G);
    free(g);
}

static void points_are_tracked_and_removed_on_detach(void **state)
{
    struct harness *h = *state;
    assert_string_equal(request(h, "Z0,1000,1"), "OK");
    assert_string_equal(request(h, "Z0,1000,1"), "OK");     /* twice: inserted once */
    assert_string_equal(request(h, "Z2,2000,8"), "OK");
    assert_int_equal(h->t.inserted, 2);
    assert_int_equal(h->t.last_type, POINT_WATCH_WRITE);
    assert_int_equal(h->t.last_addr, 0x2000);
    assert_int_equal(h->t.last_kind, 8);
    assert_string_equal(request(h, "D"), "OK");
    assert_int_equal(h->t.removed, 2);
    assert_int_equal(h->t.detaches, 1);
    assert_int_equal(h->t.last_actions[0].kind, RESUME_CONTINUE);
    assert_int_equal(h->t.last_actions[1].kind, RESUME_CONTINUE);
}

static void point_errors_map_to_replies(void **state)
{
    struct harness *h = *state;
    h->t.point_status = TARGET_ENOSPC;
    assert_string_equal(request(h, "Z1,1000,1"), "E28");
    h->t.point_status = TARGET_EINVAL;
    assert_string_equal(request(h, "Z2,1001,8"), "E22");
    h->t.point_status = TARGET_UNSUPPORTED;
    assert_string_equal(request(h, "Z3,1000,8"), "");
    h->t.point_status = TARGET_OK;
    /* failed inserts were not remembered: a reconnect removes nothing */
    stub_connection_reset(&h->stub);
    assert_int_equal(h->t.removed, 0);
}

static int refuse_resume(void *t, const struct resume_action *a, int n)
{
    (void)t;
    (void)a;
    (void)n;
    return TARGET_ERR;
}

static void refused_resume_is_an_error_not_a_stop(void **state)
{
    struct harness *h = *state;
    static struct target_ops ops;
    ops = fake_ops;
    ops.resume = refuse_resume;
    stub_init(&h->stub, &ops, &h->t, harness_capture, h);
    assert_string_equal(request(h, "c"), "E01");
    assert_false(stub_target_running(&h->stub));
    assert_string_equal(request(h, "vCont;s:1"), "E01");
    assert_memory_equal(request(h, "?"), "T05", 3);
}

static struct stub *stepping_stub;

/* A target that finishes a step before resume returns, as a monitor may. */
static int step_at_once(void *t, const struct resume_action *a, int n)
{
    (void)t;
    for (int i = 0; i < n; i++)
        if (a[i].kind == RESUME_STEP) {
            struct stop_event ev = { .thread = i + 1, .reason = STOP_STEP };
            stub_report_stop(stepping_stub, &ev);
        }
    return TARGET_OK;
}

static void stop_reported_inside_resume(void **state)
{
    struct harness *h = *state;
    static struct target_ops ops;
    ops = fake_ops;
    ops.resume = step_at_once;
    stepping_stub = &h->stub;
    stub_init(&h->stub, &ops, &h->t, harness_capture, h);
    const char *r = request(h, "vCont;s:2");
    assert_memory_equal(r, "T05", 3);
    assert_non_null(strstr(r, "thread:2;"));
    assert_non_null(strstr(r, "reason:trace;"));
    assert_false(stub_target_running(&h->stub));
    assert_int_equal(reply_count(h), 1);
    assert_string_equal(request(h, "qC"), "QC2");
}

static void kill_reports_exit_by_signal_9(void **state)
{
    struct harness *h = *state;
    request(h, "Z0,1000,1");
    assert_string_equal(request(h, "k"), "X09");
    assert_int_equal(h->t.kills, 1);
    assert_int_equal(h->t.removed, 1);
}

static void monitor_command_output_and_arguments(void **state)
{
    struct harness *h = *state;
    char packet[256];
    snprintf(packet, sizeof packet, "qRcmd,%s", hex_of("echo   0x10 hi"));
    clear_output(h);
    feed_packet(h, packet);
    assert_string_equal(h->t.cmd_args, "0x10 hi");
    assert_int_equal(reply_count(h), 2);
    /* first packet is O + hex("echo:0x10 hi\n"), the last OK */
    char want[128];
    snprintf(want, sizeof want, "$O%s#", hex_of("echo:0x10 hi\n"));
    assert_non_null(memmem(h->out, h->out_len, want, strlen(want)));
    char buf[64];
    last_reply(h, buf, sizeof buf);
    assert_string_equal(buf, "OK");
}

static void monitor_help_lists_every_command(void **state)
{
    struct harness *h = *state;
    clear_output(h);
    feed_packet(h, "qRcmd,68656c70");
    /* Collect O output. */
    char text[4096] = "";
    char buf[4096];
    size_t i = 0;
    while (i < h->out_len) {
        uint8_t *d = memchr(h->out + i, '$', h->out_len - i);
        if (!d)
            break;
        uint8_t *e = memchr(d, '#', h->out_len - (size_t)(d - h->out));
        size_t n = (size_t)(e - d - 1);
        memcpy(buf, d + 1, n);
        buf[n] = 0;
        if (buf[0] == 'O') {
            for (size_t k = 1; k + 1 < n; k += 2) {
                char c = (char)strtol((char[]){ buf[k], buf[k + 1], 0 }, NULL, 16);
                strncat(text, &c, 1);
            }
        }
        i = (size_t)(e - h->out) + 3;
    }
    for (const char *name = "help\0phys\0echo\0fail\0flood\0"; *name; name += strlen(name) + 1)
        assert_non_null(strstr(text, name));
    assert_non_null(strstr(text, "print the arguments"));
}

static void monitor_output_is_chunked(void **state)
{
    struct harness *h = *state;
    clear_output(h);
    feed_packet(h, "qRcmd,666c6f6f64");   /* "flood" */
    int packets = reply_count(h);
    assert_true(packets > 10);
    char buf[1024];
    last_reply(h, buf, sizeof buf);
    assert_string_equal(buf, "OK");
}

static void monitor_phys_switches_memory_mode(void **state)
{
    struct harness *h = *state;
    char packet[64];
    snprintf(packet, sizeof packet, "qRcmd,%s", hex_of("phys on"));
    assert_string_equal(request(h, packet), "OK");
    assert_true(h->stub.physical);
    assert_string_equal(request(h, "m0,1"), "00");
    assert_true(h->t.last_mem_physical);
    snprintf(packet, sizeof packet, "qRcmd,%s", hex_of("phys off"));
    assert_string_equal(request(h, packet), "OK");
    assert_false(h->stub.physical);
}

static void printf_outside_a_command_sends_nothing(void **state)
{
    struct harness *h = *state;
    clear_output(h);
    stub_printf(&h->stub, "hello %d\n", 1);
    assert_int_equal(h->out_len, 0);
}

static void printf_while_running_reaches_the_client(void **state)
{
    struct harness *h = *state;
    feed_packet(h, "c");
    clear_output(h);
    stub_printf(&h->stub, "guest says %s", "hi");
    char buf[128];
    assert_int_equal(reply_count(h), 1);
    last_reply(h, buf, sizeof buf);
    char want[64];
    snprintf(want, sizeof want, "O%s", hex_of("guest says hi"));
    assert_string_equal(buf, want);
    struct stop_event ev = { .thread = 1, .reason = STOP_SIGNAL, .signal = 2 };
    stub_report_stop(&h->stub, &ev);
    clear_output(h);
    stub_printf(&h->stub, "too late\n");
    assert_int_equal(h->out_len, 0);
}

static size_t odd_name(void *t, int thread, char *buf, size_t cap)
{
    (void)t;
    return (size_t)snprintf(buf, cap, "<cpu & %d>", thread);
}

static void thread_names_are_escaped_in_xml(void **state)
{
    struct harness *h = *state;
    static struct target_ops ops;
    ops = fake_ops;
    ops.thread_extra_info = odd_name;
    stub_init(&h->stub, &ops, &h->t, harness_capture, h);
    const char *r = request(h, "qXfer:threads:read::0,fff");
    assert_non_null(strstr(r, ">&lt;cpu &amp; 2&gt;</thread>"));
    assert_null(strstr(r, "<cpu"));
    assert_string_equal(request(h, "qThreadExtraInfo,1"), hex_of("<cpu & 1>"));
}

static void memory_uses_the_register_thread(void **state)
{
    struct harness *h = *state;
    request(h, "m1000,1");
    assert_int_equal(h->t.last_mem_thread, 1);
    request(h, "Hg2");
    request(h, "m1000,1");
    assert_int_equal(h->t.last_mem_thread, 2);
}

static void a_stop_moves_the_register_thread_to_the_stopped_one(void **state)
{
    struct harness *h = *state;
    request(h, "Hg2");
    assert_string_equal(request(h, "p10"), "1020000000000000");    /* thread 2's rip */
    struct stop_event ev = { .thread = 1, .reason = STOP_SIGNAL, .signal = 5 };
    stub_report_stop(&h->stub, &ev);
    assert_string_equal(request(h, "p10"), "1010000000000000");    /* thread 1's */
    request(h, "m1000,1");
    assert_int_equal(h->t.last_mem_thread, 1);
    request(h, "Hg2");                  /* selecting again still works */
    assert_string_equal(request(h, "p10"), "1020000000000000");
}

static void big_memory_read_is_capped(void **state)
{
    struct harness *h = *state;
    const char *r = request(h, "m1000,100000");
    assert_int_equal(strlen(r), STUB_PACKET_SIZE);
}

static void no_ack_then_reconnect_resets_session(void **state)
{
    struct harness *h = *state;
    request(h, "QStartNoAckMode");
    request(h, "QThreadSuffixSupported");
    request(h, "Qqemu.PhyMemMode:1");
    stub_connection_reset(&h->stub);
    assert_false(h->stub.no_ack);
    assert_false(h->stub.thread_suffix);
    assert_false(h->stub.physical);
}

/* ---- argument helpers and the formatter ---------------------------------- */

static void argument_numbers(void **state)
{
    (void)state;
    static const struct { const char *in; bool ok; uint64_t v; const char *rest; } cases[] = {
        { "0x10", true, 16, "" },
        { "  42 more", true, 42, " more" },
        { "0XfF", true, 255, "" },
        { "0xffffffffffffffff", true, UINT64_MAX, "" },
        { "18446744073709551615", true, UINT64_MAX, "" },
        { "18446744073709551616", false, 0, NULL },
        { "0x10000000000000000", false, 0, NULL },
        { "0x", false, 0, NULL },
        { "12a", false, 0, NULL },
        { "", false, 0, NULL },
        { "   ", false, 0, NULL },
        { "-1", false, 0, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = cases[i].in;
        uint64_t v = 0;
        bool ok = stub_arg_number(&p, &v);
        assert_int_equal(ok, cases[i].ok);
        if (ok) {
            assert_true(v == cases[i].v);
            assert_string_equal(p, cases[i].rest);
        } else {
            assert_ptr_equal(p, cases[i].in);
        }
    }
}

static void argument_words(void **state)
{
    (void)state;
    const char *p = "  alpha  beta";
    char w[8];
    assert_true(stub_arg_word(&p, w, sizeof w));
    assert_string_equal(w, "alpha");
    assert_true(stub_arg_word(&p, w, sizeof w));
    assert_string_equal(w, "beta");
    assert_true(stub_arg_end(p));
    assert_false(stub_arg_word(&p, w, sizeof w));
    p = "toolongword";
    assert_false(stub_arg_word(&p, w, sizeof w));
    assert_string_equal(p, "toolongword");
}

static void formatter(void **state)
{
    (void)state;
    char buf[128];
    stub_format(buf, sizeof buf, "%d|%5d|%-5d|%05d|%u|%x|%X|%08llx|%s|%-4s|%c|%%|%zu|%ld",
                -7, 42, 42, -42, 4000000000u, 0xbeefu, 0xbeefu, 0x1234ull, "hi", "ab", 'z',
                (size_t)9, -5L);
    assert_string_equal(buf, "-7|   42|42   |-0042|4000000000|beef|BEEF|00001234|hi|ab  |z|%|9|-5");
    assert_int_equal(stub_format(buf, 4, "%s", "abcdef"), 6);
    assert_string_equal(buf, "abc");
    const char *volatile nothing = NULL;   /* volatile: hide the NULL from the format checker */
    stub_format(buf, sizeof buf, "%s|%lld", nothing, (long long)INT64_MIN);
    assert_string_equal(buf, "(null)|-9223372036854775808");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        cmocka_unit_test(table_of_exchanges),
        T(stop_reason_has_expedited_registers_and_thread),
        T(list_threads_in_stop_reply),
        T(watchpoint_stop_replies),
        T(breakpoint_keys_only_when_negotiated),
        T(step_signal_and_exception_reasons),
        T(stop_not_requested_is_remembered_not_sent),
        T(question_mark_while_running_interrupts),
        T(vcont_actions_per_thread),
        T(continue_and_step_use_the_control_thread),
        T(whole_register_block_round_trip),
        T(points_are_tracked_and_removed_on_detach),
        T(point_errors_map_to_replies),
        T(refused_resume_is_an_error_not_a_stop),
        T(stop_reported_inside_resume),
        T(kill_reports_exit_by_signal_9),
        T(monitor_command_output_and_arguments),
        T(monitor_help_lists_every_command),
        T(monitor_output_is_chunked),
        T(monitor_phys_switches_memory_mode),
        T(printf_outside_a_command_sends_nothing),
        T(printf_while_running_reaches_the_client),
        T(thread_names_are_escaped_in_xml),
        T(memory_uses_the_register_thread),
        T(a_stop_moves_the_register_thread_to_the_stopped_one),
        T(big_memory_read_is_capped),
        T(no_ack_then_reconnect_resets_session),
        cmocka_unit_test(argument_numbers),
        cmocka_unit_test(argument_words),
        cmocka_unit_test(formatter),
#undef T
    };
    return cmocka_run_group_tests_name("stub packets", tests, NULL, NULL);
}
