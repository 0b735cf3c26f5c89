/* hello: prints, exercises mmap and the syscall error paths, exits 0. */
#include "ulib.h"

int64_t shard_main(uint64_t arg, uint64_t id)
{
    (void)arg;
    u_printf("[hello] hello, world from shard %lu\n", (unsigned long)id);
    if (u_getid() != id) {
        u_printf("[hello] SYS_GETID returned %lu, expected %lu\n", (unsigned long)u_getid(),
                 (unsigned long)id);
        return 1;
    }
    volatile uint64_t *page = u_mmap(1);
    if (!page) {
        u_printf("[hello] SYS_MMAP failed\n");
        return 1;
    }
    page[0] = 0x1234abcd;
    u_printf("[hello] mmap page at %p holds 0x%lx\n", (void *)page, (unsigned long)page[0]);
    /* The supervisor must refuse these, not crash. */
    int64_t bad_ptr = u_write((const void *)0xdead0000, 8);
    int64_t bad_nr = u_syscall(99, 0, 0, 0);
    int64_t too_long = u_write((const void *)page, 1u << 20);
    u_printf("[hello] bad pointer -> %ld, bad syscall -> %ld, oversized write -> %ld\n",
             (long)bad_ptr, (long)bad_nr, (long)too_long);
    if (bad_ptr != -E_FAULT || bad_nr != -E_NOSYS || too_long != -E_INVAL)
        return 1;
    u_yield();
    u_printf("[hello] goodbye\n");
    return 0;
}
