#include "catch.h"

#include "arch_debug.h"
#include "debugger.h"
#include "vcpu.h"

#define HISTORY 8

struct excp_record {
    unsigned vector;
    uint64_t error;
    uint64_t rip;
};

static volatile uint32_t mask;
static struct excp_record history[MAX_CPUS][HISTORY];
static unsigned history_len[MAX_CPUS];

uint32_t catch_mask(void)
{
    return mask;
}

void catch_set(uint32_t m)
{
    mask = m;
}

void debug_note_exception(struct vcpu *v, unsigned vector, uint64_t error, uint64_t rip)
{
    unsigned *n = &history_len[v->index];
    struct excp_record *h = history[v->index];
    if (*n == HISTORY) {
        for (unsigned i = 1; i < HISTORY; i++)
            h[i - 1] = h[i];
        (*n)--;
    }
    h[(*n)++] = (struct excp_record){ vector, error, rip };
}

void catch_print_history(struct stub *s, struct vcpu *v)
{
    unsigned n = history_len[v->index];
    if (!n) {
        stub_printf(s, "cpu %u: no exception recorded\n", v->index);
        return;
    }
    stub_printf(s, "cpu %u: exceptions, oldest first:\n", v->index);
    for (unsigned i = 0; i < n; i++) {
        const struct excp_record *r = &history[v->index][i];
        const char *name = arch_dbg_vector_name(r->vector);
        stub_printf(s, "  %u: vector %u %s error 0x%lx at rip 0x%lx\n", i + 1, r->vector, name ? name : "",
                    (unsigned long)r->error, (unsigned long)r->rip);
    }
}
