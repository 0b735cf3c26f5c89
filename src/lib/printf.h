/* A small printf: %d %i %u %x %X %p %s %c %%, flags '0' '-', a width, and the
 * length modifiers l, ll, z (h and hh are accepted and ignored as in C's
 * promotion rules). Anything else is printed literally, never crashes. */
#ifndef HUSK_LIB_PRINTF_H
#define HUSK_LIB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Like C's: writes at most size bytes including the terminator, returns the
 * length the full output would have had. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
