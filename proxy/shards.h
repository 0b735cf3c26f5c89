/* The guest's shard table as the supervisor lays it out (guest/sup/shard.h:
 * `struct shard shards[]`, with offsets pinned there by static asserts),
 * decoded from raw bytes so the proxy does not depend on guest headers. */
#ifndef PROXY_SHARDS_H
#define PROXY_SHARDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHARD_ENTRY_SIZE 0x3c0
#define SHARD_STATE_FREE 0

struct shard_info {
    char name[17];
    uint32_t id, state;
    uint64_t exit_code, cr3;
    int32_t cpu, fault_vector, expect_vector;
    bool daemon;
};

/* Decodes one table entry; false when `len` is too short. */
bool shard_decode(const uint8_t *entry, size_t len, struct shard_info *out);
const char *shard_state_name(uint32_t state);
/* One line: id, name, state, where it runs or how it ended, cr3. */
void shard_format(const struct shard_info *s, char *out, size_t size);

#endif
