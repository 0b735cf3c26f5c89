/* Guest symbols: the ELF symbol table (through libelf) and the DWARF line
 * table (through elfutils' libdw). */
#ifndef PROXY_SYMBOLS_H
#define PROXY_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct symtab;

/* Opens an ELF file; NULL with a one-line reason in `err` on failure. */
struct symtab *symtab_open(const char *path, char *err, size_t errsize);
void symtab_close(struct symtab *st);
const char *symtab_path(const struct symtab *st);

/* Address of a named symbol; matches cmdline.h's symbol_lookup_fn. */
bool symtab_lookup(void *st, const char *name, uint64_t *addr);
/* Address and size of a named symbol (an array's size gives its length). */
bool symtab_lookup_sized(const struct symtab *st, const char *name, uint64_t *addr, uint64_t *size);
/* Name of the symbol containing (or nearest below) addr, and the offset
 * into it; NULL when none is close. */
const char *symtab_symbolize(const struct symtab *st, uint64_t addr, uint64_t *offset);
/* Source file and line for addr from the DWARF line table. `file` is
 * relative to the current directory when it lies under it. */
bool symtab_line(struct symtab *st, uint64_t addr, const char **file, int *line);
/* Formats "file:line: function+0xoff" (parts that are unknown left out)
 * or "0xADDR" when nothing is known. */
void symtab_describe(struct symtab *st, uint64_t addr, char *out, size_t size);
/* The i-th symbol name starting with `prefix`, for completion; NULL at end. */
const char *symtab_complete(const struct symtab *st, const char *prefix, int index);

#endif
