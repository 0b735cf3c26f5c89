/*
 * stub/format.c - a small printf, because the monitor has no libc and
 * `monitor` command handlers want formatted output.
 */
#include "stub.h"

#include "libc.h"

struct sink {
    char *buf;
    size_t cap;
    size_t len;
};

static void put(struct sink *k, char c)
{
    if (k->len + 1 < k->cap)
        k->buf[k->len] = c;
    k->len++;
}

static void put_padded(struct sink *k, const char *text, size_t n,
                       unsigned width, bool left, char pad)
{
    size_t fill = width > n ? width - n : 0;

    if (!left)
        while (fill--)
            put(k, pad);
    for (size_t i = 0; i < n; i++)
        put(k, text[i]);
    if (left)
        while (fill--)
            put(k, ' ');
}

static void put_number(struct sink *k, unsigned long long v, bool negative,
                       unsigned base, bool upper, unsigned width, bool left, char pad)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = 0;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (negative) {
        if (pad == '0') {
            put(k, '-');
            if (width)
                width--;
        } else {
            tmp[n++] = '-';
        }
    }
    char out[24];
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    put_padded(k, out, n, width, left, pad);
}

size_t stub_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
    struct sink k = { buf, cap, 0 };

    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            put(&k, *f);
            continue;
        }
        f++;
        bool left = false;
        char pad = ' ';
        for (;; f++) {
            if (*f == '-')
                left = true;
            else if (*f == '0')
                pad = '0';
            else
                break;
        }
        unsigned width = 0;
        while (*f >= '0' && *f <= '9')
            width = width * 10 + (unsigned)(*f++ - '0');
        int longs = 0;
        bool size_t_arg = false;
        for (;; f++) {
            if (*f == 'l')
                longs++;
            else if (*f == 'z')
                size_t_arg = true;
            else if (*f != 'h')
                break;
        }
        if (left)
            pad = ' ';
        switch (*f) {
        case 'd':
        case 'i': {
            long long v = longs >= 2 ? va_arg(ap, long long)
                        : longs == 1 ? va_arg(ap, long)
                        : size_t_arg ? (long long)va_arg(ap, size_t)
                        : va_arg(ap, int);
            unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v
                                           : (unsigned long long)v;
            put_number(&k, mag, v < 0, 10, false, width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long v = longs >= 2 ? va_arg(ap, unsigned long long)
                                 : longs == 1 ? va_arg(ap, unsigned long)
                                 : size_t_arg ? va_arg(ap, size_t)
                                 : va_arg(ap, unsigned);
            put_number(&k, v, false, *f == 'u' ? 10 : 16, *f == 'X', width, left, pad);
            break;
        }
        case 'p':
            put(&k, '0');
            put(&k, 'x');
            put_number(&k, (unsigned long long)(uintptr_t)va_arg(ap, void *),
                       false, 16, false, width, left, pad);
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str)
                str = "(null)";
            put_padded(&k, str, strlen(str), width, left, ' ');
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(&k, &c, 1, width, left, ' ');
            break;
        }
        case '%':
            put(&k, '%');
            break;
        case '\0':
            f--;    /* a lone '%' at the end: stop at the NUL */
            break;
        default:
            put(&k, '%');
            put(&k, *f);
            break;
        }
    }
    if (cap)
        buf[k.len < cap ? k.len : cap - 1] = '\0';
    return k.len;
}

size_t stub_format(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = stub_vformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}
