/* Helpers for the proxy's unit tests: a scratch directory and small ELF
 * files built with gcc at test time. Header-only: each test is one file. */
#ifndef PROXY_TESTUTIL_H
#define PROXY_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The scratch directory (PROXY_TEST_TMP, else /tmp), created on demand. */
static inline const char *test_tmp(void)
{
    const char *d = getenv("PROXY_TEST_TMP");
    if (!d || !*d)
        d = "/tmp";
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", d);
    if (system(cmd) != 0)
        return "/tmp";
    return d;
}

/* Writes `src` to DIR/NAME.c and links it with `flags`; returns the ELF
 * path in `out` and 0, or -1 when gcc failed. */
static inline int build_elf(const char *name, const char *src, const char *flags,
                            char *out, size_t outsize)
{
    char c_path[512], cmd[2048];
    snprintf(c_path, sizeof c_path, "%s/%s.c", test_tmp(), name);
    snprintf(out, outsize, "%s/%s.elf", test_tmp(), name);
    FILE *f = fopen(c_path, "w");
    if (!f)
        return -1;
    fputs(src, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "gcc -g -O0 -fno-omit-frame-pointer -nostdlib -static %s '%s' -o '%s'",
             flags, c_path, out);
    return system(cmd) == 0 ? 0 : -1;
}

/* Runs a shell command and returns its stdout (malloc'd, NUL-terminated). */
static inline char *run_capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - 1 - len, p)) > 0)
        len += n;
    pclose(p);
    if (buf)
        buf[len] = '\0';
    return buf;
}

#endif
