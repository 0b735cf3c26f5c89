/*
 * stub/libc.h - the four C library functions the stub uses. The monitor's
 * freestanding runtime (src/lib/) provides them; hosted builds get libc's.
 * Declared here so the stub needs no hosted header.
 */
#ifndef HUSK_STUB_LIBC_H
#define HUSK_STUB_LIBC_H

#include <stdbool.h>
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* Built on the four above. */
const char *stub_find_byte(const char *p, char c, size_t n);
bool stub_str_eq(const char *a, const char *b);

#endif
