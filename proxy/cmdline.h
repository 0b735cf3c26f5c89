/* Shell input parsing: splitting a line into commands and words, and
 * numbers and addresses (a number, a symbol, or symbol+offset). */
#ifndef PROXY_CMDLINE_H
#define PROXY_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMD_MAX_ARGS 16

struct cmd_words {
    int argc;
    char *argv[CMD_MAX_ARGS + 1];
};

/* Splits `line` in place at unquoted ';' into commands; returns how many
 * were stored in `cmds` (up to `max`), or -1 on an unterminated quote. */
int cmdline_split_commands(char *line, char **cmds, int max);

/* Splits one command in place into words (whitespace separated, "..." and
 * '...' quote). Returns 0, or -1 with a message in `err` for too many words
 * or an unterminated quote. */
int cmdline_words(char *cmd, struct cmd_words *w, char *err, size_t errsize);

/* Parses a whole unsigned number: 0x hex, 0b binary, 0o octal, or decimal;
 * '_' and '`' may group digits (0xffff_8000, 0xffffffff`80000000). */
bool parse_u64(const char *s, uint64_t *out);

/* Resolves a symbol name to an address; returns false when unknown. */
typedef bool (*symbol_lookup_fn)(void *ctx, const char *name, uint64_t *addr);

/* Parses an address: NUMBER, SYMBOL, SYMBOL+NUMBER or SYMBOL-NUMBER.
 * On failure writes a one-line reason into `err` and returns false. */
bool parse_address(const char *s, symbol_lookup_fn lookup, void *ctx,
                   uint64_t *out, char *err, size_t errsize);

/* Parses hex byte words ("41 42 0x43" or "414243") into bytes. Returns the
 * count, or -1 with `err` set. */
long parse_bytes(int argc, char **argv, uint8_t *out, size_t max, char *err, size_t errsize);

#endif
