/* spin: burns CPU for the benchmarks. Argument: rounds of 2^20 xorshift
 * steps, each also summed in a double (so the shard owns SSE state too).
 * The checksum is deterministic. */
#include "ulib.h"

#define STEPS_PER_ROUND (1u << 20)

int64_t shard_main(uint64_t rounds, uint64_t id)
{
    (void)id;
    uint64_t x = 88172645463325252ull;
    double sum = 0;
    for (uint64_t r = 0; r < rounds; r++)
        for (uint32_t i = 0; i < STEPS_PER_ROUND; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            sum += (double)(x & 0xFFFF);
        }
    u_printf("[spin] %lu rounds done, checksum %016lx sum %lu\n", (unsigned long)rounds,
             (unsigned long)x, (unsigned long)(uint64_t)sum);
    return 0;
}
