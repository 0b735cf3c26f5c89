/* stub/hex.c - hex digits and the number syntax of RSP packets. */
#include "stub_internal.h"

#include "libc.h"

const char rsp_hex_digits[16] = "0123456789abcdef";

int rsp_hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool rsp_parse_hex(const char **p, const char *end, uint64_t *value)
{
    const char *q = *p;
    uint64_t v = 0;

    while (q < end && rsp_hex_value(*q) >= 0) {
        /* A 17th significant digit cannot fit: reject rather than wrap. */
        if (v >> 60)
            return false;
        v = (v << 4) | (uint64_t)rsp_hex_value(*q);
        q++;
    }
    if (q == *p)
        return false;
    *p = q;
    *value = v;
    return true;
}

bool rsp_parse_thread(const char **p, const char *end, int *thread)
{
    uint64_t v;

    if (end - *p >= 2 && (*p)[0] == '-' && (*p)[1] == '1') {
        *p += 2;
        *thread = -1;
        return true;
    }
    if (!rsp_parse_hex(p, end, &v) || v > 0x7fffffff)
        return false;
    *thread = (int)v;
    return true;
}

bool rsp_hex_decode(const char *hex, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        int hi = rsp_hex_value(hex[2 * i]);
        int lo = rsp_hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

bool rsp_starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

const char *stub_find_byte(const char *p, char c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] == c)
            return p + i;
    return NULL;
}

bool stub_str_eq(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && memcmp(a, b, n) == 0;
}
