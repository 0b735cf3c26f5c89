#include "vcpu.h"

#include <stdarg.h>

#include "arch.h"
#include "debug/debugger.h"
#include "exit_path.h"
#include "health.h"
#include "lib/printf.h"
#include "link.h"
#include "log.h"

struct vcpu vcpus[MAX_CPUS];
unsigned vcpu_count;

const char *vcpu_state_name(int state)
{
    static const char *const names[VCPU_STATE_COUNT] = {
        [VCPU_ABSENT] = "absent", [VCPU_PARKED] = "parked", [VCPU_WAIT_SIPI] = "wait-sipi",
        [VCPU_STARTING] = "starting", [VCPU_RUNNING] = "running", [VCPU_STOPPED] = "stopped",
    };
    return state >= 0 && state < VCPU_STATE_COUNT ? names[state] : "?";
}

struct vcpu *vcpu_by_apic_id(uint32_t apic_id)
{
    for (unsigned i = 0; i < vcpu_count; i++)
        if (vcpus[i].apic_id == apic_id)
            return &vcpus[i];
    return 0;
}

static bool transition(struct vcpu *v, int from, int to)
{
    return __atomic_compare_exchange_n(&v->state, &from, to, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

bool vcpu_deliver_init(struct vcpu *target)
{
    /* INIT resets a CPU only if it is not running the guest: a running
     * vCPU would lose the guest's state, so the monitor drops it. */
    if (transition(target, VCPU_PARKED, VCPU_WAIT_SIPI))
        return true;
    return __atomic_load_n(&target->state, __ATOMIC_ACQUIRE) == VCPU_WAIT_SIPI;
}

bool vcpu_deliver_sipi(struct vcpu *target, uint8_t vector)
{
    if (__atomic_load_n(&target->state, __ATOMIC_ACQUIRE) != VCPU_WAIT_SIPI)
        return false;   /* as on hardware: SIPI only wakes a CPU in wait-for-SIPI */
    target->sipi_vector = vector;
    if (!transition(target, VCPU_WAIT_SIPI, VCPU_STARTING))
        return false;
    /* Its CPU halts in arch_vcpu_idle() until kicked; the state above is
     * stored first, so one kick wakes it. Wait (bounded) until it has seen
     * the start, as a CPU takes a SIPI at once. */
    arch_vcpu_kick(target);
    for (uint64_t t0 = arch_time_us();
         __atomic_load_n(&target->state, __ATOMIC_ACQUIRE) == VCPU_STARTING && arch_time_us() - t0 < 100000;)
        arch_cpu_relax();
    return true;
}

static bool any_running(void)
{
    for (unsigned i = 0; i < vcpu_count; i++) {
        int s = __atomic_load_n(&vcpus[i].state, __ATOMIC_ACQUIRE);
        if (s == VCPU_RUNNING || s == VCPU_STARTING)
            return true;
    }
    return false;
}

void vcpu_stop(struct vcpu *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->stop_reason, sizeof v->stop_reason, fmt, ap);
    va_end(ap);
    log_console("cpu %u stopped: %s", v->index, v->stop_reason);
    arch_vcpu_dump(v);
    __atomic_store_n(&v->state, VCPU_STOPPED, __ATOMIC_RELEASE);
    if (!any_running()) {
        log_console("no vCPU left running: ending the run");
        health_report();
        stats_report();
        arch_machine_exit(HUSK_EXIT_ALL_STOPPED);
    }
}

EXIT_PATH void monitor_poll(struct vcpu *v)
{
    /* the debugger drives the link, and parks v here while it holds the
     * machine (src/debug/) */
    debug_poll(v);
}

__attribute__((noreturn)) void vcpu_loop(struct vcpu *v)
{
    for (;;) {
        switch (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE)) {
        case VCPU_STARTING:
            arch_vcpu_reset_sipi(v, v->sipi_vector);
            log_ring("cpu %u started by the guest at vector 0x%x", v->index, v->sipi_vector);
            __atomic_store_n(&v->state, VCPU_RUNNING, __ATOMIC_RELEASE);
            break;
        case VCPU_RUNNING:
            debug_before_entry(v);  /* a held machine (husk.wait) parks here */
            arch_vcpu_run(v);
            break;
        default:
            /* Parked, waiting for SIPI, or stopped with a fault: an AP
             * halts until its state changes and arch_vcpu_kick() wakes it
             * (a SIPI) instead of spinning on a physical CPU (an
             * emulator's host thread); the boot CPU keeps polling the
             * debug link. */
            if (v->index != 0) {
                arch_vcpu_idle(v);
                break;
            }
            monitor_poll(v);
            arch_cpu_relax();
            break;
        }
    }
}
