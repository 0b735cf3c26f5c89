/* The shell's commands: one table of name, usage, help and handler. */
#ifndef PROXY_COMMANDS_H
#define PROXY_COMMANDS_H

#include <stdbool.h>

#include "proxy.h"

enum command_flags {
    CMD_TARGET = 1 << 0,   /* talks to the target: waits while it runs */
};

struct command {
    const char *name;
    const char *usage;
    const char *help;
    unsigned flags;
    int min_args, max_args;   /* words after the name */
    int (*handler)(struct proxy *p, int argc, char **argv);
};

/* Runs one command (a line without ';'). 0 on success, -1 on failure (the
 * error was printed). */
int command_run(struct proxy *p, const char *text);
/* True when the command must wait for a stopped target. */
bool command_needs_target(const char *text);
/* Completion: the i-th command name starting with prefix. */
const char *command_complete(const char *prefix, int i);

#endif
