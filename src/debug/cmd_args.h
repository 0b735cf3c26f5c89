/* Arguments of the monitor's own commands (commands.c), parsed apart from
 * the vCPU state they act on so they can be unit-tested on the host. */
#ifndef HUSK_DEBUG_CMD_ARGS_H
#define HUSK_DEBUG_CMD_ARGS_H

#include <stdbool.h>
#include <stdint.h>

enum cmd_arg {
    ARG_NONE,    /* nothing given: the command shows its state */
    ARG_OK,      /* a value (a CPU number, on/off) */
    ARG_OFF,     /* `off` where that is allowed */
    ARG_RANGE,   /* a number, but no such CPU (*cpu holds it for the message) */
    ARG_BAD      /* anything else: print the usage */
};

/* `pin CPU|off`: ARG_NONE, ARG_OK (*cpu), ARG_OFF, ARG_RANGE or ARG_BAD. */
enum cmd_arg cmd_arg_pin(const char *args, unsigned ncpus, uint64_t *cpu);
/* An optional CPU number first in *args (`why`, `regs`, `vtop ADDR CPU`):
 * ARG_NONE (*args untouched), ARG_OK or ARG_RANGE (*args past it). */
enum cmd_arg cmd_arg_cpu(const char **args, unsigned ncpus, uint64_t *cpu);
/* `on|off` alone: ARG_NONE, ARG_OK (*on) or ARG_BAD. */
enum cmd_arg cmd_arg_on_off(const char *args, bool *on);

#endif
