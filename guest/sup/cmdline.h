/* The guest's command line: which shards to start and how. */
#ifndef SUP_CMDLINE_H
#define SUP_CMDLINE_H
#include <stdint.h>
#include "layout.h"

struct shard_request {
    const char *image;      /* shard image name: hello, counter, float, fault, spin */
    char name[16];          /* shard name shown in logs and the table */
    uint64_t arg;           /* passed in RDI */
    int expect_vector;      /* the exception that should kill it, or -1 */
    int daemon;             /* runs until stopped (unbounded counter) */
};

struct run_config {
    struct shard_request shards[MAX_SHARDS];
    int nshards;
    int exit_when_done;
    int oops;               /* the supervisor faults on purpose after boot */
    int errors;             /* bad words seen; the run then counts as failed */
};

/* Parses everything after the first word (the image path). Bad words print
 * a `[BOOT] error:` line and count in cfg->errors; they never stop the boot. */
void cmdline_parse(const char *cmdline, struct run_config *cfg);

#endif
