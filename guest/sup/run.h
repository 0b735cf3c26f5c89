/* The run as a whole: when every shard is done, the verdict, the profiling
 * table and, with `exit-when-done`, the isa-debug-exit write. */
#ifndef SUP_RUN_H
#define SUP_RUN_H
#include "cmdline.h"

void run_begin(const struct run_config *cfg);
/* A shard reached a final state; the last one ends the run. */
void run_shard_finished(void);
/* A supervisor fault: under exit-when-done, leave QEMU with a failure. */
void run_fatal(void);
/* How many shards the run still waits for. */
int run_pending(void);
struct shard;
/* Exited 0, or died of exactly the fault it was asked for, or was stopped. */
int shard_passed(const struct shard *s);

#endif
