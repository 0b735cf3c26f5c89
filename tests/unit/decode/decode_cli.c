/* Line filter over x86_decode for gcc_oracle.py: reads "MODE HEXBYTES" lines
 * (MODE 16, 32 or 64), prints "rc length kind op_size reg high_byte dr imm". */
#include <stdio.h>
#include <string.h>

#include "decode.h"

int main(void)
{
    char line[256];
    while (fgets(line, sizeof line, stdin)) {
        unsigned mode_bits, byte;
        int used;
        uint8_t code[32];
        size_t n = 0;
        char *p = line;
        if (sscanf(p, "%u%n", &mode_bits, &used) != 1)
            return 2;
        p += used;
        while (n < sizeof code && sscanf(p, "%2x%n", &byte, &used) == 1) {
            code[n++] = (uint8_t)byte;
            p += used;
        }
        enum decode_mode mode = mode_bits == 16 ? DECODE_16 : mode_bits == 32 ? DECODE_32 : DECODE_64;
        struct insn in;
        memset(&in, 0, sizeof in);
        int rc = x86_decode(code, n, mode, &in);
        printf("%d %u %d %u %u %d %u %llu\n", rc, in.length, in.kind, in.op_size, in.reg,
               in.high_byte, in.dr, (unsigned long long)in.imm);
    }
    return 0;
}
