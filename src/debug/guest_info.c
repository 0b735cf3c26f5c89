/* Layout of the supervisor-and-shard guest (docs/guest.md, "Debugger-
 * visible symbols"): struct cpu is 0x48 bytes with `current` (struct
 * shard *) at 0x18; struct shard starts with its name, char[16]. */
#include "guest_info.h"

#include "stub/stub.h"
#include "target_ops.h"
#include "vcpu.h"

#define CPU_ENTRY_SIZE   0x48
#define CPU_CURRENT      0x18
#define SHARD_NAME_LEN   16

static uint64_t cpus_addr;

void guest_info_set_cpus(uint64_t addr)
{
    cpus_addr = addr;
}

uint64_t guest_info_cpus(void)
{
    return cpus_addr;
}

size_t guest_info_describe(struct vcpu *v, char *buf, size_t cap)
{
    uint64_t current = 0;
    char name[SHARD_NAME_LEN + 1] = { 0 };
    if (!cpus_addr)
        return 0;
    uint64_t slot = cpus_addr + (uint64_t)v->index * CPU_ENTRY_SIZE + CPU_CURRENT;
    if (dbg_read_mem(v, slot, (uint8_t *)&current, sizeof current, false) != sizeof current)
        return stub_format(buf, cap, ", guest cpus[] unreadable");
    if (!current)
        return stub_format(buf, cap, ", supervisor");
    if (dbg_read_mem(v, current, (uint8_t *)name, SHARD_NAME_LEN, false) != SHARD_NAME_LEN)
        return stub_format(buf, cap, ", shard at 0x%lx", (unsigned long)current);
    for (int i = 0; i < SHARD_NAME_LEN; i++)
        if (name[i] && (name[i] < 0x20 || name[i] > 0x7e))
            name[i] = '?';
    return stub_format(buf, cap, ", shard %s", name);
}
