#include "time.h"

#include "arch.h"
#include "cpu.h"
#include "exit_path.h"

#define PIT_HZ        1193182u
#define CALIBRATE_US  1000u
#define CALIBRATE_ROUNDS 3

static uint64_t tsc_per_us = 1000;   /* until calibrated: assume 1 GHz */
static uint64_t tsc_boot;

/* TSC cycles over one PIT channel 2 countdown of CALIBRATE_US. */
static uint64_t measure_once(void)
{
    /* channel 2, mode 0 (interrupt on terminal count): OUT2 (port 0x61
     * bit 5) goes high when the count runs out; speaker stays off */
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    outb(0x43, 0xb0);
    uint16_t count = (uint16_t)(PIT_HZ / (1000000u / CALIBRATE_US));
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    uint64_t t0 = rdtsc();
    for (uint64_t spins = 0; !(inb(0x61) & 0x20) && spins < 100000000; spins++)
        ;
    uint64_t t1 = rdtsc();
    outb(0x61, inb(0x61) & ~0x01);
    return t1 - t0;
}

void time_init(void)
{
    tsc_boot = rdtsc();
    /* A CPU that is itself virtual can be descheduled while it waits, which
     * only ever lengthens a measurement: keep the shortest of a few. */
    uint64_t best = ~0ull;
    for (int i = 0; i < CALIBRATE_ROUNDS; i++) {
        uint64_t c = measure_once();
        if (c < best)
            best = c;
    }
    if (best >= CALIBRATE_US && best != ~0ull)
        tsc_per_us = best / CALIBRATE_US;
}

void udelay(uint64_t us)
{
    uint64_t end = rdtsc() + us * tsc_per_us;
    while ((int64_t)(rdtsc() - end) < 0)
        cpu_relax();
}

uint64_t tsc_to_ns(uint64_t cycles)
{
    return cycles * 1000 / tsc_per_us;
}

EXIT_PATH uint64_t arch_time_us(void)
{
    return (rdtsc() - tsc_boot) / tsc_per_us;
}

void arch_cpu_relax(void)
{
    cpu_relax();
}
