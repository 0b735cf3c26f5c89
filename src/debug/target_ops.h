/* The monitor's implementation of the stub's struct target_ops. */
#ifndef HUSK_DEBUG_TARGET_OPS_H
#define HUSK_DEBUG_TARGET_OPS_H

#include "stub/target.h"

extern struct target_ops husk_target_ops;
extern const struct stub_command husk_commands[];
extern const unsigned husk_command_count;

struct vcpu;
/* The vCPU behind a thread id, or NULL (0 and -1 mean the current one). */
struct vcpu *thread_vcpu(int thread);
/* Memory access for the debugger through v's paging or physical. */
size_t dbg_read_mem(struct vcpu *v, uint64_t addr, uint8_t *buf, size_t len, bool physical);
int dbg_write_mem(struct vcpu *v, uint64_t addr, const uint8_t *buf, size_t len, bool physical);

#endif
