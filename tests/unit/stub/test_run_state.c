/* Whether the target runs: stub_set_running() for an embedder's target
 * that already runs when the stub starts (the monitor's guest boots while
 * nobody is attached), and what k leaves, with and without a kill hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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

static void starts_stopped_and_answers_at_once(void **state)
{
    struct harness *h = *state;
    assert_false(stub_target_running(&h->stub));
    assert_memory_equal(request(h, "?"), "T05", 3);
    assert_int_equal(h->t.interrupts, 0);
}

static void running_target_is_interrupted_by_the_first_question(void **state)
{
    struct harness *h = *state;
    stub_set_running(&h->stub, true);
    assert_true(stub_target_running(&h->stub));
    clear_output(h);
    feed_packet(h, "?");
    /* no stale T05: the target is asked to stop and the stop answers */
    assert_int_equal(h->t.interrupts, 1);
    assert_int_equal(reply_count(h), 0);
    struct stop_event ev = { .thread = 2, .reason = STOP_SIGNAL, .signal = 2 };
    stub_report_stop(&h->stub, &ev);
    char buf[512];
    assert_true(last_reply(h, buf, sizeof buf) > 0);
    assert_memory_equal(buf, "T02", 3);
    assert_non_null(strstr(buf, "thread:2;"));
    assert_false(stub_target_running(&h->stub));
}

static void running_target_takes_a_ctrl_c(void **state)
{
    struct harness *h = *state;
    feed(h, "\x03");
    assert_int_equal(h->t.interrupts, 0);     /* stopped: nothing to interrupt */
    stub_set_running(&h->stub, true);
    feed(h, "\x03");
    assert_int_equal(h->t.interrupts, 1);
}

static void set_back_to_stopped_answers_at_once(void **state)
{
    struct harness *h = *state;
    stub_set_running(&h->stub, true);
    stub_set_running(&h->stub, false);
    assert_false(stub_target_running(&h->stub));
    assert_memory_equal(request(h, "?"), "T05", 3);
    assert_int_equal(h->t.interrupts, 0);
}

/* The fake target without a kill hook: a machine that cannot be killed. */
static struct target_ops unkillable_ops;

static void unkillable(struct harness *h)
{
    unkillable_ops = fake_ops;
    unkillable_ops.kill = NULL;
    stub_init(&h->stub, &unkillable_ops, &h->t, harness_capture, h);
}

static void kill_with_a_hook_leaves_the_target_stopped(void **state)
{
    struct harness *h = *state;
    request(h, "Z0,1000,1");
    assert_string_equal(request(h, "k"), "X09");
    assert_int_equal(h->t.kills, 1);
    assert_int_equal(h->t.removed, 1);
    assert_int_equal(h->t.resumes, 0);
    assert_int_equal(h->t.detaches, 0);
    assert_false(stub_target_running(&h->stub));
}

static void kill_without_a_hook_detaches_and_resumes(void **state)
{
    struct harness *h = *state;
    unkillable(h);
    request(h, "Z0,1000,1");
    assert_string_equal(request(h, "k"), "X09");
    assert_int_equal(reply_count(h), 1);
    assert_int_equal(h->t.removed, 1);
    assert_int_equal(h->t.detaches, 1);
    assert_int_equal(h->t.resumes, 1);
    for (int t = 0; t < FAKE_THREADS; t++)
        assert_int_equal(h->t.last_actions[t].kind, RESUME_CONTINUE);
    assert_true(stub_target_running(&h->stub));
    /* the next client finds it running and stops it */
    stub_connection_reset(&h->stub);
    feed_packet(h, "?");
    assert_int_equal(h->t.interrupts, 1);
}

static void vkill_without_a_hook_detaches_and_resumes(void **state)
{
    struct harness *h = *state;
    unkillable(h);
    assert_string_equal(request(h, "vKill;1"), "OK");
    assert_int_equal(h->t.detaches, 1);
    assert_int_equal(h->t.resumes, 1);
    assert_true(stub_target_running(&h->stub));
}

static void kill_of_a_running_unkillable_target_resumes_nothing_more(void **state)
{
    struct harness *h = *state;
    unkillable(h);
    stub_set_running(&h->stub, true);
    assert_string_equal(request(h, "k"), "X09");
    assert_int_equal(h->t.detaches, 1);
    assert_int_equal(h->t.resumes, 0);
    assert_true(stub_target_running(&h->stub));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(starts_stopped_and_answers_at_once),
        T(running_target_is_interrupted_by_the_first_question),
        T(running_target_takes_a_ctrl_c),
        T(set_back_to_stopped_answers_at_once),
        T(kill_with_a_hook_leaves_the_target_stopped),
        T(kill_without_a_hook_detaches_and_resumes),
        T(vkill_without_a_hook_detaches_and_resumes),
        T(kill_of_a_running_unkillable_target_resumes_nothing_more),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
