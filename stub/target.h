/*
 * stub/target.h - what the RSP engine needs from the machine it debugs.
 *
 * The stub never touches hardware. Everything it knows about the target
 * comes through a `struct target_ops` table of function pointers that the
 * embedder (the monitor, the host demo, the unit tests' fake) fills in.
 *
 * Threads are CPUs, numbered from 1. Registers are numbered as in the target
 * description (target.xml); the layout table in `struct target_desc` says how
 * they pack into a `g` block. All-stop: when any thread stops every thread is
 * stopped, and a resume carries one action per thread.
 *
 * Pure C99, freestanding headers only.
 */
#ifndef HUSK_STUB_TARGET_H
#define HUSK_STUB_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stub;

/* Most threads (CPUs) the stub tracks; ids run 1..STUB_MAX_THREADS. */
#define STUB_MAX_THREADS 64

/* Return codes of the target operations that can fail. */
enum target_status {
    TARGET_OK = 0,
    TARGET_ERR = -1,         /* generic failure: answered E01 */
    TARGET_EFAULT = -14,     /* unreadable/unwritable memory: answered E14 */
    TARGET_EINVAL = -22,     /* bad argument (alignment, length): answered E22 */
    TARGET_ENOSPC = -28,     /* no free debug register: answered E28 */
    TARGET_UNSUPPORTED = -95 /* not implemented: answered with an empty packet */
};

/* ---- target description ------------------------------------------------ */

/* One register of the `g` block, in target.xml order. */
struct target_reg {
    const char *name;
    uint16_t regnum;  /* number as in target.xml (and `p`/`P`) */
    uint16_t size;    /* bytes */
    uint32_t offset;  /* byte offset in the `g` block */
};

/* One XML document served by qXfer:features:read (target.xml and includes). */
struct target_xml {
    const char *annex;   /* "target.xml", "i386-64bit.xml", ... */
    const char *text;
    size_t len;
};

struct target_desc {
    const struct target_reg *regs;  /* sorted by regnum, regnum == index */
    size_t nregs;
    size_t g_size;                  /* bytes of a whole `g` block */
    const struct target_xml *xml;
    size_t nxml;
    /* Registers worth sending in every stop reply (saves a `g` round trip). */
    const uint16_t *expedite;
    size_t nexpedite;
    int pc_regnum;
    const char *triple;             /* LLDB qHostInfo/qProcessInfo triple */
    unsigned ptr_size;              /* bytes */
};

/* ---- run control ------------------------------------------------------- */

enum resume_kind {
    RESUME_STOP = 0,   /* stay stopped */
    RESUME_CONTINUE,
    RESUME_STEP
};

struct resume_action {
    enum resume_kind kind;
    int signal;        /* signal to deliver (C/S), 0 for none; advisory */
};

enum stop_reason {
    STOP_SIGNAL = 0,    /* plain signal, e.g. SIGINT after an interrupt */
    STOP_SW_BREAK,      /* Z0 breakpoint; pc must already point at it */
    STOP_HW_BREAK,      /* Z1 breakpoint */
    STOP_WATCH,         /* Z2/Z3/Z4 watchpoint hit: see watch_kind, data_addr */
    STOP_STEP,          /* single step completed */
    STOP_EXCEPTION,     /* CPU exception: see vector */
    STOP_EXITED         /* the target is gone (W reply); rarely used */
};

enum point_type {
    POINT_SW_BREAK = 0,  /* Z0 */
    POINT_HW_BREAK = 1,  /* Z1 */
    POINT_WATCH_WRITE = 2,  /* Z2 */
    POINT_WATCH_READ = 3,   /* Z3 */
    POINT_WATCH_ACCESS = 4  /* Z4 */
};

/* Filled by the target when a thread stops; delivered by stub_report_stop(). */
struct stop_event {
    int thread;                 /* thread that stopped (1..n) */
    enum stop_reason reason;
    int signal;                 /* GDB signal number: 5 trap, 2 int, 11 segv, 4 ill */
    enum point_type watch_kind; /* STOP_WATCH: which kind of watchpoint */
    uint64_t data_addr;         /* STOP_WATCH: address that was accessed */
    unsigned hw_index;          /* STOP_WATCH: debug register index (LLDB) */
    unsigned vector;            /* STOP_EXCEPTION: x86 vector number */
    int exit_code;              /* STOP_EXITED */
    const char *description;    /* optional text for LLDB's description: */
};

/* ---- monitor commands -------------------------------------------------- */

/*
 * `monitor NAME ARGS` (qRcmd). The handler gets the text after the name with
 * leading blanks removed, prints through stub_printf() (sent as O packets)
 * and returns 0 for success or a negative target_status (answered E..).
 */
struct stub_command {
    const char *name;
    const char *help;
    int (*handler)(struct stub *stub, void *target, const char *args);
};

/* ---- the operations ---------------------------------------------------- */

struct target_ops {
    const struct target_desc *desc;

    /* Threads are 1..thread_count(). */
    int (*thread_count)(void *target);
    /* Which CPU a thread runs on (core: in stop replies); NULL means tid-1. */
    int (*thread_core)(void *target, int thread);
    /* Free text for qThreadExtraInfo; returns its length. NULL: "CPU n". */
    size_t (*thread_extra_info)(void *target, int thread, char *buf, size_t cap);

    /* One register into buf (desc->regs[regnum].size bytes, target order). */
    int (*read_reg)(void *target, int thread, int regnum, uint8_t *buf);
    int (*write_reg)(void *target, int thread, int regnum, const uint8_t *buf);
    /* Optional whole-block access; NULL means register by register. */
    int (*read_g)(void *target, int thread, uint8_t *buf);
    int (*write_g)(void *target, int thread, const uint8_t *buf);

    /*
     * Memory through the thread's address space (physical == false) or
     * physical memory. read_mem returns how many bytes from the start could be
     * read (0: none, answered E14); write_mem returns a target_status.
     */
    size_t (*read_mem)(void *target, int thread, uint64_t addr, uint8_t *buf,
                       size_t len, bool physical);
    int (*write_mem)(void *target, int thread, uint64_t addr, const uint8_t *buf,
                     size_t len, bool physical);

    /*
     * Resume with one action per thread: actions[i] is for thread i+1,
     * nthreads == thread_count(). Returns at once; the target later calls
     * stub_report_stop() (possibly from inside this call for a step).
     */
    int (*resume)(void *target, const struct resume_action *actions, int nthreads);
    /* Asynchronous stop request (0x03): stop everything, then report. */
    void (*interrupt)(void *target);

    /* kind: Z0/Z1 breakpoint length, Z2-Z4 watched length in bytes. */
    int (*insert_point)(void *target, enum point_type type, uint64_t addr, unsigned kind);
    int (*remove_point)(void *target, enum point_type type, uint64_t addr, unsigned kind);
    /* Number of watchpoints the hardware has (qWatchpointSupportInfo). */
    unsigned num_watchpoints;

    /* Client detached (D); optional. Points are already removed, the stub
     * resumes every thread next. */
    void (*detach)(void *target);
    /* Client killed (k, vKill); points are already removed and the target
     * stays stopped. NULL: the target cannot be killed, and k detaches
     * (detach runs, every thread resumes) like D. */
    void (*kill)(void *target);

    /* The monitor's commands; the stub adds `help` and `phys`. */
    const struct stub_command *commands;
    size_t ncommands;
};

#endif
