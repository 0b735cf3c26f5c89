/* tests/stub-demo/demo_memory.c - the demo's address map (docs/protocol.md). */
#include <string.h>

#include "demo_machine.h"

bool demo_translate(uint64_t addr, bool physical, uint64_t *ram_offset)
{
    uint64_t phys = addr;

    if (!physical && addr >= DEMO_ALIAS_BASE && addr - DEMO_ALIAS_BASE < DEMO_RAM_SIZE)
        phys = addr - DEMO_ALIAS_BASE + DEMO_RAM_BASE;
    if (phys < DEMO_RAM_BASE || phys - DEMO_RAM_BASE >= DEMO_RAM_SIZE)
        return false;
    if (phys >= DEMO_HOLE_BASE && phys - DEMO_HOLE_BASE < DEMO_HOLE_SIZE)
        return false;
    *ram_offset = phys - DEMO_RAM_BASE;
    return true;
}

size_t demo_read(struct demo_machine *m, uint64_t addr, uint8_t *buf, size_t len, bool physical)
{
    size_t done = 0;
    uint64_t off;

    while (done < len && demo_translate(addr + done, physical, &off)) {
        buf[done] = m->ram[off];
        done++;
    }
    return done;
}

bool demo_write(struct demo_machine *m, uint64_t addr, const uint8_t *buf, size_t len, bool physical)
{
    uint64_t off;

    /* All or nothing: check every byte first. */
    for (size_t i = 0; i < len; i++)
        if (!demo_translate(addr + i, physical, &off))
            return false;
    for (size_t i = 0; i < len; i++) {
        demo_translate(addr + i, physical, &off);
        m->ram[off] = buf[i];
    }
    return true;
}
