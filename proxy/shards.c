/* Shard table decoding. See shards.h. */
#include "shards.h"

#include <stdio.h>
#include <string.h>

/* Field offsets in struct shard (guest/sup/shard.h). */
enum {
    OFF_NAME = 0x00, NAME_LEN = 16,
    OFF_ID = 0x10, OFF_STATE = 0x14, OFF_EXIT = 0x18, OFF_CR3 = 0x20,
    OFF_CPU = 0x28, OFF_FAULT = 0x2c, OFF_EXPECT = 0x30, OFF_DAEMON = 0x34,
    DECODED_END = 0x38,
};

static const char *const state_names[] = {
    "free", "ready", "running", "sleeping", "done", "killed", "stopped",
};

static uint32_t u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t u64(const uint8_t *p)
{
    return (uint64_t)u32(p) | (uint64_t)u32(p + 4) << 32;
}

bool shard_decode(const uint8_t *e, size_t len, struct shard_info *s)
{
    if (len < DECODED_END)
        return false;
    memcpy(s->name, e + OFF_NAME, NAME_LEN);
    s->name[NAME_LEN] = '\0';
    for (char *c = s->name; *c; c++)   /* a corrupt name must not garble the line */
        if (*c < 0x20 || *c > 0x7e)
            *c = '?';
    s->id = u32(e + OFF_ID);
    s->state = u32(e + OFF_STATE);
    s->exit_code = u64(e + OFF_EXIT);
    s->cr3 = u64(e + OFF_CR3);
    s->cpu = (int32_t)u32(e + OFF_CPU);
    s->fault_vector = (int32_t)u32(e + OFF_FAULT);
    s->expect_vector = (int32_t)u32(e + OFF_EXPECT);
    s->daemon = u32(e + OFF_DAEMON) != 0;
    return true;
}

const char *shard_state_name(uint32_t state)
{
    return state < sizeof state_names / sizeof state_names[0] ? state_names[state] : "corrupt";
}

void shard_format(const struct shard_info *s, char *out, size_t size)
{
    char detail[64] = "";
    switch (s->state) {
    case 2:
        snprintf(detail, sizeof detail, "on cpu %d", s->cpu);
        break;
    case 4:
        snprintf(detail, sizeof detail, "exit %llu", (unsigned long long)s->exit_code);
        break;
    case 5:
        snprintf(detail, sizeof detail, "vector %d%s", s->fault_vector,
                 s->expect_vector == s->fault_vector ? " (expected)" : "");
        break;
    default:
        break;
    }
    snprintf(out, size, "%3u  %-16s %-9s %-20s cr3 0x%llx%s", s->id, s->name,
             shard_state_name(s->state), detail, (unsigned long long)s->cr3,
             s->daemon ? "  daemon" : "");
}
