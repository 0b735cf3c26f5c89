/*
 * stub/monitor.c - `monitor ...` (qRcmd). The command table belongs to the
 * embedder; the stub adds `help` and `phys`, parses arguments for handlers,
 * and carries their output to the client as O packets.
 */
#include "stub_internal.h"

#include "libc.h"

#define COMMAND_MAX 512

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_blanks(const char *p)
{
    while (*p && is_blank(*p))
        p++;
    return p;
}

bool stub_arg_end(const char *args)
{
    return *skip_blanks(args) == '\0';
}

bool stub_arg_word(const char **args, char *word, size_t cap)
{
    const char *p = skip_blanks(*args);
    size_t n = 0;

    if (!*p || cap == 0)
        return false;
    while (p[n] && !is_blank(p[n]))
        n++;
    if (n >= cap)
        return false;
    memcpy(word, p, n);
    word[n] = '\0';
    *args = p + n;
    return true;
}

bool stub_arg_number(const char **args, uint64_t *value)
{
    const char *p = skip_blanks(*args);
    uint64_t v = 0;
    bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
    const char *q = hex ? p + 2 : p;
    const char *start = q;

    for (; *q && !is_blank(*q); q++) {
        int d = hex ? rsp_hex_value(*q) : (*q >= '0' && *q <= '9' ? *q - '0' : -1);
        if (d < 0)
            return false;
        unsigned base = hex ? 16 : 10;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return false;     /* would overflow */
        v = v * base + (uint64_t)d;
    }
    if (q == start)
        return false;
    *value = v;
    *args = q;
    return true;
}

/* ---- O packets --------------------------------------------------------- */

void rsp_output_flush(struct stub *s)
{
    char body[1 + 2 * STUB_OUTPUT_CHUNK];

    if (s->out_len == 0)
        return;
    body[0] = 'O';
    for (size_t i = 0; i < s->out_len; i++) {
        body[1 + 2 * i] = rsp_hex_digits[(uint8_t)s->out[i] >> 4];
        body[2 + 2 * i] = rsp_hex_digits[(uint8_t)s->out[i] & 15];
    }
    rsp_send_packet(s, body, 1 + 2 * s->out_len);
    s->out_len = 0;
}

int stub_vprintf(struct stub *s, const char *fmt, va_list ap)
{
    char text[STUB_OUTPUT_CHUNK];
    size_t n = stub_vformat(text, sizeof text, fmt, ap);

    if (n >= sizeof text)
        n = sizeof text - 1;
    /*
     * The client reads O packets during a command and while it waits for a
     * stop reply (console output of a running target); at other times it
     * would take them for the answer to its next request.
     */
    if (!s->in_command && !s->reply_pending)
        return (int)n;
    for (size_t i = 0; i < n; i++) {
        if (s->out_len == sizeof s->out)
            rsp_output_flush(s);
        s->out[s->out_len++] = text[i];
        if (text[i] == '\n')
            rsp_output_flush(s);
    }
    /* A command's output is flushed when it ends; a running target's now. */
    if (!s->in_command)
        rsp_output_flush(s);
    return (int)n;
}

int stub_printf(struct stub *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = stub_vprintf(s, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- built-in commands -------------------------------------------------- */

static int cmd_help(struct stub *s, void *target, const char *args);
static int cmd_phys(struct stub *s, void *target, const char *args);

static const struct stub_command builtin_commands[] = {
    { "help", "list monitor commands", cmd_help },
    { "phys", "phys [on|off]: memory packets address physical memory", cmd_phys },
};

#define NBUILTIN (sizeof builtin_commands / sizeof builtin_commands[0])

static void help_line(struct stub *s, const struct stub_command *c)
{
    stub_printf(s, "  %-12s %s\n", c->name, c->help ? c->help : "");
}

static int cmd_help(struct stub *s, void *target, const char *args)
{
    (void)target;
    (void)args;
    stub_printf(s, "monitor commands:\n");
    for (size_t i = 0; i < NBUILTIN; i++)
        help_line(s, &builtin_commands[i]);
    for (size_t i = 0; i < s->ops->ncommands; i++)
        help_line(s, &s->ops->commands[i]);
    return 0;
}

static int cmd_phys(struct stub *s, void *target, const char *args)
{
    char word[8];
    (void)target;

    if (stub_arg_end(args)) {
        stub_printf(s, "memory access is %s\n", s->physical ? "physical" : "virtual");
        return 0;
    }
    if (!stub_arg_word(&args, word, sizeof word) || !stub_arg_end(args) ||
        (!stub_str_eq(word, "on") && !stub_str_eq(word, "off"))) {
        stub_printf(s, "usage: phys [on|off]\n");
        return TARGET_EINVAL;
    }
    s->physical = stub_str_eq(word, "on");
    stub_printf(s, "memory access is %s\n", s->physical ? "physical" : "virtual");
    return 0;
}

static const struct stub_command *find_command(struct stub *s, const char *name)
{
    for (size_t i = 0; i < NBUILTIN; i++)
        if (stub_str_eq(builtin_commands[i].name, name))
            return &builtin_commands[i];
    for (size_t i = 0; i < s->ops->ncommands; i++)
        if (s->ops->commands[i].name && stub_str_eq(s->ops->commands[i].name, name))
            return &s->ops->commands[i];
    return NULL;
}

enum reply rsp_h_rcmd(struct stub *s, const char *a, size_t n)
{
    char line[COMMAND_MAX + 1];
    char name[32];

    if (n % 2 || n / 2 > COMMAND_MAX || !rsp_hex_decode(a, n / 2, (uint8_t *)line)) {
        rsp_resp_error(s, 0x22, "bad monitor command encoding");
        return REPLY_SEND;
    }
    line[n / 2] = '\0';
    if (stub_find_byte(line, 0, n / 2)) {
        rsp_resp_error(s, 0x22, "NUL in monitor command");
        return REPLY_SEND;
    }
    const char *args = line;
    s->in_command = true;
    int st;
    if (!stub_arg_word(&args, name, sizeof name)) {
        st = cmd_help(s, s->target, "");
    } else {
        const struct stub_command *c = find_command(s, name);
        if (c && c->handler) {
            st = c->handler(s, s->target, skip_blanks(args));
        } else {
            stub_printf(s, "unknown monitor command '%s'; 'monitor help' lists them\n", name);
            st = TARGET_EINVAL;
        }
    }
    rsp_output_flush(s);
    s->in_command = false;
    rsp_resp_reset(s);
    rsp_resp_status(s, st == TARGET_UNSUPPORTED ? TARGET_ERR : st);
    return REPLY_SEND;
}
