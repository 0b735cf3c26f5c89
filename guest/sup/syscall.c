/* System calls: SYSCALL lands in isr.S, which calls syscall_dispatch with the
 * shard's registers. One table indexed by number, bounds-checked; every
 * pointer from a shard is checked against its own page tables. */
#include "console.h"
#include "cpu.h"
#include "pmm.h"
#include "sched.h"
#include "shard.h"
#include "vm.h"
#include "x86.h"
#include "../lib/string.h"

#define SERIAL_WRITE_MAX 1024
#define MMAP_MAX_PAGES   256

/* What happens after a handler: back to the shard, or scheduling. */
enum after {
    AFTER_RETURN,
    AFTER_YIELD,        /* requeue as READY */
    AFTER_SLEEP,        /* requeue as SLEEPING */
    AFTER_EXIT,         /* the result is the exit code */
};

typedef int64_t (*syscall_fn)(struct shard *s, const struct trap_frame *f, enum after *after);

/* Copies from the shard's memory through the HHDM, page by page, so a bad
 * pointer is an error code and never a supervisor fault. */
static int copy_from_shard(const struct shard *s, void *dst, uint64_t uva, uint64_t len)
{
    uint8_t *d = dst;
    while (len) {
        uint64_t pa = vm_user_phys(s->cr3, uva, 0);
        if (!pa)
            return -1;
        uint64_t chunk = PAGE_SIZE - (uva & (PAGE_SIZE - 1));
        if (chunk > len)
            chunk = len;
        memcpy(d, phys_to_virt(pa), chunk);
        d += chunk;
        uva += chunk;
        len -= chunk;
    }
    return 0;
}

static int64_t sys_serial_write(struct shard *s, const struct trap_frame *f, enum after *after)
{
    (void)after;
    char buf[SERIAL_WRITE_MAX];
    uint64_t len = f->rsi;
    if (len > SERIAL_WRITE_MAX)
        return -E_INVAL;
    if (copy_from_shard(s, buf, f->rdi, len))
        return -E_FAULT;
    console_write(buf, len);
    return (int64_t)len;
}

static int64_t sys_exit(struct shard *s, const struct trap_frame *f, enum after *after)
{
    (void)s;
    *after = AFTER_EXIT;
    return (int64_t)f->rdi;
}

static int64_t sys_yield(struct shard *s, const struct trap_frame *f, enum after *after)
{
    (void)s;
    (void)f;
    *after = AFTER_YIELD;
    return 0;
}

static int64_t sys_mmap(struct shard *s, const struct trap_frame *f, enum after *after)
{
    (void)after;
    uint64_t pages = f->rdi;
    if (pages == 0 || pages > MMAP_MAX_PAGES)
        return -E_INVAL;
    if (s->mmap_next + pages * PAGE_SIZE > USER_MMAP_LIMIT)
        return -E_NOMEM;
    uint64_t base = s->mmap_next;
    for (uint64_t i = 0; i < pages; i++) {
        uint64_t pa = pmm_alloc();
        if (!pa || vm_map(s->cr3, base + i * PAGE_SIZE, pa, PTE_U | PTE_W | PTE_NX))
            return -E_NOMEM;    /* pages mapped so far stay with the shard */
        s->mmap_next += PAGE_SIZE;
    }
    return (int64_t)base;
}

static int64_t sys_getid(struct shard *s, const struct trap_frame *f, enum after *after)
{
    (void)f;
    (void)after;
    return s->id;
}

static int64_t sys_sleep_ticks(struct shard *s, const struct trap_frame *f, enum after *after)
{
    if (f->rdi == 0)
        return 0;
    s->wake_tick = timer_ticks + f->rdi;
    *after = AFTER_SLEEP;
    return 0;
}

static int64_t sys_ticks(struct shard *s, const struct trap_frame *f, enum after *after)
{
    (void)s;
    (void)f;
    (void)after;
    return (int64_t)timer_ticks;
}

static const syscall_fn syscall_table[SYS_COUNT] = {
    [SYS_SERIAL_WRITE] = sys_serial_write,
    [SYS_EXIT]         = sys_exit,
    [SYS_YIELD]        = sys_yield,
    [SYS_MMAP]         = sys_mmap,
    [SYS_GETID]        = sys_getid,
    [SYS_SLEEP_TICKS]  = sys_sleep_ticks,
    [SYS_TICKS]        = sys_ticks,
};

void syscall_dispatch(struct trap_frame *f)
{
    uint64_t start = rdtsc();
    struct shard *s = this_cpu()->current;
    uint64_t nr = f->rax;
    if (nr >= SYS_COUNT || !syscall_table[nr]) {
        s->prof.bad_syscalls++;
        f->rax = (uint64_t)-E_NOSYS;
        return;
    }
    enum after after = AFTER_RETURN;
    int64_t result = syscall_table[nr](s, f, &after);
    f->rax = (uint64_t)result;
    s->prof.syscalls[nr]++;
    s->prof.cycles[nr] += rdtsc() - start;
    switch (after) {
    case AFTER_RETURN:
        return;
    case AFTER_YIELD:
        schedule(f, SHARD_READY);
        return;
    case AFTER_SLEEP:
        schedule(f, SHARD_SLEEPING);
        return;
    case AFTER_EXIT:
        handle_sys_exit(f, (uint64_t)result);
    }
}
