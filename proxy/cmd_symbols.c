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
    /* A call that never returns can be a function's last instruction: its
     * return address is then the next function's first byte. */
    const char *fn = symtab_symbolize(p->syms, is_return ? pc - 1 : pc, &off);
    if (fn && is_return)
        off++;
    if (fn && n >= 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n, "%s+0x%llx", fn, (unsigned long long)off);
    else if (n >= 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n, "??");
}

/* The prologue gcc emits with frame pointers: [endbr64] push rbp, then
 * mov rbp, rsp, possibly with other instructions scheduled in between. */
static const uint8_t endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
static const uint8_t push_rbp = 0x55;
static const uint8_t mov_rbp_rsp[] = { 0x48, 0x89, 0xe5 };
#define PROLOGUE_WINDOW 24

/* Where `mov rbp, rsp` ends in a prologue that starts with push rbp at
 * push_at; 0 when there is none in the window. */
static size_t frame_set_at(const uint8_t *code, size_t push_at)
{
    for (size_t i = push_at + 1; i + sizeof mov_rbp_rsp <= PROLOGUE_WINDOW; i++)
        if (memcmp(code + i, mov_rbp_rsp, sizeof mov_rbp_rsp) == 0)
            return i + sizeof mov_rbp_rsp;
    return 0;
}

/* When pc is in a function's prologue (a breakpoint on a function stops
 * at its first byte), returns 1 with the return address, read from the
 * stack, in *caller; -1 when it cannot be read; 0 when the frame record is
 * set up and rbp can be followed. */
static int in_prologue(struct proxy *p, uint64_t pc, uint64_t *caller)
{
    uint64_t off, rsp;
    uint8_t code[PROLOGUE_WINDOW];
    if (!p->syms || !symtab_symbolize(p->syms, pc, &off) || off >= PROLOGUE_WINDOW ||
        acc_read(p, p->cpu, pc - off, code, sizeof code, false, NULL) != (long)sizeof code)
        return 0;
    size_t push_at = memcmp(code, endbr64, sizeof endbr64) == 0 ? sizeof endbr64 : 0;
    size_t set_at = code[push_at] == push_rbp ? frame_set_at(code, push_at) : 0;
    if (!set_at || off >= set_at)
        return 0;
    /* before the push the return address is at [rsp]; after it, at [rsp+8] */
    if (acc_reg(p, p->cpu, "rsp", &rsp))
        return -1;
    uint64_t at = rsp + (off > push_at ? 8 : 0);
    if (acc_read(p, p->cpu, at, caller, sizeof *caller, false, NULL) != sizeof *caller)
        return -1;
    return 1;
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
    uint64_t caller;
    int early = in_prologue(p, pc, &caller);
    for (uint64_t i = 0; i < frames; i++) {
        frame_text(p, pc, i > 0, text, sizeof text);
        printf("#%-2llu 0x%016llx %s\n", (unsigned long long)i, (unsigned long long)pc, text);
        if (i == 0 && early) {
            /* Stopped before the frame record exists: rbp is still the
             * caller's, so the caller comes from the stack, not from rbp. */
            if (early < 0 || caller == 0)
                break;
            pc = caller;
            continue;
        }
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
