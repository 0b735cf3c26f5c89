/* All-stop rendezvous. The first stop wins: it records its event, marks
 * the machine stopping and kicks every other running vCPU into the
 * monitor (an NMI on x86, which exits even when the guest spins with
 * interrupts off). Each vCPU parks in allstop_park() at its next exit;
 * once all are parked the stub reports the winning event. Later events
 * from CPUs still on their way in are dropped by debug_report()'s caller
 * leaving the guest state untouched, so they recur on resume. */
#include "allstop.h"

#include "arch.h"
#include "arch_debug.h"
#include "debugger.h"
#include "exit_path.h"
#include "link.h"
#include "log.h"
#include "session.h"
#include "spinlock.h"

struct dbg_cpu dbg_cpus[MAX_CPUS];
int dbg_pin_cpu = -1;
bool dbg_step_irqs;

static struct spinlock stop_lock;
static volatile bool stopping;            /* a stop is held or in progress */
static volatile unsigned release_gen;     /* bumped by every release */
/* The CPU that made the last stop: it serves the link while the machine
 * is held, the other parked CPUs halt (allstop_park). */
static volatile int driver_cpu = -1;
static struct stop_event pending;
static volatile bool pending_reported;
/* Guest time: cycles the machine has been held since boot, summed over
 * stops (from the stop to the release), the same for every CPU. */
static uint64_t stop_started;
static volatile uint64_t stopped_total;

static bool is_running(const struct vcpu *v)
{
    int s = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
    return s == VCPU_RUNNING || s == VCPU_STARTING;
}

static int first_running_thread(void)
{
    for (unsigned i = 0; i < vcpu_count; i++)
        if (is_running(&vcpus[i]))
            return (int)i + 1;
    return 1;
}

bool allstop_request(const struct stop_event *ev)
{
    spin_lock(&stop_lock);
    if (stopping) {
        spin_unlock(&stop_lock);
        log_ring("debug: cpu %u: stop (reason %d, thread %d) dropped: another holds the machine",
                 arch_cpu_index(), ev->reason, ev->thread);
        return false;
    }
    pending = *ev;
    if (pending.thread <= 0 || pending.thread > (int)vcpu_count)
        pending.thread = first_running_thread();
    pending_reported = false;
    stop_started = arch_dbg_cycles();
    __atomic_store_n(&driver_cpu, (int)arch_cpu_index(), __ATOMIC_RELEASE);
    __atomic_store_n(&stopping, true, __ATOMIC_RELEASE);
    spin_unlock(&stop_lock);
    log_ring("debug: cpu %u: stop (reason %d signal %d) for thread %d", arch_cpu_index(), pending.reason,
             pending.signal, pending.thread);
    unsigned self = arch_cpu_index();
    for (unsigned i = 0; i < vcpu_count; i++)
        if (i != self && is_running(&vcpus[i]) && !dbg_cpus[i].parked)
            arch_dbg_kick(&vcpus[i]);
    return true;
}

EXIT_PATH bool allstop_active(void)
{
    return __atomic_load_n(&stopping, __ATOMIC_ACQUIRE);
}

void allstop_hold_at_boot(void)
{
    struct stop_event ev = { .thread = 1, .reason = STOP_SIGNAL, .signal = 5 };
    allstop_request(&ev);
}

static bool all_parked(void)
{
    for (unsigned i = 0; i < vcpu_count; i++)
        if (is_running(&vcpus[i]) && !__atomic_load_n(&dbg_cpus[i].parked, __ATOMIC_ACQUIRE))
            return false;
    return true;
}

const struct stop_event *allstop_ready_to_report(void)
{
    if (!allstop_active() || pending_reported || !all_parked())
        return 0;
    pending_reported = true;
    return &pending;
}

