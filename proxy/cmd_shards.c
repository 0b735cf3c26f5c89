/* shards: the guest's shard table, found through its symbols. */
#include <stdio.h>
#include <stdlib.h>

#include "access.h"
#include "cmd_handlers.h"
#include "shards.h"

#define MAX_ENTRIES 1024

int cmd_shards(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uint64_t table, size, count_addr;
    if (!p->syms)
        return proxy_error(p, "no guest ELF loaded (--elf FILE)");
    if (!symtab_lookup_sized(p->syms, "shards", &table, &size) || size < SHARD_ENTRY_SIZE)
        return proxy_error(p, "%s has no shard table ('shards')", symtab_path(p->syms));
    uint64_t entries = size / SHARD_ENTRY_SIZE;
    uint32_t count = 0;
    if (symtab_lookup(p->syms, "shard_count", &count_addr) &&
        acc_read(p, p->cpu, count_addr, &count, sizeof count, false, NULL) == sizeof count &&
        count < entries)
        entries = count;
    if (entries > MAX_ENTRIES)
        entries = MAX_ENTRIES;
    uint8_t *buf = malloc(entries * SHARD_ENTRY_SIZE + 1);
    if (!buf)
        return proxy_error(p, "out of memory");
    long want = (long)(entries * SHARD_ENTRY_SIZE);
    long got = acc_read(p, p->cpu, table, buf, (size_t)want, false, NULL);
    if (got != want) {
        free(buf);
        return got < 0 ? -1 : proxy_error(p, "shard table at 0x%llx unreadable", (unsigned long long)table);
    }
    int shown = 0;
    for (uint64_t i = 0; i < entries; i++) {
        struct shard_info s;
        char line[160];
        if (!shard_decode(buf + i * SHARD_ENTRY_SIZE, SHARD_ENTRY_SIZE, &s) || s.state == SHARD_STATE_FREE)
            continue;
        shard_format(&s, line, sizeof line);
        printf("%s\n", line);
        shown++;
    }
    if (!shown)
        printf("no shards\n");
    free(buf);
    return 0;
}
