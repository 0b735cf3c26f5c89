/* The health line: image checksum and CPU accounting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "health.h"
#include "log.h"
#include "vcpu.h"

struct vcpu vcpus[MAX_CPUS];
unsigned vcpu_count;
static uint8_t image[256];
static char last_line[512];
static uint64_t now_us;

void arch_image_ro_range(const uint8_t **start, size_t *len)
{
    *start = image;
    *len = sizeof image;
}

uint64_t arch_time_us(void) { return now_us; }

static int exit_stats_calls;
void arch_exit_stats_report(void) { exit_stats_calls++; }

int link_describe(char *buf, size_t size)
{
    return snprintf(buf, size, "link uart (COM2): received 1 bytes, sent 2 bytes, dropped 0 bytes");
}

void log_console(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_line, sizeof last_line, fmt, ap);
    va_end(ap);
}

static void test_checksum(void **state)
{
    (void)state;
    /* FNV-1a 64 reference values */
    assert_int_equal(health_checksum((const uint8_t *)"", 0), 0xcbf29ce484222325ull);
    assert_int_equal(health_checksum((const uint8_t *)"a", 1), 0xaf63dc4c8601ec8cull);
    assert_int_equal(health_checksum((const uint8_t *)"foobar", 6), 0x85944171f73967e8ull);
}

static void test_report(void **state)
{
    (void)state;
    for (unsigned i = 0; i < sizeof image; i++)
        image[i] = (uint8_t)i;
    vcpu_count = 2;
    vcpus[0] = (struct vcpu){ .index = 0, .state = VCPU_RUNNING, .checked_in = true, .exits = 300 };
    vcpus[1] = (struct vcpu){ .index = 1, .state = VCPU_PARKED, .checked_in = true, .exits = 100 };
    now_us = 1000;
    health_init();
    assert_true(health_report());
    assert_string_equal(last_line, "health ok: image unchanged, cpus 2/2 accounted (running 1, parked 1, stopped 0)");

    vcpus[1].state = VCPU_STOPPED;
    assert_true(health_report());
    assert_string_equal(last_line, "health ok: image unchanged, cpus 2/2 accounted (running 1, parked 0, stopped 1)");

    /* a CPU that never checked in, or in no known state, is not accounted */
    vcpus[1].checked_in = false;
    assert_false(health_report());
    assert_string_equal(last_line, "health BAD: image unchanged, cpus 1/2 accounted (running 1, parked 0, stopped 0)");
    vcpus[1].checked_in = true;
    vcpus[1].state = 42;
    assert_false(health_report());

    vcpus[1].state = VCPU_RUNNING;
    image[100] ^= 1;                            /* one flipped bit in the code */
    assert_false(health_report());
    assert_string_equal(last_line, "health BAD: image CHANGED, cpus 2/2 accounted (running 2, parked 0, stopped 0)");
    image[100] ^= 1;

    now_us = 2001000;                           /* 2 s later, 400 exits */
    stats_report();
    assert_string_equal(last_line, "stats: exits 400, uptime_ms 2000, exits_per_sec 200");
    assert_int_equal(exit_stats_calls, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
