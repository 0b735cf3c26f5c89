/* The state husk-proxy's parts share: the session, the GDB multiplexer,
 * the guest's symbols, the shell's selections and breakpoints. */
#ifndef PROXY_PROXY_H
#define PROXY_PROXY_H

#include <stdbool.h>
#include <stdint.h>

#include "gdbmux.h"
#include "session.h"
#include "shell.h"
#include "symbols.h"

#define MAX_POINTS 64
#define MAX_CPUS 64

enum point_kind { PT_BREAK = 0, PT_HBREAK = 1, PT_WATCH_W = 2, PT_WATCH_R = 3, PT_WATCH_RW = 4 };

struct point {
    bool used;
    int id;
    enum point_kind kind;
    uint64_t addr;
    unsigned len;
};

struct proxy {
    struct session sess;
    struct gdbmux gdb;
    struct shell shell;
    struct symtab *syms;         /* NULL when the guest ELF is not there */
    const char *elf_path;

    long cpu;                    /* the shell's selected CPU (thread id) */
    long pin;                    /* 0: resume all CPUs; N: only CPU N */
    size_t g_seen;               /* length of the last 'g' block */
    struct point points[MAX_POINTS];
    int next_point_id;

    bool quiet_stops;            /* a multi-step prints only where it ended */
    char pending_stop[512];      /* a stop of the shell's to report, "" if none */
    bool waiting_notice;         /* told the user a command waits */
    bool quit;
    int failures;                /* commands that failed: the exit status */
};

/* Prints a one-line error for the shell ("error: ..."), counts a failure
 * and returns -1, so handlers can `return proxy_error(p, ...)`. */
int proxy_error(struct proxy *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An asynchronous message, printed without breaking the line being edited. */
void proxy_notify(struct proxy *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
