/* Symbol commands: bt, sym, addr. */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "cmd_handlers.h"

#define DEFAULT_FRAMES 32
#define MAX_FRAMES 1024

/* "file:line: function+0xoff"; the line of a return address is looked up
 * one byte back, inside the call instruction it follows. */
static void frame_text(struct proxy *p, uint64_t pc, bool is_return, char *out, size_t size)
{
    const char *file;
    int line, n = 0;
    uint64_t off;
    out[0] = '\0';
    if (!p->syms)
        return;
    if (symtab_line(p->syms, is_return ? pc - 1 : pc, &file, &line))
        n = snprintf(out, size, "%s:%d: ", file, line);
    const char *fn = symtab_symbolize(p->syms, pc, &off);
    if (fn && n >= 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n, "%s+0x%llx", fn, (unsigned long long)off);
    else if (n >= 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n, "??");
}

int cmd_bt(struct proxy *p, int argc, char **argv)
{
    uint64_t frames = DEFAULT_FRAMES, pc, fp;
    if (argc > 1 && !arg_number(p, argv[1], "frame count", &frames))
        return -1;
    if (frames == 0 || frames > MAX_FRAMES)
        return proxy_error(p, "frame count must be 1 to %d", MAX_FRAMES);
    if (acc_reg(p, p->cpu, "rip", &pc) || acc_reg(p, p->cpu, "rbp", &fp))
        return -1;
    char text[512];
    for (uint64_t i = 0; i < frames; i++) {
        frame_text(p, pc, i > 0, text, sizeof text);
        printf("#%-2llu 0x%016llx %s\n", (unsigned long long)i, (unsigned long long)pc, text);
        /* The frame record at rbp: saved rbp, then the return address. */
        uint64_t record[2];
        if (fp == 0 || fp % 8 || acc_read(p, p->cpu, fp, record, sizeof record, false, NULL) != sizeof record)
            break;
        if (record[1] == 0 || (record[0] != 0 && record[0] <= fp))
            break;   /* the outermost frame, or a corrupt chain */
        pc = record[1];
        fp = record[0];
    }
    return 0;
}

int cmd_sym(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    uint64_t addr;
    char text[512];
    if (!p->syms)
        return proxy_error(p, "no guest ELF loaded (--elf FILE)");
    if (!arg_address(p, argv[1], &addr))
        return -1;
    uint64_t off;
    if (!symtab_symbolize(p->syms, addr, &off))
        return proxy_error(p, "no symbol near 0x%llx", (unsigned long long)addr);
    symtab_describe(p->syms, addr, text, sizeof text);
    printf("0x%016llx %s\n", (unsigned long long)addr, text);
    return 0;
}

int cmd_addr(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    uint64_t addr;
    if (!p->syms)
        return proxy_error(p, "no guest ELF loaded (--elf FILE)");
    if (!symtab_lookup(p->syms, argv[1], &addr))
        return proxy_error(p, "unknown symbol '%s'", argv[1]);
    printf("%s = 0x%016llx\n", argv[1], (unsigned long long)addr);
    return 0;
}
