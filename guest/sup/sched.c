#include "sched.h"
#include "console.h"
#include "cpu.h"
#include "lapic.h"
#include "run.h"
#include "shard.h"
#include "x86.h"
#include "../lib/spinlock.h"

volatile uint64_t timer_ticks;

static struct spinlock sched_lock;

static void mark_end(struct shard *s)
{
    s->prof.end_tick = timer_ticks;
    s->prof.end_tsc = rdtsc();
}
static unsigned rr_next;            /* round-robin cursor into shards[] */

static int runnable(const struct shard *s)
{
    return s->state == SHARD_READY || (s->state == SHARD_SLEEPING && timer_ticks >= s->wake_tick);
}

/* Under sched_lock: the next runnable shard after the cursor, now RUNNING. */
static struct shard *pick_locked(struct cpu *c)
{
    for (unsigned i = 0; i < shard_count; i++) {
        struct shard *s = &shards[(rr_next + i) % shard_count];
        if (runnable(s)) {
            rr_next = (s->id + 1) % shard_count;
            s->state = SHARD_RUNNING;
            s->cpu = (int32_t)c->index;
            return s;
        }
    }
    return 0;
}

/* Makes `next` this CPU's shard: its FPU state, address space and
 * registers (into `f`, the frame trap_return will leave through). */
static void switch_to(struct cpu *c, struct shard *prev, struct shard *next, struct trap_frame *f)
{
    c->current = next;
    next->prof.cpu_mask |= 1u << c->index;
    if (!next->prof.started) {
        next->prof.started = 1;
        next->prof.first_tick = timer_ticks;
        next->prof.first_tsc = rdtsc();
    }
    if (next == prev)
        return;
    fpu_restore(next->fxsave);
    if (read_cr3() != next->cr3)
        write_cr3(next->cr3);
    *f = next->regs;
    next->prof.switches++;
    c->switches++;
}

static __attribute__((noreturn)) void go_idle(struct cpu *c)
{
    c->current = 0;
    uint64_t top = (uint64_t)&idle_stacks[c->index][IDLE_STACK_SIZE];
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "call sched_idle_loop" :: "r"(top) : "memory");
    __builtin_unreachable();
}

void schedule(struct trap_frame *f, int requeue_as)
{
    struct cpu *c = this_cpu();
    struct shard *prev = c->current;
    int keep = prev && prev->state == SHARD_RUNNING;
    if (keep) {
        /* Saved before it becomes visible as runnable to other CPUs. */
        prev->regs = *f;
        fpu_save(prev->fxsave);
    }
    spin_lock(&sched_lock);
    if (keep) {
        if (prev->state == SHARD_RUNNING) {
            prev->state = (uint32_t)requeue_as;
            prev->cpu = -1;
        } else {
            keep = 0;       /* stopped by another CPU meanwhile */
        }
    }
    struct shard *next = pick_locked(c);
    spin_unlock(&sched_lock);
    if (!next)
        go_idle(c);
    switch_to(c, keep ? prev : 0, next, f);
}

void timer_preempt(struct trap_frame *f)
{
    struct cpu *c = this_cpu();
    lapic_eoi();
    c->timer_ticks++;
    if (c->index == 0)
        timer_ticks++;
    if (!frame_from_user(f)) {
        c->idle_ticks++;
        return;
    }
    c->current->prof.preemptions++;
    schedule(f, SHARD_READY);
}

__attribute__((noinline)) void handle_sys_exit(struct trap_frame *f, uint64_t code)
{
    struct cpu *c = this_cpu();
    struct shard *s = c->current;
    spin_lock(&sched_lock);
    int was_running = s->state == SHARD_RUNNING;
    if (was_running) {
        s->exit_code = code;
        s->state = s->fault_vector == NO_VECTOR ? SHARD_DONE : SHARD_KILLED;
        s->cpu = -1;
        mark_end(s);
    }
    spin_unlock(&sched_lock);
    if (was_running && s->state == SHARD_DONE)
        kprintf("supervisor: shard %s (id %u) exited with code %ld\n", s->name, s->id, (long)code);
    if (was_running)
        run_shard_finished();
    schedule(f, SHARD_READY);   /* returns only with the next shard in f */
    trap_return_to(f);
}

void sched_idle_loop(void)
{
    struct cpu *c = this_cpu();
    c->current = 0;
    for (;;) {
        spin_lock(&sched_lock);
        struct shard *next = pick_locked(c);
        spin_unlock(&sched_lock);
        if (next) {
            struct trap_frame *f = (struct trap_frame *)(c->kstack_top - sizeof *f);
            switch_to(c, 0, next, f);
            trap_return_to(f);
        }
        /* STI's one-instruction shadow makes STI;HLT atomic: a tick that is
         * already pending wakes the HLT rather than being missed. */
        __asm__ volatile("sti; hlt; cli" ::: "memory");
    }
}

void supervisor_halt(void)
{
    run_fatal();
    halt_forever();
}

/* Stops every endless shard still alive (end of run). */
void sched_stop_daemons(void)
{
    spin_lock(&sched_lock);
    for (unsigned i = 0; i < shard_count; i++) {
        struct shard *s = &shards[i];
        if (s->daemon && (s->state == SHARD_READY || s->state == SHARD_RUNNING ||
                          s->state == SHARD_SLEEPING)) {
            s->state = SHARD_STOPPED;
            mark_end(s);
        }
    }
    spin_unlock(&sched_lock);
}
