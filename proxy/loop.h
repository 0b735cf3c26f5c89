/* The event loop: one poll over the link, the terminal, and the GDB
 * listener and client; shell commands and debugger packets take turns
 * whenever the target is stopped. */
#ifndef PROXY_LOOP_H
#define PROXY_LOOP_H

#include "proxy.h"

/* Wires the session and multiplexer hooks to the shell. */
void loop_setup(struct proxy *p);
/* Queues one input line (split at ';'). */
void loop_line(void *ctx, char *line);
/* Runs until quit or end of input; returns the exit status. */
int loop_run(struct proxy *p);

#endif
