#include "permission_maps.h"

#include <stdbool.h>

#include "cpu.h"
#include "uart.h"

/* 12 KiB: one bit per port 0..0xffff plus the bits an access that wraps
 * past 0xffff reads; 8 KiB: two bits (read, write) per MSR in three ranges. */
static uint8_t iopm[3 * 4096] __attribute__((aligned(4096)));
static uint8_t msrpm[2 * 4096] __attribute__((aligned(4096)));

static void intercept_port(uint16_t port)
{
    iopm[port / 8] |= 1u << (port % 8);
}

void permission_maps_intercept_port(uint16_t port)
{
    intercept_port(port);
}

static void intercept_msr(uint32_t msr, bool read, bool write)
{
    static const struct { uint32_t first; uint32_t offset; } ranges[] = {
        { 0x00000000u, 0x0000 }, { 0xc0000000u, 0x0800 }, { 0xc0010000u, 0x1000 },
    };
    for (unsigned i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        if (msr - ranges[i].first < 0x2000) {
            uint32_t bit = (msr - ranges[i].first) * 2;
            uint8_t *byte = &msrpm[ranges[i].offset + bit / 8];
            if (read)
                *byte |= 1u << (bit % 8);
            if (write)
                *byte |= 1u << (bit % 8 + 1);
            return;
        }
    }
}

void permission_maps_build(void)
{
    for (uint16_t p = COM2_BASE; p < COM2_BASE + COM_PORTS; p++)
        intercept_port(p);
    for (uint16_t p = ISA_DEBUG_EXIT_PORT; p < ISA_DEBUG_EXIT_PORT + ISA_DEBUG_EXIT_SIZE; p++)
        intercept_port(p);
    intercept_msr(MSR_EFER, true, true);
    intercept_msr(MSR_VM_CR, true, true);
    intercept_msr(MSR_VM_HSAVE_PA, true, true);
}

uint64_t iopm_pa(void)
{
    return (uint64_t)iopm;
}

uint64_t msrpm_pa(void)
{
    return (uint64_t)msrpm;
}
