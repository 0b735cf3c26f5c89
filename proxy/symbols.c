/* Guest symbols and lines. See symbols.h. */
#include "symbols.h"

#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How far past an unsized label (assembly) an address still belongs to it,
 * and how many symbols below an address are searched for one covering it. */
#define MAX_LABEL_DISTANCE (64 * 1024ULL)
#define SYMBOLIZE_LOOKBACK 16

struct sym {
    uint64_t addr, size;
    const char *name;     /* points into the ELF string table */
};

struct symtab {
    char path[PATH_MAX];
    int fd;
    Elf *elf;
    Dwarf *dwarf;         /* NULL when the file has no DWARF */
    struct sym *syms;     /* sorted by address */
    size_t nsyms;
    char cwd[PATH_MAX];
};

static int by_addr(const void *a, const void *b)
{
    const struct sym *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return (x->size < y->size) - (x->size > y->size);   /* sized first */
}

static bool wanted(const GElf_Sym *s, const char *name)
{
    int type = GELF_ST_TYPE(s->st_info);
    /* absolute symbols are constants (`vec = 0x100`), not places */
    return name && *name && s->st_shndx != SHN_UNDEF && s->st_shndx != SHN_ABS &&
           (type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE);
}

static int load_symbols(struct symtab *st)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(st->elf, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        size_t n = sh.sh_size / sh.sh_entsize;
        struct sym *grown = realloc(st->syms, (st->nsyms + n) * sizeof *grown);
        if (!data || !grown)
            return -1;
        st->syms = grown;
        for (size_t i = 0; i < n; i++) {
            GElf_Sym s;
            if (!gelf_getsym(data, (int)i, &s))
                continue;
            const char *name = elf_strptr(st->elf, sh.sh_link, s.st_name);
            if (wanted(&s, name))
                st->syms[st->nsyms++] = (struct sym){ s.st_value, s.st_size, name };
        }
    }
    qsort(st->syms, st->nsyms, sizeof *st->syms, by_addr);
    return 0;
}

struct symtab *symtab_open(const char *path, char *err, size_t errsize)
{
    struct symtab *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    snprintf(st->path, sizeof st->path, "%s", path);
    if (!getcwd(st->cwd, sizeof st->cwd))
        st->cwd[0] = '\0';
    elf_version(EV_CURRENT);
    st->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (st->fd < 0) {
        snprintf(err, errsize, "cannot open %s: %s", path, strerror(errno));
        free(st);
        return NULL;
    }
    st->elf = elf_begin(st->fd, ELF_C_READ, NULL);
    if (!st->elf || elf_kind(st->elf) != ELF_K_ELF) {
        snprintf(err, errsize, "%s is not an ELF file", path);
        symtab_close(st);
        return NULL;
    }
    if (load_symbols(st)) {
        snprintf(err, errsize, "cannot read the symbol table of %s", path);
        symtab_close(st);
        return NULL;
    }
    st->dwarf = dwarf_begin_elf(st->elf, DWARF_C_READ, NULL);
    return st;
}

void symtab_close(struct symtab *st)
{
    if (!st)
        return;
    if (st->dwarf)
        dwarf_end(st->dwarf);
    if (st->elf)
        elf_end(st->elf);
    if (st->fd >= 0)
        close(st->fd);
    free(st->syms);
    free(st);
}

const char *symtab_path(const struct symtab *st)
{
    return st->path;
}

bool symtab_lookup_sized(const struct symtab *st, const char *name, uint64_t *addr, uint64_t *size)
{
    if (!st)
        return false;
    /* Prefer a function or object over a bare label of the same name. */
    const struct sym *found = NULL;
    for (size_t i = 0; i < st->nsyms; i++)
        if (strcmp(st->syms[i].name, name) == 0 && (!found || st->syms[i].size > found->size))
            found = &st->syms[i];
    if (!found)
        return false;
    *addr = found->addr;
    *size = found->size;
    return true;
}

bool symtab_lookup(void *ctx, const char *name, uint64_t *addr)
{
    uint64_t size;
    return symtab_lookup_sized(ctx, name, addr, &size);
}

const char *symtab_symbolize(const struct symtab *st, uint64_t addr, uint64_t *offset)
{
    if (!st || !st->nsyms)
        return NULL;
    size_t lo = 0, hi = st->nsyms;   /* find the last symbol with addr <= addr */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (st->syms[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* A sized symbol (a C function or object) names only what it covers;
     * a bare label (assembly) names what follows it, up to a limit. Look
     * back a little: an object that ends may sit inside a larger one. */
    const struct sym *label = NULL;
    for (size_t n = 0; lo > 0 && n < SYMBOLIZE_LOOKBACK; lo--, n++) {
        const struct sym *s = &st->syms[lo - 1];
        if (s->size && addr < s->addr + s->size) {
            if (label)   /* a label inside the function is more precise */
                s = label;
            *offset = addr - s->addr;
            return s->name;
        }
        if (!s->size && !label && addr - s->addr < MAX_LABEL_DISTANCE)
            label = s;
    }
    if (!label)
        return NULL;
    *offset = addr - label->addr;
    return label->name;
}

static const char *relative(const struct symtab *st, const char *file)
{
    size_t n = strlen(st->cwd);
    if (n && strncmp(file, st->cwd, n) == 0 && file[n] == '/')
        return file + n + 1;
    return file;
}

bool symtab_line(struct symtab *st, uint64_t addr, const char **file, int *line)
{
    if (!st || !st->dwarf)
        return false;
    Dwarf_Die cu;
    if (!dwarf_addrdie(st->dwarf, addr, &cu))
        return false;
    Dwarf_Line *l = dwarf_getsrc_die(&cu, addr);
    if (!l)
        return false;
    const char *src = dwarf_linesrc(l, NULL, NULL);
    if (!src || dwarf_lineno(l, line) != 0)
        return false;
    *file = relative(st, src);
    return true;
}

void symtab_describe(struct symtab *st, uint64_t addr, char *out, size_t size)
{
    const char *file;
    int line;
    uint64_t off;
    const char *fn = symtab_symbolize(st, addr, &off);
    int n = 0;
    out[0] = '\0';
    if (symtab_line(st, addr, &file, &line))
        n = snprintf(out, size, "%s:%d: ", file, line);
    if (n < 0 || (size_t)n >= size)
        return;
    if (fn)
        snprintf(out + n, size - (size_t)n, "%s+0x%llx", fn, (unsigned long long)off);
    else
        snprintf(out + n, size - (size_t)n, "0x%llx", (unsigned long long)addr);
}

const char *symtab_complete(const struct symtab *st, const char *prefix, int index)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; st && i < st->nsyms; i++)
        if (strncmp(st->syms[i].name, prefix, n) == 0 && index-- == 0)
            return st->syms[i].name;
    return NULL;
}
