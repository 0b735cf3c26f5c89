/* float: SSE and x87 arithmetic with exactly known results, long enough to be
 * preempted thousands of times. A wrong result means FPU/SSE state was lost
 * or mixed up across a preemption (the FXSAVE/FXRSTOR demo). Argument:
 * rounds. All sums stay below 2^53, so every result is exact. */
#include "ulib.h"

#define SUM_TERMS   200000ull     /* 1 + 2 + ... + n = n(n+1)/2 */
#define SQRT_LIMIT  4000u
#define HOLD_ITERS  2000000ull    /* loop iterations with xmm8-15 held */

static int sse_sum_ok(void)
{
    double acc = 0;
    for (uint64_t i = 1; i <= SUM_TERMS; i++)
        acc += (double)i;
    return (uint64_t)acc == SUM_TERMS * (SUM_TERMS + 1) / 2;
}

static int x87_sum_ok(void)
{
    long double acc = 0;            /* x87 registers on x86_64 */
    for (uint64_t i = 1; i <= SUM_TERMS; i++)
        acc += (long double)i;
    long double fact = 1;
    for (int i = 2; i <= 20; i++)
        fact *= i;
    return (uint64_t)acc == SUM_TERMS * (SUM_TERMS + 1) / 2 &&
           (uint64_t)fact == 2432902008176640000ull;    /* 20!, exact in 64 bits of mantissa */
}

static int sqrt_ok(void)
{
    for (uint32_t k = 1; k <= SQRT_LIMIT; k++) {
        double sq = (double)k * (double)k;
        if (__builtin_sqrt(sq) != (double)k)
            return 0;
    }
    return 1;
}

/* Puts a pattern derived from `seed` in xmm8-xmm15, runs a loop that never
 * touches them, and counts the registers that changed meanwhile. */
static uint64_t xmm_hold_mismatches(uint64_t seed)
{
    uint64_t bad, n = HOLD_ITERS;
    const uint64_t step = 0x0101010101010101ull;
    __asm__ volatile(
        "mov %[seed], %%rax\n\t"
        ".irp r, 8,9,10,11,12,13,14,15\n\t"
        "movq %%rax, %%xmm\\r\n\t"
        "add %[step], %%rax\n\t"
        ".endr\n\t"
        "1: addpd %%xmm1, %%xmm0\n\t"
        "dec %[n]\n\t"
        "jnz 1b\n\t"
        "xor %[bad], %[bad]\n\t"
        "mov %[seed], %%rax\n\t"
        ".irp r, 8,9,10,11,12,13,14,15\n\t"
        "movq %%xmm\\r, %%rdx\n\t"
        "cmp %%rax, %%rdx\n\t"
        "setne %%dl\n\t"
        "movzbl %%dl, %%edx\n\t"
        "add %%rdx, %[bad]\n\t"
        "add %[step], %%rax\n\t"
        ".endr\n\t"
        : [bad] "=&r"(bad), [n] "+r"(n)
        : [seed] "r"(seed), [step] "r"(step)
        : "rax", "rdx", "xmm0", "xmm1", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
          "xmm13", "xmm14", "xmm15", "cc");
    return bad;
}

int64_t shard_main(uint64_t rounds, uint64_t id)
{
    uint64_t seed = 0x5eed000000000000ull ^ (id << 32);
    for (uint64_t r = 1; r <= rounds; r++) {
        const char *wrong = 0;
        uint64_t held = xmm_hold_mismatches(seed ^ r);
        if (!sse_sum_ok())
            wrong = "SSE sum";
        else if (!x87_sum_ok())
            wrong = "x87 sum or factorial";
        else if (!sqrt_ok())
            wrong = "sqrt";
        else if (held)
            wrong = "xmm8-15 changed under the shard";
        if (wrong) {
            u_printf("[float] round %lu: %s WRONG: FPU/SSE state corrupted\n",
                     (unsigned long)r, wrong);
            return 1;
        }
    }
    u_printf("[float] sse sum 1..%lu = %lu ok\n", (unsigned long)SUM_TERMS,
             (unsigned long)(SUM_TERMS * (SUM_TERMS + 1) / 2));
    u_printf("[float] x87 sum ok, 20! = 2432902008176640000 ok\n");
    u_printf("[float] sqrt of 1..%u squared ok\n", SQRT_LIMIT);
    u_printf("[float] xmm8-15 held over %lu rounds ok\n", (unsigned long)rounds);
    u_printf("[float] all results correct\n");
    return 0;
}