int allstop_release(const struct resume_action *actions, int n)
{
    bool any_step = false, any_run = false;
    int first_running = -1;
    for (int i = 0; i < n && i < (int)vcpu_count; i++)
        if (actions[i].kind == RESUME_STEP && is_running(&vcpus[i]) && !dbg_cpus[i].dead)
            any_step = true;
    for (unsigned i = 0; i < vcpu_count; i++) {
        int kind = (int)i < n ? (int)actions[i].kind : RESUME_STOP;
        /* A step moves only the stepped CPU: the others stay parked, so
         * no other CPU can report a stop while one steps. */
        if (kind == RESUME_CONTINUE && (any_step || (dbg_pin_cpu >= 0 && (int)i != dbg_pin_cpu)))
            kind = RESUME_STOP;
        if (!is_running(&vcpus[i]) || dbg_cpus[i].dead)
            kind = RESUME_STOP;
        dbg_cpus[i].action = kind;
        dbg_cpus[i].stepping = kind == RESUME_STEP;
        any_run |= kind != RESUME_STOP;
        if (kind == RESUME_CONTINUE && first_running < 0)
            first_running = (int)i;
    }
    log_ring("debug: release: actions %d %d %d %d (0 stay, 1 continue, 2 step)", dbg_cpus[0].action,
             vcpu_count > 1 ? dbg_cpus[1].action : -1, vcpu_count > 2 ? dbg_cpus[2].action : -1,
             vcpu_count > 3 ? dbg_cpus[3].action : -1);
    if (!any_run)
        return TARGET_ERR;
    /* still all parked: a Ctrl-C while the guest runs goes to a CPU that
     * runs it (a step is short: the route stays with the serving CPU) */
    if (first_running >= 0)
        link_route_input_to((unsigned)first_running);
    spin_lock(&stop_lock);
    __atomic_store_n(&stopped_total, stopped_total + (arch_dbg_cycles() - stop_started), __ATOMIC_RELEASE);
    __atomic_store_n(&stopping, false, __ATOMIC_RELEASE);
    __atomic_fetch_add(&release_gen, 1, __ATOMIC_ACQ_REL);
    spin_unlock(&stop_lock);
    /* parked CPUs halt: wake the ones that move (after the bump above,
     * so none can halt again on the old generation) */
    unsigned self = arch_cpu_index();
    for (unsigned i = 0; i < vcpu_count; i++)
        if (i != self && dbg_cpus[i].action != RESUME_STOP && __atomic_load_n(&dbg_cpus[i].parked, __ATOMIC_ACQUIRE))
            arch_dbg_kick(&vcpus[i]);
    return TARGET_OK;
}

void allstop_sync_clock(struct vcpu *v)
{
    /* Every CPU's clock goes back by the same total, whenever it next
     * enters the guest (CPUs the guest starts late included), so their
     * TSCs stay in step. */
    struct dbg_cpu *d = &dbg_cpus[v->index];
    uint64_t total = __atomic_load_n(&stopped_total, __ATOMIC_ACQUIRE);
    if (total != d->clock_back) {
        arch_dbg_clock_back(v, total - d->clock_back);
        d->clock_back = total;
    }
}

/* While the machine is held, the CPU that stopped it serves the link (a
 * reply must go out at once); every other parked CPU halts, so that on a
 * machine with few cores (an emulator's vCPU threads) it does not take
 * time from the one that works. The serving CPU polls until the stop has
 * been reported (every CPU parked), then halts too whenever the transport
 * can wake it on input (link_wait_input): under an emulator a polling
 * vCPU would keep a host CPU busy beside the debugger it waits for. A
 * halted CPU wakes for a release that moves it (allstop_release kicks it)
 * and, on the boot CPU, for the debugger's tick, which also lets it poll
 * the link while other CPUs run (a pinned or stepped CPU). */
static bool drives_link(const struct vcpu *v)
{
    return allstop_active() && __atomic_load_n(&driver_cpu, __ATOMIC_ACQUIRE) == (int)v->index;
}

static void serve_link_wait(void)
{
    if (!(__atomic_load_n(&pending_reported, __ATOMIC_ACQUIRE) && link_wait_input()))
        arch_cpu_relax();
}

void allstop_park(struct vcpu *v)
{
    struct dbg_cpu *d = &dbg_cpus[v->index];
    for (;;) {
        unsigned gen = __atomic_load_n(&release_gen, __ATOMIC_ACQUIRE);
        arch_dbg_park_enter(v);
        /* sequentially consistent: allstop_release() bumps release_gen and
         * then reads `parked` to decide whom to kick, this CPU sets
         * `parked` and then reads release_gen before it halts; neither
         * store may pass the other's load (Intel SDM vol. 3, 8.2.3.4) */
        __atomic_store_n(&d->parked, true, __ATOMIC_SEQ_CST);
        for (;;) {
            session_drive(v);
            unsigned now = __atomic_load_n(&release_gen, __ATOMIC_ACQUIRE);
            if (now == gen) {
                if (drives_link(v))
                    serve_link_wait();
                else
                    arch_idle_until_change(&release_gen, gen);
                continue;
            }
            gen = now;
            if (d->action != RESUME_STOP)
                break;
        }
        __atomic_store_n(&d->parked, false, __ATOMIC_RELEASE);
        arch_dbg_park_leave(v);
        allstop_sync_clock(v);
        if (!d->stepping)
            return;
        d->step_pc = arch_dbg_pc_linear(v);
        d->step_exits = 0;
        if (!arch_dbg_step_arm(v))
            return;
        /* the step is already done: report it and park again */
        d->stepping = false;
        struct stop_event ev = { .thread = (int)v->index + 1, .reason = STOP_STEP, .signal = 5 };
        allstop_request(&ev);
    }
}
