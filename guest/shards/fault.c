/* fault: commits the fault its argument names (FAULT_* in abi.h). The
 * supervisor must kill it; surviving is a failure. */
#include "ulib.h"

struct kind {
    const char *name;
    const char *what;
};

static const struct kind kinds[FAULT_KINDS] = {
    [FAULT_NULL]  = { "null",  "read address 0" },
    [FAULT_WCODE] = { "wcode", "write to my own code" },
    [FAULT_XDATA] = { "xdata", "execute an mmap'd data page" },
    [FAULT_RDTSC] = { "rdtsc", "execute rdtsc with CR4.TSD set" },
    [FAULT_UD2]   = { "ud2",   "execute ud2" },
};

/* Hides a constant from the optimiser, so null stays a real load. */
static uint64_t opaque(uint64_t v)
{
    __asm__ volatile("" : "+r"(v));
    return v;
}

int64_t shard_main(uint64_t kind, uint64_t id)
{
    (void)id;
    if (kind >= FAULT_KINDS) {
        u_printf("[fault] unknown kind %lu\n", (unsigned long)kind);
        return 1;
    }
    const char *name = kinds[kind].name;
    u_printf("[fault-%s] about to %s\n", name, kinds[kind].what);
    switch (kind) {
    case FAULT_NULL:
        (void)*(volatile uint64_t *)opaque(0);
        break;
    case FAULT_WCODE:
        *(volatile uint8_t *)opaque((uint64_t)shard_main) = 0xCC;
        break;
    case FAULT_XDATA: {
        uint8_t *page = u_mmap(1);
        if (!page)
            return 1;
        page[0] = 0xC3;     /* ret */
        ((void (*)(void))opaque((uint64_t)page))();
        break;
    }
    case FAULT_RDTSC: {
        uint32_t lo, hi;
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        break;
    }
    case FAULT_UD2:
        __asm__ volatile("ud2");
        break;
    }
    u_printf("[fault-%s] survived: the supervisor did not stop me\n", name);
    return 1;
}
