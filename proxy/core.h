/* ELF64 core file writer for x86_64: one NT_PRSTATUS note per CPU (the
 * Linux user_regs_struct layout GDB expects) and one PT_LOAD per memory
 * segment. Pure: memory comes from a callback, so tests use a fake. */
#ifndef PROXY_CORE_H
#define PROXY_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/user.h>

struct core_cpu {
    int id;                            /* thread id GDB will show (LWP) */
    struct user_regs_struct regs;
};

struct core_segment {
    uint64_t vaddr, paddr, size;
    unsigned flags;                    /* PF_R | PF_W | PF_X */
};

/* Reads `len` bytes at `off` into segment `seg`; returns 0, -1 when the
 * memory is unreadable (the writer then stores zeros and counts it), or
 * CORE_READ_ABORT to stop the whole core (the link to the target is gone). */
#define CORE_READ_ABORT (-2)
typedef int (*core_read_fn)(void *ctx, const struct core_segment *seg,
                            uint64_t off, void *buf, size_t len);
/* Called as data is written; may be NULL. */
typedef void (*core_progress_fn)(void *ctx, uint64_t done, uint64_t total);

struct core_result {
    uint64_t bytes;                    /* segment bytes written */
    uint64_t unreadable;               /* of which were zero-filled */
};

/* Writes the core to `path`; cpus[0] becomes GDB's current thread.
 * Returns 0, or -1 with a one-line reason in `err`. */
int core_write(const char *path, const struct core_cpu *cpus, int ncpus,
               const struct core_segment *segs, int nsegs,
               core_read_fn read, void *read_ctx,
               core_progress_fn progress, void *progress_ctx,
               struct core_result *result, char *err, size_t errsize);

#endif
