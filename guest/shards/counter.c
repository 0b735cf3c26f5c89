/* counter: increments a 64-bit value at the start of its first mmap page
 * (USER_MMAP_BASE) and prints it after every COUNT_PER_REPORT increments,
 * sleeping REPORT_TICKS between reports: the watchpoint demo. Argument: the
 * number of reports, COUNTER_FOREVER (0) = until the supervisor stops it. */
#include "ulib.h"

#define COUNT_PER_REPORT 100000
#define REPORT_TICKS     20

int64_t shard_main(uint64_t reports, uint64_t id)
{
    (void)id;
    volatile uint64_t *value = u_mmap(1);
    if (!value)
        return 1;
    u_printf("[counter] counting at %p\n", (void *)value);
    for (uint64_t r = 1; reports == COUNTER_FOREVER || r <= reports; r++) {
        for (int i = 0; i < COUNT_PER_REPORT; i++)
            (*value)++;
        u_printf("[counter] value %lu\n", (unsigned long)*value);
        u_sleep(REPORT_TICKS);
    }
    u_printf("[counter] done after %lu reports\n", (unsigned long)reports);
    return 0;
}
