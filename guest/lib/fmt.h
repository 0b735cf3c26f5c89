/* A small printf core shared by the supervisor and the shards: integers,
 * strings and characters only (the supervisor has no floating point). */
#ifndef GUEST_FMT_H
#define GUEST_FMT_H
#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: %d %i %u %x %X %p %s %c %%, with the flags `0` and `-`, a
 * width, and the length modifiers l, ll, z. Always NUL-terminates when
 * size > 0; returns the length the full output would have had. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
