#include "run.h"
#include "console.h"
#include "prof.h"
#include "sched.h"
#include "shard.h"
#include "x86.h"

/* isa-debug-exit (QEMU -device isa-debug-exit,iobase=0xf4): writing v makes
 * QEMU exit with status 2v+1, so 0 = pass gives 1. */
#define DEBUG_EXIT_PORT 0xF4
#define EXIT_PASS  0
#define EXIT_FAIL  1
#define EXIT_PANIC 2

static const struct run_config *config;
static int finished;            /* set once by the CPU that ends the run */

void run_begin(const struct run_config *cfg)
{
    config = cfg;
    if (run_pending() == 0)         /* nothing to wait for */
        run_shard_finished();
}

/* Shards that must still finish before the run can end: daemons only
 * count when the run does not end by itself. */
int run_pending(void)
{
    int n = 0;
    for (unsigned i = 0; i < shard_count; i++) {
        const struct shard *s = &shards[i];
        int final = s->state == SHARD_DONE || s->state == SHARD_KILLED || s->state == SHARD_STOPPED;
        if (!final && !(s->daemon && config->exit_when_done))
            n++;
    }
    return n;
}

int shard_passed(const struct shard *s)
{
    switch (s->state) {
    case SHARD_DONE:
        return s->expect_vector == NO_VECTOR && s->exit_code == 0;
    case SHARD_KILLED:
        return s->expect_vector != NO_VECTOR && s->fault_vector == s->expect_vector;
    case SHARD_STOPPED:
        return s->daemon;
    default:
        return 0;
    }
}

void run_shard_finished(void)
{
    if (!config || run_pending() > 0)
        return;
    if (__atomic_exchange_n(&finished, 1, __ATOMIC_ACQ_REL))
        return;
    if (config->exit_when_done)
        sched_stop_daemons();
    unsigned passed = 0;
    for (unsigned i = 0; i < shard_count; i++)
        passed += (unsigned)shard_passed(&shards[i]);
    unsigned failed = shard_count - passed;
    kprintf("supervisor: all shards done (%u passed, %u failed%s)\n", passed, failed,
            config->errors ? ", command-line errors" : "");
    prof_print_table();
    if (config->exit_when_done) {
        int verdict = failed || config->errors ? EXIT_FAIL : EXIT_PASS;
        kprintf("supervisor: exit-when-done: isa-debug-exit %d\n", verdict);
        outl(DEBUG_EXIT_PORT, (uint32_t)verdict);
    }
}

void run_fatal(void)
{
    if (config && config->exit_when_done) {
        kprintf("supervisor: exit-when-done: isa-debug-exit %d\n", EXIT_PANIC);
        outl(DEBUG_EXIT_PORT, EXIT_PANIC);
    }
    kprintf("supervisor: halted\n");
}
