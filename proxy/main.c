/* husk-proxy: a shell for the husk monitor that can share the target with
 * GDB or LLDB. Options, setup, and the hand-over to the event loop. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_handlers.h"
#include "commands.h"
#include "loop.h"
#include "proxy.h"

#define DEFAULT_LINK "build/husk.sock"
#define DEFAULT_ELF "build/guest.elf"
#define DEFAULT_BAUD 115200
#define EXIT_SETUP 2

static const char usage[] =
    "usage: husk-proxy [options] [SOCKET]\n"
    "  SOCKET              the monitor's debug link, a Unix socket (default " DEFAULT_LINK ")\n"
    "                      or a serial device (a character device is opened as --tty)\n"
    "  --tty DEV           use a serial device, in raw mode\n"
    "  --baud N            serial speed (default 115200)\n"
    "  --gdb-socket PATH   let GDB or LLDB connect on this Unix socket\n"
    "  --elf FILE          guest ELF for symbols and lines (default " DEFAULT_ELF ")\n"
    "  -c 'CMD; CMD'       run these commands and exit\n"
    "  --timeout S         seconds to wait for a reply from the monitor (default 10)\n"
    "  --trace             log every packet on the link to stderr\n"
    "  -h, --help          this text; 'help' in the shell lists the commands\n"
    "Exit status: 0 when every command succeeded, 1 when one failed, 2 when\n"
    "the proxy could not start.\n";

struct options {
    const char *link, *tty, *gdb_socket, *elf, *commands;
    bool elf_given, trace;
    int baud, timeout_s;
};

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longs[] = {
        { "tty", required_argument, NULL, 't' },
        { "baud", required_argument, NULL, 'b' },
        { "gdb-socket", required_argument, NULL, 'g' },
        { "elf", required_argument, NULL, 'e' },
        { "timeout", required_argument, NULL, 'T' },
        { "trace", no_argument, NULL, 'R' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    *o = (struct options){ .link = DEFAULT_LINK, .elf = DEFAULT_ELF, .baud = DEFAULT_BAUD, .timeout_s = 10 };
    int c;
    while ((c = getopt_long(argc, argv, "c:h", longs, NULL)) != -1) {
        char *end;
        switch (c) {
        case 't': o->tty = optarg; break;
        case 'g': o->gdb_socket = optarg; break;
        case 'e': o->elf = optarg; o->elf_given = true; break;
        case 'c': o->commands = optarg; break;
        case 'R': o->trace = true; break;
        case 'b':
            o->baud = (int)strtol(optarg, &end, 10);
            if (*end || !link_baud_supported(o->baud)) {
                fprintf(stderr, "husk-proxy: unsupported baud rate '%s'\n", optarg);
                return -1;
            }
            break;
        case 'T':
            o->timeout_s = (int)strtol(optarg, &end, 10);
            if (*end || o->timeout_s <= 0 || o->timeout_s > 3600) {
                fprintf(stderr, "husk-proxy: bad timeout '%s' (1 to 3600 seconds)\n", optarg);
                return -1;
            }
            break;
        case 'h':
            fputs(usage, stdout);
            exit(0);
        default:
            fputs(usage, stderr);
            return -1;
        }
    }
    if (optind < argc) {
        o->link = argv[optind++];
        struct stat st;
        /* a character device is a serial port: husk-proxy /dev/ttyUSB0 */
        if (!o->tty && stat(o->link, &st) == 0 && S_ISCHR(st.st_mode))
            o->tty = o->link;
    }
    if (optind < argc) {
        fprintf(stderr, "husk-proxy: unexpected argument '%s'\n%s", argv[optind], usage);
        return -1;
    }
    if (o->tty && o->tty != o->link && strcmp(o->link, DEFAULT_LINK) != 0) {
        fprintf(stderr, "husk-proxy: give either SOCKET or --tty, not both\n");
        return -1;
    }
    return 0;
}

static const char *complete_symbol(void *ctx, const char *prefix, int i)
{
    struct proxy *p = ctx;
    return p->syms ? symtab_complete(p->syms, prefix, i) : NULL;
}

/* The first CPU: the one the target last stopped on, else the first. */
static void initial_cpu(struct proxy *p)
{
    struct rsp_stop st;
    p->cpu = 1;
    if (p->sess.have_stop && rsp_parse_stop(p->sess.last_stop, strlen(p->sess.last_stop), &st) &&
        st.thread > 0)
        p->cpu = st.thread;
}

int main(int argc, char **argv)
{
    struct options o;
    if (parse_options(argc, argv, &o))
        return EXIT_SETUP;
    static struct proxy p;   /* large buffers: not on the stack */
    bool interactive = !o.commands && isatty(STDIN_FILENO);
    shell_init(&p.shell, interactive, "husk> ", loop_line, &p);
    p.shell.complete_command = command_complete;
    p.shell.complete_argument = complete_symbol;
    p.elf_path = o.elf;

    char err[256];
    p.syms = symtab_open(o.elf, err, sizeof err);
    if (!p.syms && o.elf_given) {
        fprintf(stderr, "husk-proxy: %s\n", err);
        return EXIT_SETUP;
    }

    p.sess.link = (struct link){ .path = o.tty ? o.tty : o.link, .tty = o.tty != NULL,
                                 .baud = o.baud, .fd = -1 };
    loop_setup(&p);
    p.sess.timeout_ms = o.timeout_s * 1000;
    p.sess.trace = o.trace;

    if (session_connect(&p.sess)) {
        if (!interactive) {
            fprintf(stderr, "husk-proxy: %s\n", p.sess.err);
            return EXIT_SETUP;
        }
        fprintf(stderr, "husk-proxy: %s; retrying every second\n", p.sess.err);
    }
    initial_cpu(&p);
    if (o.gdb_socket && gdbmux_listen(&p.gdb, o.gdb_socket, err, sizeof err)) {
        fprintf(stderr, "husk-proxy: %s\n", err);
        return EXIT_SETUP;
    }
    if (interactive)
        printf("husk-proxy: %s%s%s; 'help' lists the commands\n",
               session_up(&p.sess) ? "connected to " : "waiting for ", p.sess.link.path,
               o.gdb_socket ? "" : "");
    if (interactive && o.gdb_socket)
        printf("husk-proxy: debuggers connect on %s (gdb: target remote %s)\n", o.gdb_socket, o.gdb_socket);

    if (o.commands) {
        char *copy = strdup(o.commands);
        loop_line(&p, copy);
        free(copy);
        p.shell.input_done = true;
    }
    int status = loop_run(&p);
    gdbmux_shutdown(&p.gdb);
    session_disconnect(&p.sess);
    symtab_close(p.syms);
    return status;
}
