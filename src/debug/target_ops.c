/* struct target_ops for the stub: threads are guest CPUs (thread n is
 * CPU n-1), registers come from the parked vCPU's saved state, memory is
 * read through the selected CPU's page tables or physically, and run
 * control goes through the all-stop rendezvous. */
#include "target_ops.h"

#include "allstop.h"
#include "arch_debug.h"
#include "debugger.h"
#include "guest_info.h"
#include "guest_mem.h"
#include "session.h"
#include "stub/stub.h"
#include "swbp.h"
#include "vcpu.h"

#include "hwbp.h"

struct vcpu *thread_vcpu(int thread)
{
    if (thread <= 0)
        thread = session_current_thread();
    if (thread > (int)vcpu_count)
        return 0;
    return &vcpus[thread - 1];
}

/* Registers of a vCPU that is in the guest are not there to read. */
static struct vcpu *stopped_vcpu(int thread)
{
    struct vcpu *v = thread_vcpu(thread);
    if (!v)
        return 0;
    int s = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
    if ((s == VCPU_RUNNING || s == VCPU_STARTING) && !dbg_cpus[v->index].parked)
        return 0;
    return v;
}

static int ops_thread_count(void *t)
{
    (void)t;
    return (int)vcpu_count;
}

static int ops_thread_core(void *t, int thread)
{
    (void)t;
    return thread - 1;
}

static size_t ops_thread_extra(void *t, int thread, char *buf, size_t cap)
{
    (void)t;
    struct vcpu *v = thread_vcpu(thread);
    if (!v)
        return 0;
    /* No "CPU n" here: the thread list names every thread "cpuN" already
     * (stub/threads.c), and GDB reads that list with this text after every
     * stop, a `stepi` included, where on the UART each byte costs ~2 us. */
    int s = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
    if (s != VCPU_RUNNING && s != VCPU_STARTING)
        return stub_format(buf, cap, "%s (not started)", vcpu_state_name(s));
    size_t n = 0;
    if (dbg_cpus[v->index].dead)
        n += stub_format(buf, cap, "triple-faulted, ");
    n += arch_dbg_describe(v, buf + n, cap > n ? cap - n : 0);
    n += guest_info_describe(v, buf + n, cap > n ? cap - n : 0);
    return n < cap ? n : cap;
}

static int ops_read_reg(void *t, int thread, int regnum, uint8_t *buf)
{
    (void)t;
    struct vcpu *v = stopped_vcpu(thread);
    return v ? arch_dbg_read_reg(v, regnum, buf) : TARGET_ERR;
}

static int ops_write_reg(void *t, int thread, int regnum, const uint8_t *buf)
{
    (void)t;
    struct vcpu *v = stopped_vcpu(thread);
    return v ? arch_dbg_write_reg(v, regnum, buf) : TARGET_ERR;
}

static int ops_read_g(void *t, int thread, uint8_t *buf)
{
    (void)t;
    struct vcpu *v = stopped_vcpu(thread);
    if (!v)
        return TARGET_ERR;
    const struct target_desc *d = arch_target_desc();
    for (size_t i = 0; i < d->nregs; i++) {
        int rc = arch_dbg_read_reg(v, (int)i, buf + d->regs[i].offset);
        if (rc)
            return rc;
    }
    return TARGET_OK;
}

size_t dbg_read_mem(struct vcpu *v, uint64_t addr, uint8_t *buf, size_t len, bool physical)
{
    unsigned cpl;
    struct paging_regs r = arch_dbg_paging(v, &cpl);
    size_t done = 0;
    while (done < len) {
        uint64_t va = addr + done, gpa = va;
        size_t chunk = 4096 - (va & 0xfff);
        if (chunk > len - done)
            chunk = len - done;
        if (!physical && dbg_translate(&r, va, &gpa))
            break;
        if (gmem_read_phys(gpa, buf + done, chunk))
            break;
        swbp_shadow(gpa, buf + done, chunk);
        done += chunk;
    }
    return done;
}

