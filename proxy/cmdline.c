/* Shell input parsing. See cmdline.h. */
#include "cmdline.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int cmdline_split_commands(char *line, char **cmds, int max)
{
    int n = 0;
    char quote = 0;
    char *start = line;
    for (char *p = line;; p++) {
        if (*p == '\0' || (*p == ';' && !quote)) {
            bool end = *p == '\0';
            *p = '\0';
            while (isspace((unsigned char)*start))
                start++;
            if (*start && n < max)
                cmds[n++] = start;
            if (end)
                break;
            start = p + 1;
        } else if (quote && *p == quote) {
            quote = 0;
        } else if (!quote && (*p == '"' || *p == '\'')) {
            quote = *p;
        }
    }
    return quote ? -1 : n;
}

int cmdline_words(char *cmd, struct cmd_words *w, char *err, size_t errsize)
{
    char *r = cmd, *o = cmd;
    w->argc = 0;
    for (;;) {
        while (isspace((unsigned char)*r))
            r++;
        if (!*r)
            break;
        if (w->argc == CMD_MAX_ARGS) {
            snprintf(err, errsize, "too many words (at most %d)", CMD_MAX_ARGS);
            return -1;
        }
        w->argv[w->argc++] = o;
        char quote = 0;
        while (*r && (quote || !isspace((unsigned char)*r))) {
            if (quote && *r == quote)
                quote = 0;
            else if (!quote && (*r == '"' || *r == '\''))
                quote = *r;
            else
                *o++ = *r;
            r++;
        }
        if (quote) {
            snprintf(err, errsize, "unterminated %c quote", quote);
            return -1;
        }
        /* The reader is at the word's end; the writer never passes it. */
        bool more = *r != '\0';
        if (more)
            r++;
        *o++ = '\0';
        if (!more)
            break;
    }
    w->argv[w->argc] = NULL;
    return 0;
}

/* Radix prefixes, longest first. */
static const struct { const char *prefix; unsigned base; } radixes[] = {
    { "0x", 16 }, { "0X", 16 }, { "0b", 2 }, { "0B", 2 }, { "0o", 8 }, { "0O", 8 },
};

static int digit(int c, unsigned base)
{
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
    return v >= 0 && (unsigned)v < base ? v : -1;
}

bool parse_u64(const char *s, uint64_t *out)
{
    unsigned base = 10;
    for (size_t i = 0; i < sizeof radixes / sizeof radixes[0]; i++) {
        size_t n = strlen(radixes[i].prefix);
        if (strncmp(s, radixes[i].prefix, n) == 0) {
            base = radixes[i].base;
            s += n;
            break;
        }
    }
    uint64_t v = 0;
    int digits = 0;
    for (; *s; s++) {
        if ((*s == '_' || *s == '`') && digits)
            continue;
        int d = digit(*s, base);
        if (d < 0)
            return false;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return false;   /* overflow */
        v = v * base + (uint64_t)d;
        digits++;
    }
    if (!digits)
        return false;
    *out = v;
    return true;
}

static bool looks_numeric(const char *s)
{
    return isdigit((unsigned char)s[0]);
}

bool parse_address(const char *s, symbol_lookup_fn lookup, void *ctx,
                   uint64_t *out, char *err, size_t errsize)
{
    if (!*s) {
        snprintf(err, errsize, "missing address");
        return false;
    }
    if (looks_numeric(s)) {
        if (parse_u64(s, out))
            return true;
        snprintf(err, errsize, "bad number '%s'", s);
        return false;
    }
    char name[256];
    size_t n = strcspn(s, "+-");
    if (n == 0 || n >= sizeof name) {
        snprintf(err, errsize, "bad address '%s'", s);
        return false;
    }
    memcpy(name, s, n);
    name[n] = '\0';
    uint64_t base, off = 0;
    if (!lookup || !lookup(ctx, name, &base)) {
        snprintf(err, errsize, "unknown symbol '%s'", name);
        return false;
    }
    if (s[n]) {
        if (!parse_u64(s + n + 1, &off)) {
            snprintf(err, errsize, "bad offset '%s'", s + n + 1);
            return false;
        }
    }
    *out = s[n] == '-' ? base - off : base + off;
    return true;
}

long parse_bytes(int argc, char **argv, uint8_t *out, size_t max, char *err, size_t errsize)
{
    size_t n = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "0x", 2) == 0 || strncmp(a, "0X", 2) == 0)
            a += 2;
        size_t len = strlen(a);
        if (len == 0 || len % 2) {
            snprintf(err, errsize, "bad byte string '%s' (want hex pairs, e.g. 41 42 or 4142)", argv[i]);
            return -1;
        }
        for (size_t j = 0; j < len; j += 2) {
            int hi = digit(a[j], 16), lo = digit(a[j + 1], 16);
            if (hi < 0 || lo < 0) {
                snprintf(err, errsize, "bad hex byte '%.2s' in '%s'", a + j, argv[i]);
                return -1;
            }
            if (n == max) {
                snprintf(err, errsize, "too many bytes (at most %zu)", max);
                return -1;
            }
            out[n++] = (uint8_t)(hi << 4 | lo);
        }
    }
    if (n == 0) {
        snprintf(err, errsize, "no bytes to write");
        return -1;
    }
    return (long)n;
}
