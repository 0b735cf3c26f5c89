#include "health.h"

#include "arch.h"
#include "link.h"
#include "log.h"
#include "vcpu.h"

static uint64_t boot_sum;
static uint64_t boot_time_us;

uint64_t health_checksum(const uint8_t *p, uint64_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint64_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t image_sum(void)
{
    const uint8_t *start;
    size_t len;
    arch_image_ro_range(&start, &len);
    return health_checksum(start, len);
}

void health_init(void)
{
    boot_sum = image_sum();
    boot_time_us = arch_time_us();
}

bool health_report(void)
{
    unsigned count[VCPU_STATE_COUNT] = { 0 };
    unsigned known = 0;
    for (unsigned i = 0; i < vcpu_count; i++) {
        int s = __atomic_load_n(&vcpus[i].state, __ATOMIC_ACQUIRE);
        if (s > VCPU_ABSENT && s < VCPU_STATE_COUNT && vcpus[i].checked_in) {
            count[s]++;
            known++;
        }
    }
    bool image_ok = image_sum() == boot_sum;
    bool cpus_ok = known == vcpu_count;
    log_console("health %s: image %s, cpus %u/%u accounted (running %u, parked %u, stopped %u)",
                image_ok && cpus_ok ? "ok" : "BAD", image_ok ? "unchanged" : "CHANGED", known, vcpu_count,
                count[VCPU_RUNNING] + count[VCPU_STARTING], count[VCPU_PARKED] + count[VCPU_WAIT_SIPI],
                count[VCPU_STOPPED]);
    return image_ok && cpus_ok;
}

void stats_report(void)
{
    uint64_t total = 0;
    for (unsigned i = 0; i < vcpu_count; i++)
        total += vcpus[i].exits;
    uint64_t us = arch_time_us() - boot_time_us;
    uint64_t rate = us ? total * 1000000 / us : 0;
    char link[192];
    link_describe(link, sizeof link);
    log_console("stats: %s", link);
    log_console("stats: exits %lu, uptime_ms %lu, exits_per_sec %lu", total, us / 1000, rate);
    arch_exit_stats_report();
}
