/* Hexdump formatting. See hexdump.h. Layout, for a person and for tests:
 * "ffffffff80200000  48 89 e5 00 00 00 00 00  41 42 43 00 00 00 00 00  |H.......ABC.....|" */
#include "hexdump.h"

#include <string.h>

#define BYTES_PER_LINE 16

size_t hexdump_line(char *out, uint64_t addr, const uint8_t *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    if (len > BYTES_PER_LINE)
        len = BYTES_PER_LINE;
    size_t n = (size_t)snprintf(out, HEXDUMP_LINE_MAX, "%016llx  ", (unsigned long long)addr);
    for (size_t i = 0; i < BYTES_PER_LINE; i++) {
        if (i < len) {
            out[n++] = digits[data[i] >> 4];
            out[n++] = digits[data[i] & 15];
        } else {
            out[n++] = ' ';
            out[n++] = ' ';
        }
        out[n++] = ' ';
        if (i == 7)
            out[n++] = ' ';   /* a gap between the two halves */
    }
    out[n++] = ' ';
    out[n++] = '|';
    for (size_t i = 0; i < len; i++)
        out[n++] = data[i] >= 0x20 && data[i] < 0x7f ? (char)data[i] : '.';
    out[n++] = '|';
    out[n] = '\0';
    return n;
}

void hexdump(FILE *f, uint64_t addr, const uint8_t *data, size_t len)
{
    char line[HEXDUMP_LINE_MAX];
    for (size_t off = 0; off < len; off += BYTES_PER_LINE) {
        size_t chunk = len - off < BYTES_PER_LINE ? len - off : BYTES_PER_LINE;
        hexdump_line(line, addr + off, data + off, chunk);
        fprintf(f, "%s\n", line);
    }
}
