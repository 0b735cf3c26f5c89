/* Transfer feedback. See progress.h. Goes to stderr so that a dump piped
 * into a file stays clean. */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define REFRESH_S 0.2

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(struct progress *pr, const char *what, uint64_t total)
{
    pr->what = what;
    pr->total = total;
    pr->start = pr->last = progress_now();
    pr->shown = false;
}

void progress_update(struct progress *pr, uint64_t done)
{
    if (pr->total < PROGRESS_MIN_BYTES || !isatty(STDERR_FILENO))
        return;
    double now = progress_now();
    if (now - pr->last < REFRESH_S)
        return;
    pr->last = now;
    pr->shown = true;
    fprintf(stderr, "\r%s: %3u%% (%llu of %llu KiB)", pr->what,
            (unsigned)(done * 100 / (pr->total ? pr->total : 1)),
            (unsigned long long)(done / 1024), (unsigned long long)(pr->total / 1024));
    fflush(stderr);
}

void progress_finish(struct progress *pr, uint64_t done)
{
    if (pr->shown)
        fprintf(stderr, "\r\033[K");
    if (pr->total < PROGRESS_MIN_BYTES)
        return;
    double secs = progress_now() - pr->start;
    if (secs < 1e-6)
        secs = 1e-6;
    fprintf(stderr, "%s: %llu bytes in %.2f s (%.1f KiB/s)\n", pr->what,
            (unsigned long long)done, secs, (double)done / 1024.0 / secs);
}
