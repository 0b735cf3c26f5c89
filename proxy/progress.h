/* Feedback for long transfers: a progress line on a terminal, and the
 * throughput at the end. */
#ifndef PROXY_PROGRESS_H
#define PROXY_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
    const char *what;
    uint64_t total;
    double start, last;
    bool shown;
};

/* Transfers smaller than this finish silently. */
#define PROGRESS_MIN_BYTES (64 * 1024)

void progress_start(struct progress *pr, const char *what, uint64_t total);
void progress_update(struct progress *pr, uint64_t done);
/* Prints "WHAT: N bytes in T s (R KiB/s)" for big transfers. */
void progress_finish(struct progress *pr, uint64_t done);
double progress_now(void);

#endif
