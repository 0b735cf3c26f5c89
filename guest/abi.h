/* The contract between the supervisor and its shards: syscall numbers, error
 * codes, the user address-space layout and the shard entry convention.
 * Included by both sides; plain C, no supervisor types. */
#ifndef GUEST_ABI_H
#define GUEST_ABI_H

/* Syscalls: number in RAX, arguments in RDI, RSI, RDX; result in RAX.
 * SYSCALL itself clobbers RCX and R11. A negative result is -errno. */
enum {
    SYS_SERIAL_WRITE = 0,   /* (buf, len) -> len written */
    SYS_EXIT         = 1,   /* (code) -> does not return */
    SYS_YIELD        = 2,   /* () -> 0 */
    SYS_MMAP         = 3,   /* (pages) -> user address of fresh zeroed pages */
    SYS_GETID        = 4,   /* () -> shard id */
    SYS_SLEEP_TICKS  = 5,   /* (ticks) -> 0 after at least `ticks` timer ticks */
    SYS_TICKS        = 6,   /* () -> timer ticks since boot */
    SYS_COUNT
};

#define E_FAULT   14        /* a pointer argument is not mapped for the shard */
#define E_NOMEM   12        /* no frames or no room left in the mmap window */
#define E_INVAL   22        /* an argument is out of range */
#define E_NOSYS   38        /* no such syscall */

/* User address space of every shard (see docs/guest.md). */
#define USER_CODE_BASE   0x1000UL      /* flat binary, R+X */
#define USER_CODE_MAX    0x0FF000UL    /* code may not reach the mmap window */
#define USER_MMAP_BASE   0x100000UL    /* SYS_MMAP hands pages out from here, R+W+NX */
#define USER_MMAP_LIMIT  0x400000UL
#define USER_STACK_PAGE  0x7FF000UL    /* one page, R+W+NX */
#define USER_STACK_TOP   0x800000UL

/* Entry: RIP = USER_CODE_BASE, RSP = USER_STACK_TOP, RDI = the shard's
 * argument from the command line, RSI = its id. */

/* Fault kinds of the `fault` shard (its argument). */
enum {
    FAULT_NULL = 0,   /* read from address 0: #PF, not present */
    FAULT_WCODE,      /* write to its own code: #PF, protection, write */
    FAULT_XDATA,      /* jump into an mmap'd page: #PF, protection, ifetch (NX) */
    FAULT_RDTSC,      /* rdtsc with CR4.TSD set: #GP(0) */
    FAULT_UD2,        /* ud2: #UD */
    FAULT_KINDS
};

/* The value of a shard whose `counter` argument asks it to run forever. */
#define COUNTER_FOREVER 0

#endif
