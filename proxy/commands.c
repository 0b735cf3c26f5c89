/* The command table and its dispatcher. See commands.h. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "cmd_handlers.h"
#include "cmdline.h"

#define ANY (-1)   /* max_args: no upper bound */

static const struct command commands[] = {
    { "cpus", "cpus", "list the CPUs (threads), their rip, and the selected one",
      CMD_TARGET, 0, 0, cmd_cpus },
    { "threads", "threads", "same as cpus", CMD_TARGET, 0, 0, cmd_cpus },
    { "cpu", "cpu N", "select CPU N for regs, x, step and bt", CMD_TARGET, 1, 1, cmd_cpu },
    { "regs", "regs [N]", "general registers of the selected CPU (or CPU N)",
      CMD_TARGET, 0, 1, cmd_regs },
    { "sysregs", "sysregs [N]", "control registers, EFER, segment bases and the monitor's extra registers",
      CMD_TARGET, 0, 1, cmd_sysregs },
    { "x", "x ADDR [LEN]", "hexdump LEN (default 64) bytes of virtual memory, through the selected CPU's page tables",
      CMD_TARGET, 1, 2, cmd_x },
    { "xp", "xp ADDR [LEN]", "hexdump LEN (default 64) bytes of physical memory",
      CMD_TARGET, 1, 2, cmd_xp },
    { "write", "write ADDR BYTES...", "write hex bytes (\"41 42\" or \"4142\") to virtual memory",
      CMD_TARGET, 2, ANY, cmd_write },
    { "vtop", "vtop ADDR", "translate a virtual address of the selected CPU to physical",
      CMD_TARGET, 1, 1, cmd_vtop },
    { "cont", "cont", "resume every CPU (or only the pinned one); 'stop' stops it",
      CMD_TARGET, 0, 0, cmd_cont },
    { "stop", "stop", "stop the running target (also when a debugger resumed it)",
      0, 0, 0, cmd_stop },
    { "interrupt", "interrupt", "same as stop", 0, 0, 0, cmd_stop },
    { "step", "step [N]", "single-step the selected CPU N times (default 1)",
      CMD_TARGET, 0, 1, cmd_step },
    { "pin", "pin N|off", "resume only CPU N (off: all CPUs); the monitor's pin too when it has one",
      CMD_TARGET, 1, 1, cmd_pin },
    { "break", "break ADDR|SYMBOL", "set a software breakpoint", CMD_TARGET, 1, 1, cmd_break },
    { "hbreak", "hbreak ADDR|SYMBOL", "set a hardware (debug register) breakpoint",
      CMD_TARGET, 1, 1, cmd_hbreak },
    { "watch", "watch ADDR|SYMBOL LEN [r|w|rw]", "set a watchpoint of 1, 2, 4 or 8 bytes (default w)",
      CMD_TARGET, 2, 3, cmd_watch },
    { "delete", "delete [N]", "delete breakpoint or watchpoint N (all without N)",
      CMD_TARGET, 0, 1, cmd_delete },
    { "catch", "catch [WHAT]", "the monitor's catchpoints (monitor catch WHAT)",
      CMD_TARGET, 0, ANY, cmd_catch },
    { "why", "why", "why the target last stopped", CMD_TARGET, 0, 0, cmd_why },
    { "bt", "bt [N]", "frame-pointer backtrace of the selected CPU (N frames, default 32)",
      CMD_TARGET, 0, 1, cmd_bt },
    { "sym", "sym ADDR", "the symbol, file and line of an address", 0, 1, 1, cmd_sym },
    { "addr", "addr SYMBOL", "the address of a symbol", 0, 1, 1, cmd_addr },
    { "shards", "shards", "the guest's shards and their state, read through its symbols",
      CMD_TARGET, 0, 0, cmd_shards },
    { "core", "core FILE [--all]", "write an ELF core: every CPU, memory mapped by the page tables (--all: all RAM too)",
      CMD_TARGET, 1, 2, cmd_core },
    { "log", "log", "the monitor's log (monitor log)", CMD_TARGET, 0, 0, cmd_log },
    { "monitor", "monitor TEXT", "send a raw monitor command", CMD_TARGET, 1, ANY, cmd_monitor },
    { "help", "help [COMMAND]", "list the commands, or describe one", 0, 0, 1, cmd_help },
    { "quit", "quit", "leave the shell (the target stays as it is)", 0, 0, 0, cmd_quit },
    { "exit", "exit", "same as quit", 0, 0, 0, cmd_quit },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct command *find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static const struct command *first_word_command(const char *text)
{
    char name[32];
    if (sscanf(text, " %31s", name) != 1)
        return NULL;
    return find(name);
}

bool command_needs_target(const char *text)
{
    const struct command *c = first_word_command(text);
    return c && (c->flags & CMD_TARGET);
}

const char *command_complete(const char *prefix, int index)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strncmp(commands[i].name, prefix, n) == 0 && index-- == 0)
            return commands[i].name;
    return NULL;
}

int command_run(struct proxy *p, const char *text)
{
    char buf[1024], err[128];
    struct cmd_words w;
    if (strlen(text) >= sizeof buf)
        return proxy_error(p, "command too long");
    strcpy(buf, text);
    if (cmdline_words(buf, &w, err, sizeof err))
        return proxy_error(p, "%s", err);
    if (w.argc == 0)
        return 0;
    const struct command *c = find(w.argv[0]);
    if (!c)
        return proxy_error(p, "unknown command '%s' (try 'help')", w.argv[0]);
    int nargs = w.argc - 1;
    if (nargs < c->min_args || (c->max_args != ANY && nargs > c->max_args))
        return proxy_error(p, "usage: %s", c->usage);
    if ((c->flags & CMD_TARGET) && !session_up(&p->sess))
        return proxy_error(p, "%s: the link to the monitor is down", c->name);
    return c->handler(p, w.argc, w.argv);
}

int cmd_help(struct proxy *p, int argc, char **argv)
{
    if (argc == 2) {
        const struct command *c = find(argv[1]);
        if (!c)
            return proxy_error(p, "no command '%s'", argv[1]);
        printf("%s\n    %s\n", c->usage, c->help);
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        printf("  %-32s %s\n", commands[i].usage, commands[i].help);
    return 0;
}

int cmd_quit(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    p->quit = true;
    return 0;
}
