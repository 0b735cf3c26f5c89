/* The shell's terminal side: libedit line editing, history and completion
 * on a terminal, plain line reading from a pipe, and the queue of commands
 * waiting to run. It never blocks: the event loop calls it when stdin is
 * readable. */
#ifndef PROXY_SHELL_H
#define PROXY_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#define SHELL_QUEUE 256

struct shell {
    bool interactive;            /* libedit on a terminal */
    bool editing;                /* the libedit handler is installed */
    bool input_done;             /* EOF on stdin, or commands came from -c */
    bool in_line;                /* inside the handler of a finished line */
    const char *prompt;

    char *queue[SHELL_QUEUE];    /* single commands, oldest first */
    int head, count;

    char pipe_buf[8192];         /* partial line from a pipe */
    size_t pipe_len;

    char *capture;               /* when set, output goes here */
    size_t capture_cap, capture_len;

    /* Called for each line read (the line is the caller's to keep). */
    void (*on_line)(void *ctx, char *line);
    void *ctx;
    /* Completion of the first word; returns the i-th match or NULL. */
    const char *(*complete_command)(const char *prefix, int i);
    const char *(*complete_argument)(void *ctx, const char *prefix, int i);
};

void shell_init(struct shell *sh, bool interactive, const char *prompt,
                void (*on_line)(void *ctx, char *line), void *ctx);
/* Shows the prompt and takes over the terminal (interactive only). */
void shell_start(struct shell *sh);
/* Gives the terminal back. */
void shell_stop(struct shell *sh);
/* stdin is readable. */
void shell_readable(struct shell *sh);

/* The command queue. */
bool shell_push(struct shell *sh, const char *cmd);
const char *shell_peek(const struct shell *sh);
void shell_pop(struct shell *sh);

/* Output of commands and the monitor; captured while capture is on. */
void shell_capture(struct shell *sh, char *buf, size_t cap);
void shell_output(struct shell *sh, const char *text, size_t len);
/* A message that arrives on its own (a stop, GDB news): printed above the
 * line being edited, which is then redrawn. */
void shell_notify(struct shell *sh, const char *text);

#endif
