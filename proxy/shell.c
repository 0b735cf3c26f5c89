/* The shell's terminal side. See shell.h. libedit's readline-compatible
 * callback interface lets the event loop feed it one character at a time,
 * so the terminal never blocks the link or GDB. */
#include "shell.h"

#include <editline/readline.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libedit's callbacks carry no context: one shell per process. */
static struct shell *current;

void shell_init(struct shell *sh, bool interactive, const char *prompt,
                void (*on_line)(void *ctx, char *line), void *ctx)
{
    memset(sh, 0, sizeof *sh);
    sh->interactive = interactive;
    sh->prompt = prompt;
    sh->on_line = on_line;
    sh->ctx = ctx;
    current = sh;
}

static void line_done(char *line)
{
    struct shell *sh = current;
    if (!line) {                     /* Ctrl-D */
        sh->input_done = true;
        printf("\n");
        shell_stop(sh);
        return;
    }
    if (*line)
        add_history(line);
    sh->in_line = true;
    sh->on_line(sh->ctx, line);
    sh->in_line = false;
    free(line);
}

static const char *(*generator_source)(void *ctx, const char *prefix, int i);

static char *generate(const char *text, int state)
{
    static int index;
    if (state == 0)
        index = 0;
    const char *m = generator_source ? generator_source(current->ctx, text, index++) : NULL;
    return m ? strdup(m) : NULL;
}

static const char *command_source(void *ctx, const char *prefix, int i)
{
    (void)ctx;
    return current->complete_command ? current->complete_command(prefix, i) : NULL;
}

/* Command names for the first word, symbols after it. */
static char **complete(const char *text, int start, int end)
{
    (void)end;
    int i = 0;
    while (i < start && (rl_line_buffer[i] == ' ' || rl_line_buffer[i] == '\t'))
        i++;
    bool first = i == start;
    generator_source = first ? command_source : current->complete_argument;
    rl_attempted_completion_over = 1;   /* no file names */
    return rl_completion_matches(text, generate);
}

void shell_start(struct shell *sh)
{
    if (!sh->interactive || sh->editing || sh->input_done)
        return;
    rl_attempted_completion_function = complete;
    rl_callback_handler_install(sh->prompt, line_done);
    sh->editing = true;
}

void shell_stop(struct shell *sh)
{
    if (sh->editing) {
        rl_callback_handler_remove();
        sh->editing = false;
    }
}

static void pipe_lines(struct shell *sh)
{
    char *start = sh->pipe_buf, *nl;
    while ((nl = memchr(start, '\n', sh->pipe_len - (size_t)(start - sh->pipe_buf)))) {
        *nl = '\0';
        if (nl > start && nl[-1] == '\r')
            nl[-1] = '\0';
        sh->on_line(sh->ctx, start);
        start = nl + 1;
    }
    sh->pipe_len -= (size_t)(start - sh->pipe_buf);
    memmove(sh->pipe_buf, start, sh->pipe_len);
}

void shell_readable(struct shell *sh)
{
    if (sh->input_done)
        return;
    if (sh->interactive) {
        rl_callback_read_char();
        return;
    }
    if (sh->pipe_len == sizeof sh->pipe_buf - 1) {   /* an absurd line */
        sh->pipe_buf[sh->pipe_len] = '\n';
        sh->pipe_len++;
    }
    ssize_t n = read(STDIN_FILENO, sh->pipe_buf + sh->pipe_len, sizeof sh->pipe_buf - 1 - sh->pipe_len);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        if (sh->pipe_len) {                 /* a last line without '\n' */
            sh->pipe_buf[sh->pipe_len++] = '\n';
            pipe_lines(sh);
        }
        sh->input_done = true;
        return;
    }
    sh->pipe_len += (size_t)n;
    pipe_lines(sh);
}

bool shell_push(struct shell *sh, const char *cmd)
{
    if (sh->count == SHELL_QUEUE)
        return false;
    char *copy = strdup(cmd);
    if (!copy)
        return false;
    sh->queue[(sh->head + sh->count++) % SHELL_QUEUE] = copy;
    return true;
}

const char *shell_peek(const struct shell *sh)
{
    return sh->count ? sh->queue[sh->head] : NULL;
}

void shell_pop(struct shell *sh)
{
    if (!sh->count)
        return;
    free(sh->queue[sh->head]);
    sh->head = (sh->head + 1) % SHELL_QUEUE;
    sh->count--;
}

void shell_capture(struct shell *sh, char *buf, size_t cap)
{
    sh->capture = buf;
    sh->capture_cap = cap;
    sh->capture_len = 0;
    if (buf && cap)
        buf[0] = '\0';
}

void shell_output(struct shell *sh, const char *text, size_t len)
{
    if (sh->capture) {
        size_t room = sh->capture_cap - 1 - sh->capture_len;
        size_t n = len < room ? len : room;
        memcpy(sh->capture + sh->capture_len, text, n);
        sh->capture_len += n;
        sh->capture[sh->capture_len] = '\0';
        return;
    }
    fwrite(text, 1, len, stdout);
    fflush(stdout);
}

void shell_notify(struct shell *sh, const char *text)
{
    if (sh->editing && !sh->in_line) {
        /* Print above a fresh prompt. libedit's redisplay alone would show
         * again a line it has already handed over; a line half typed when
         * the message arrives is dropped (an arrow up brings back history). */
        rl_callback_handler_remove();
        printf("\r\033[K%s\n", text);
        fflush(stdout);
        rl_callback_handler_install(sh->prompt, line_done);
        return;
    }
    printf("%s\n", text);
    fflush(stdout);
}
