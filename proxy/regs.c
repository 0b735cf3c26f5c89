/* Register layout from a target description. See regs.h. */
#include "regs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void regs_clear(struct reg_layout *l)
{
    l->count = 0;
    l->g_size = 0;
}

/* Copies attribute `attr` of the tag that starts at `tag` and ends at `end`. */
static bool attr(const char *tag, const char *end, const char *name, char *out, size_t size)
{
    char pat[32];
    snprintf(pat, sizeof pat, " %s=\"", name);
    const char *p = tag;
    while ((p = strstr(p, pat)) && p < end) {
        p += strlen(pat);
        const char *q = strchr(p, '"');
        if (!q || q > end)
            return false;
        size_t n = (size_t)(q - p);
        if (n >= size)
            n = size - 1;
        memcpy(out, p, n);
        out[n] = '\0';
        return true;
    }
    return false;
}

int regs_parse_xml(struct reg_layout *l, const char *xml,
                   void (*include)(void *ctx, const char *href), void *ctx)
{
    char feature[48] = "";
    int added = 0;
    int next = l->count ? l->regs[l->count - 1].regnum + 1 : 0;
    for (const char *p = strchr(xml, '<'); p; p = strchr(p + 1, '<')) {
        if (strncmp(p, "<!--", 4) == 0) {
            /* QEMU comments registers out this way: skip the whole comment */
            const char *close = strstr(p + 4, "-->");
            if (!close)
                break;
            p = close;
            continue;
        }
        const char *end = strchr(p, '>');
        if (!end)
            break;
        char buf[64];
        if (strncmp(p, "<feature", 8) == 0) {
            if (!attr(p, end, "name", feature, sizeof feature))
                feature[0] = '\0';
        } else if (strncmp(p, "<xi:include", 11) == 0) {
            if (include && attr(p, end, "href", buf, sizeof buf))
                include(ctx, buf);
        } else if (strncmp(p, "<reg ", 5) == 0 && l->count < REGS_MAX) {
            struct reg_desc *r = &l->regs[l->count];
            if (!attr(p, end, "name", r->name, sizeof r->name) ||
                !attr(p, end, "bitsize", buf, sizeof buf))
                continue;
            r->bitsize = atoi(buf);
            if (attr(p, end, "regnum", buf, sizeof buf))
                next = atoi(buf);
            r->regnum = next++;
            snprintf(r->feature, sizeof r->feature, "%s", feature);
            l->count++;
            added++;
        }
    }
    return added;
}

static int by_regnum(const void *a, const void *b)
{
    const struct reg_desc *x = a, *y = b;
    return (x->regnum > y->regnum) - (x->regnum < y->regnum);
}

void regs_finish(struct reg_layout *l)
{
    qsort(l->regs, (size_t)l->count, sizeof l->regs[0], by_regnum);
    size_t off = 0;
    for (int i = 0; i < l->count; i++) {
        l->regs[i].offset = off;
        off += (size_t)(l->regs[i].bitsize + 7) / 8;
    }
    l->g_size = off;
}

/* QEMU's gdb-xml/i386-64bit.xml, in order: { name, bits } per register. */
static const struct { const char *name; int bits; const char *feature; } default_regs[] = {
#define CORE "org.gnu.gdb.i386.core"
#define SSE "org.gnu.gdb.i386.sse"
    { "rax", 64, CORE }, { "rbx", 64, CORE }, { "rcx", 64, CORE }, { "rdx", 64, CORE },
    { "rsi", 64, CORE }, { "rdi", 64, CORE }, { "rbp", 64, CORE }, { "rsp", 64, CORE },
    { "r8", 64, CORE }, { "r9", 64, CORE }, { "r10", 64, CORE }, { "r11", 64, CORE },
    { "r12", 64, CORE }, { "r13", 64, CORE }, { "r14", 64, CORE }, { "r15", 64, CORE },
    { "rip", 64, CORE }, { "eflags", 32, CORE },
    { "cs", 32, CORE }, { "ss", 32, CORE }, { "ds", 32, CORE }, { "es", 32, CORE },
    { "fs", 32, CORE }, { "gs", 32, CORE },
    { "fs_base", 64, CORE }, { "gs_base", 64, CORE }, { "k_gs_base", 64, CORE },
    { "cr0", 64, CORE }, { "cr2", 64, CORE }, { "cr3", 64, CORE }, { "cr4", 64, CORE },
    { "cr8", 64, CORE }, { "efer", 64, CORE },
    { "st0", 80, CORE }, { "st1", 80, CORE }, { "st2", 80, CORE }, { "st3", 80, CORE },
    { "st4", 80, CORE }, { "st5", 80, CORE }, { "st6", 80, CORE }, { "st7", 80, CORE },
    { "fctrl", 32, CORE }, { "fstat", 32, CORE }, { "ftag", 32, CORE }, { "fiseg", 32, CORE },
    { "fioff", 32, CORE }, { "foseg", 32, CORE }, { "fooff", 32, CORE }, { "fop", 32, CORE },
    { "xmm0", 128, SSE }, { "xmm1", 128, SSE }, { "xmm2", 128, SSE }, { "xmm3", 128, SSE },
    { "xmm4", 128, SSE }, { "xmm5", 128, SSE }, { "xmm6", 128, SSE }, { "xmm7", 128, SSE },
    { "xmm8", 128, SSE }, { "xmm9", 128, SSE }, { "xmm10", 128, SSE }, { "xmm11", 128, SSE },
    { "xmm12", 128, SSE }, { "xmm13", 128, SSE }, { "xmm14", 128, SSE }, { "xmm15", 128, SSE },
    { "mxcsr", 32, SSE },
#undef CORE
#undef SSE
};

void regs_default_layout(struct reg_layout *l)
{
    regs_clear(l);
    for (size_t i = 0; i < sizeof default_regs / sizeof default_regs[0]; i++) {
        struct reg_desc *r = &l->regs[l->count++];
        snprintf(r->name, sizeof r->name, "%s", default_regs[i].name);
        snprintf(r->feature, sizeof r->feature, "%s", default_regs[i].feature);
        r->bitsize = default_regs[i].bits;
        r->regnum = (int)i;
    }
    regs_finish(l);
}

const struct reg_desc *regs_find(const struct reg_layout *l, const char *name)
{
    for (int i = 0; i < l->count; i++)
        if (strcmp(l->regs[i].name, name) == 0)
            return &l->regs[i];
    return NULL;
}

bool regs_get(const struct reg_layout *l, const uint8_t *g, size_t glen,
              const char *name, uint64_t *value)
{
    const struct reg_desc *r = regs_find(l, name);
    if (!r || r->bitsize > 64)
        return false;
    size_t n = (size_t)r->bitsize / 8;
    if (r->offset + n > glen)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)   /* the target is little-endian */
        v |= (uint64_t)g[r->offset + i] << (8 * i);
    *value = v;
    return true;
}
