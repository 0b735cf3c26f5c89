/* Hexdump formatting: 16 bytes a line, address, hex, ASCII. */
#ifndef PROXY_HEXDUMP_H
#define PROXY_HEXDUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Formats one line for up to 16 bytes at `addr` into `out` (at least
 * HEXDUMP_LINE_MAX bytes), no newline. Short lines keep the ASCII column
 * aligned. Returns the length written. */
#define HEXDUMP_LINE_MAX 100
size_t hexdump_line(char *out, uint64_t addr, const uint8_t *data, size_t len);

/* Writes a whole dump, one line per 16 bytes. */
void hexdump(FILE *f, uint64_t addr, const uint8_t *data, size_t len);

#endif