int dbg_write_mem(struct vcpu *v, uint64_t addr, const uint8_t *buf, size_t len, bool physical)
{
    unsigned cpl;
    struct paging_regs r = arch_dbg_paging(v, &cpl);
    size_t done = 0;
    /* check the whole range first: a write is all or nothing */
    while (done < len && !physical) {
        uint64_t gpa;
        if (dbg_translate(&r, addr + done, &gpa))
            return TARGET_EFAULT;
        done += 4096 - ((addr + done) & 0xfff);
    }
    for (done = 0; done < len;) {
        uint64_t va = addr + done, gpa = va;
        size_t chunk = 4096 - (va & 0xfff);
        if (chunk > len - done)
            chunk = len - done;
        if (!physical && dbg_translate(&r, va, &gpa))
            return TARGET_EFAULT;
        if (swbp_write_phys(gpa, buf + done, chunk))
            return TARGET_EFAULT;
        done += chunk;
    }
    return TARGET_OK;
}

static size_t ops_read_mem(void *t, int thread, uint64_t addr, uint8_t *buf, size_t len, bool physical)
{
    (void)t;
    struct vcpu *v = thread_vcpu(thread);
    return v ? dbg_read_mem(v, addr, buf, len, physical) : 0;
}

static int ops_write_mem(void *t, int thread, uint64_t addr, const uint8_t *buf, size_t len, bool physical)
{
    (void)t;
    struct vcpu *v = thread_vcpu(thread);
    return v ? dbg_write_mem(v, addr, buf, len, physical) : TARGET_EFAULT;
}

static int ops_resume(void *t, const struct resume_action *actions, int n)
{
    (void)t;
    return allstop_release(actions, n);
}

static void ops_interrupt(void *t)
{
    (void)t;
    struct stop_event ev = { .thread = 0, .reason = STOP_SIGNAL, .signal = 2 };
    allstop_request(&ev);
}

/* A read watchpoint compares the watched bytes with their value when it
 * was inserted (hwbp.h): read them as the selected CPU sees them. */
static bool hwbp_read_selected(uint64_t addr, void *buf, unsigned len)
{
    struct vcpu *v = thread_vcpu(0);
    return v && dbg_read_mem(v, addr, buf, len, false) == len;
}

static int ops_insert(void *t, enum point_type type, uint64_t addr, unsigned kind)
{
    (void)t;
    if (type == POINT_SW_BREAK) {
        struct vcpu *v = thread_vcpu(0);
        unsigned cpl;
        if (kind != 1 || !v)
            return TARGET_EINVAL;
        struct paging_regs r = arch_dbg_paging(v, &cpl);
        return swbp_insert(&r, addr);
    }
    hwbp_set_reader(hwbp_read_selected);
    return hwbp_insert(type, addr, kind);
}

static int ops_remove(void *t, enum point_type type, uint64_t addr, unsigned kind)
{
    (void)t;
    if (type == POINT_SW_BREAK) {
        struct vcpu *v = thread_vcpu(0);
        unsigned cpl;
        if (!v)
            return TARGET_EINVAL;
        struct paging_regs r = arch_dbg_paging(v, &cpl);
        return swbp_remove(&r, addr);
    }
    (void)kind;
    return hwbp_remove(type, addr, kind);
}

static void ops_detach(void *t)
{
    (void)t;
    swbp_remove_all();
    hwbp_clear_all();
    dbg_pin_cpu = -1;
    session_detached();
}

struct target_ops husk_target_ops = {
    .thread_count = ops_thread_count,
    .thread_core = ops_thread_core,
    .thread_extra_info = ops_thread_extra,
    .read_reg = ops_read_reg,
    .write_reg = ops_write_reg,
    .read_g = ops_read_g,
    .read_mem = ops_read_mem,
    .write_mem = ops_write_mem,
    .resume = ops_resume,
    .interrupt = ops_interrupt,
    .insert_point = ops_insert,
    .remove_point = ops_remove,
    .num_watchpoints = 4,
    .detach = ops_detach,
    .commands = husk_commands,
    .ncommands = 0,   /* desc and ncommands are set by debug_init() */
};
