/* Freestanding string and memory functions (the compiler may also call the
 * mem* ones for structure copies). */
#ifndef GUEST_STRING_H
#define GUEST_STRING_H
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* Copies at most size-1 bytes and always terminates (size > 0). */
size_t strlcpy(char *dst, const char *src, size_t size);
/* Parses an unsigned decimal number of the whole string; 0 on success. */
int parse_u64(const char *s, uint64_t *out);

#endif
