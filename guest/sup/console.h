/* COM1 console (0x3F8, 115200 8N1). Every line goes out whole under one
 * lock, so lines from different CPUs never interleave mid-line. */
#ifndef SUP_CONSOLE_H
#define SUP_CONSOLE_H
#include <stddef.h>

void console_init(void);
void console_write(const char *s, size_t n);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
