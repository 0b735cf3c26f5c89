#include "catch_spec.h"

#include <stdbool.h>

#include "arch_debug.h"
#include "lib/string.h"
#include "stub/stub.h"

/* Vectors a catchpoint may not take: single steps and hardware
 * breakpoints (#DB), the all-stop kick (NMI), software breakpoints (#BP). */
#define CATCH_RESERVED ((1u << 1) | (1u << 2) | (1u << 3))

static int vector_of(const char *word)
{
    int vec = arch_dbg_vector_by_name(word);
    if (vec >= 0)
        return vec;
    const char *w = word;
    uint64_t n;
    return stub_arg_number(&w, &n) && n < 32 ? (int)n : -1;
}

int catch_parse(const char *args, uint32_t mask, uint32_t *out, char *bad, size_t cap)
{
    char word[16];
    while (stub_arg_word(&args, word, sizeof word)) {
        if (!strcmp(word, "off")) {
            mask = 0;
            continue;
        }
        int vec = vector_of(word);
        if (vec < 0 || (CATCH_RESERVED & (1u << vec))) {
            stub_format(bad, cap, "%s", word);
            return TARGET_EINVAL;
        }
        mask |= 1u << vec;
    }
    /* a word too long for the buffer is no vector either: refuse it
     * rather than drop it and everything after it unseen */
    if (!stub_arg_end(args)) {
        stub_format(bad, cap, "%s", args);
        return TARGET_EINVAL;
    }
    *out = mask;
    return 0;
}

int catch_signal(unsigned vector)
{
    enum { SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11 };
    static const unsigned char signals[32] = {
        [0] = SIGFPE, [4] = SIGSEGV, [5] = SIGSEGV, [6] = SIGILL, [7] = SIGFPE, [8] = SIGSEGV,
        [10] = SIGSEGV, [11] = SIGSEGV, [12] = SIGSEGV, [13] = SIGSEGV, [14] = SIGSEGV,
        [16] = SIGFPE, [17] = SIGBUS, [19] = SIGFPE,
    };
    return vector < 32 && signals[vector] ? signals[vector] : SIGTRAP;
}
