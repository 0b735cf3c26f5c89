/* What the guest runs on each CPU, for qThreadExtraInfo. The monitor has
 * no symbols: the debugger tells it where the guest's `cpus` table is
 * (`monitor guest-cpus ADDR`, sent by scripts/husk.gdb from the ELF). */
#ifndef HUSK_DEBUG_GUEST_INFO_H
#define HUSK_DEBUG_GUEST_INFO_H

#include <stddef.h>
#include <stdint.h>

struct vcpu;

void guest_info_set_cpus(uint64_t addr);
uint64_t guest_info_cpus(void);
/* ", supervisor" or ", shard NAME", or nothing when unknown. */
size_t guest_info_describe(struct vcpu *v, char *buf, size_t cap);

#endif
