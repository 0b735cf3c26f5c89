/* stub_set_running(): an embedder's target that is already running when
 * the stub starts (the monitor's guest boots while nobody is attached). */
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

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(starts_stopped_and_answers_at_once),
        T(running_target_is_interrupted_by_the_first_question),
        T(running_target_takes_a_ctrl_c),
        T(set_back_to_stopped_answers_at_once),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
