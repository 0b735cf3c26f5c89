/* Handlers of the shell's commands, one file per group; the table that
 * names them is in commands.c. Each returns 0, or -1 after proxy_error. */
#ifndef PROXY_CMD_HANDLERS_H
#define PROXY_CMD_HANDLERS_H

#include <stdbool.h>
#include <stdint.h>

#include "proxy.h"

#define HANDLER(name) int name(struct proxy *p, int argc, char **argv)

/* cmd_cpu.c */
HANDLER(cmd_cpus);
HANDLER(cmd_cpu);
HANDLER(cmd_regs);
HANDLER(cmd_sysregs);
/* cmd_mem.c */
HANDLER(cmd_x);
HANDLER(cmd_xp);
HANDLER(cmd_write);
HANDLER(cmd_vtop);
/* cmd_run.c */
HANDLER(cmd_cont);
HANDLER(cmd_stop);
HANDLER(cmd_step);
HANDLER(cmd_pin);
HANDLER(cmd_why);
/* cmd_points.c */
HANDLER(cmd_break);
HANDLER(cmd_hbreak);
HANDLER(cmd_watch);
HANDLER(cmd_delete);
/* cmd_symbols.c */
HANDLER(cmd_bt);
HANDLER(cmd_sym);
HANDLER(cmd_addr);
/* cmd_shards.c */
HANDLER(cmd_shards);
/* cmd_core.c */
HANDLER(cmd_core);
/* cmd_monitor.c */
HANDLER(cmd_monitor);
HANDLER(cmd_log);
HANDLER(cmd_catch);
/* commands.c */
HANDLER(cmd_help);
HANDLER(cmd_quit);

/* Shared helpers (cmd_util.c). */
/* NUMBER, SYMBOL[+-OFF] or $register of the selected CPU. */
bool arg_address(struct proxy *p, const char *s, uint64_t *out);
/* A plain number with an error naming `what` when it is bad. */
bool arg_number(struct proxy *p, const char *s, const char *what, uint64_t *out);
/* "0x... <symbol+0x..>" for an address (symbol part left out if unknown). */
const char *describe_address(struct proxy *p, uint64_t addr);
/* Prints a stop for a person: "stopped: breakpoint on cpu 1 at 0x... <sym>". */
void print_stop(struct proxy *p, const char *reply, size_t len, bool to_notify);

#endif
