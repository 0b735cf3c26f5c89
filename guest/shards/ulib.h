/* What a shard has: syscall wrappers and a line printer. Shards have no
 * writable globals (their code pages are read-only). */
#ifndef SHARD_ULIB_H
#define SHARD_ULIB_H
#include <stdint.h>
#include "../abi.h"

int64_t u_syscall(uint64_t nr, uint64_t a, uint64_t b, uint64_t c);
int64_t u_write(const void *buf, uint64_t len);
__attribute__((noreturn)) void u_exit(uint64_t code);
void u_yield(void);
/* Address of `pages` fresh zeroed pages, or 0. */
void *u_mmap(uint64_t pages);
uint64_t u_getid(void);
void u_sleep(uint64_t ticks);
uint64_t u_ticks(void);
/* Formats one line and writes it with a single SYS_SERIAL_WRITE. */
void u_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Every shard defines this; its result is the exit code. */
int64_t shard_main(uint64_t arg, uint64_t id);

#endif
