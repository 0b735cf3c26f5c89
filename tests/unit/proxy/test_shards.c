/* The shard table decoder, on entries laid out as guest/sup/shard.h does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "shards.h"

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void fake_entry(uint8_t *e, const char *name, uint32_t id, uint32_t state, uint64_t exit_code,
                       uint64_t cr3, int32_t cpu, int32_t fault, int32_t expect)
{
    memset(e, 0, SHARD_ENTRY_SIZE);
    strncpy((char *)e, name, 16);
    put32(e + 0x10, id);
    put32(e + 0x14, state);
    put64(e + 0x18, exit_code);
    put64(e + 0x20, cr3);
    put32(e + 0x28, (uint32_t)cpu);
    put32(e + 0x2c, (uint32_t)fault);
    put32(e + 0x30, (uint32_t)expect);
}

static void decodes_running_done_and_killed(void **state)
{
    (void)state;
    uint8_t e[SHARD_ENTRY_SIZE];
    struct shard_info s;
    char line[160];

    fake_entry(e, "counter", 2, 2, 0, 0x812000, 1, -1, -1);
    assert_true(shard_decode(e, sizeof e, &s));
    assert_string_equal(s.name, "counter");
    assert_int_equal(s.cpu, 1);
    shard_format(&s, line, sizeof line);
    assert_non_null(strstr(line, "counter"));
    assert_non_null(strstr(line, "running"));
    assert_non_null(strstr(line, "on cpu 1"));
    assert_non_null(strstr(line, "cr3 0x812000"));

    fake_entry(e, "hello", 0, 4, 0, 0x810000, -1, -1, -1);
    shard_decode(e, sizeof e, &s);
    shard_format(&s, line, sizeof line);
    assert_non_null(strstr(line, "done"));
    assert_non_null(strstr(line, "exit 0"));

    fake_entry(e, "fault-null", 1, 5, ~0ULL, 0x811000, -1, 14, 14);
    shard_decode(e, sizeof e, &s);
    shard_format(&s, line, sizeof line);
    assert_non_null(strstr(line, "killed"));
    assert_non_null(strstr(line, "vector 14 (expected)"));
}

static void survives_garbage(void **state)
{
    (void)state;
    uint8_t e[SHARD_ENTRY_SIZE];
    struct shard_info s;
    char line[160];
    memset(e, 0xff, sizeof e);   /* a 16-byte name with no NUL, a bad state */
    assert_true(shard_decode(e, sizeof e, &s));
    assert_int_equal(strlen(s.name), 16);
    shard_format(&s, line, sizeof line);
    assert_non_null(strstr(line, "corrupt"));
    assert_false(shard_decode(e, 8, &s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_running_done_and_killed),
        cmocka_unit_test(survives_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
