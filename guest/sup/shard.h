/* The shard table. `shards` is read by debuggers and the proxy shell: keep
 * the layout stable (docs/guest.md, "Debugger-visible symbols"). */
#ifndef SUP_SHARD_H
#define SUP_SHARD_H
#include <stdint.h>
#include "../abi.h"
#include "cmdline.h"
#include "layout.h"
#include "trap.h"

enum shard_state {
    SHARD_FREE = 0,       /* unused slot */
    SHARD_READY = 1,      /* runnable, waiting for a CPU */
    SHARD_RUNNING = 2,    /* on CPU `cpu` */
    SHARD_SLEEPING = 3,   /* until timer_ticks >= wake_tick */
    SHARD_DONE = 4,       /* exited through SYS_EXIT */
    SHARD_KILLED = 5,     /* killed by an exception (fault_vector) */
    SHARD_STOPPED = 6,    /* an endless shard stopped at the end of the run */
};

#define SHARD_EXIT_KILLED 0xFFFFFFFFFFFFFFFFull   /* exit code of a killed shard */
#define NO_VECTOR (-1)

struct shard_prof {
    uint64_t syscalls[SYS_COUNT];   /* calls by number */
    uint64_t cycles[SYS_COUNT];     /* TSC cycles spent in each */
    uint64_t bad_syscalls;          /* numbers out of range */
    uint64_t switches;              /* times a CPU switched to it */
    uint64_t preemptions;           /* timer interrupts taken while it ran */
    uint64_t first_tick, end_tick;  /* timer_ticks at first run and at the end */
    uint64_t first_tsc, end_tsc;    /* the same in TSC cycles: wall time that a
                                       late timer tick cannot shorten */
    uint32_t cpu_mask;              /* CPUs it ran on */
    uint32_t started;
};

struct shard {
    char name[16];              /* 0x00: NUL-terminated, e.g. "hello", "fault-null" */
    uint32_t id;                /* 0x10: index in `shards` */
    uint32_t state;             /* 0x14: enum shard_state */
    uint64_t exit_code;         /* 0x18: SYS_EXIT code, all ones when killed */
    uint64_t cr3;               /* 0x20: physical address of its PML4 */
    int32_t cpu;                /* 0x28: CPU running it, -1 when not running */
    int32_t fault_vector;       /* 0x2c: vector that killed it, -1 */
    int32_t expect_vector;      /* 0x30: vector it should die of, -1 = must exit 0 */
    uint32_t daemon;            /* 0x34: runs until stopped */
    uint64_t wake_tick;         /* 0x38 */
    uint64_t mmap_next;         /* 0x40: next SYS_MMAP address */
    uint64_t arg;               /* 0x48: its command-line argument (RDI at entry) */
    struct trap_frame regs;     /* 0x50: user registers while not running */
    uint8_t fxsave[512] __attribute__((aligned(64)));  /* 0x100: FPU/SSE state */
    struct shard_prof prof;     /* 0x300 */
};
_Static_assert(__builtin_offsetof(struct shard, id) == 0x10, "shard.id");
_Static_assert(__builtin_offsetof(struct shard, state) == 0x14, "shard.state");
_Static_assert(__builtin_offsetof(struct shard, exit_code) == 0x18, "shard.exit_code");
_Static_assert(__builtin_offsetof(struct shard, cr3) == 0x20, "shard.cr3");
_Static_assert(__builtin_offsetof(struct shard, cpu) == 0x28, "shard.cpu");
_Static_assert(__builtin_offsetof(struct shard, fault_vector) == 0x2c, "shard.fault_vector");
_Static_assert(__builtin_offsetof(struct shard, regs) == 0x50, "shard.regs");
_Static_assert(__builtin_offsetof(struct shard, fxsave) == 0x100, "shard.fxsave");
_Static_assert(__builtin_offsetof(struct shard, prof) == 0x300, "shard.prof");
_Static_assert(sizeof(struct shard) == 0x3c0, "struct shard size");

extern struct shard shards[MAX_SHARDS];
extern uint32_t shard_count;

/* Builds a shard's address space from its embedded image; 0 or -1. */
int shard_create(const struct shard_request *r, unsigned id);

#endif
