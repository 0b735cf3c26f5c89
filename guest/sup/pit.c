#include "pit.h"
#include "x86.h"

#define PIT_HZ        1193182u
#define PIT_CH2       0x42
#define PIT_MODE      0x43
#define PIT_CH2_MODE0 0xB0      /* channel 2, lobyte/hibyte, mode 0: out goes high at zero */
#define PORT_B        0x61      /* bit 0: channel 2 gate, bit 1: speaker, bit 5: channel 2 out */
#define MAX_CHUNK_US  50000u    /* below the 16-bit counter's 54.9 ms */

void pit_wait_us(uint32_t us)
{
    while (us) {
        uint32_t chunk = us > MAX_CHUNK_US ? MAX_CHUNK_US : us;
        uint32_t count = (uint32_t)((uint64_t)chunk * PIT_HZ / 1000000u);
        if (!count)
            count = 1;
        outb(PORT_B, (uint8_t)((inb(PORT_B) & ~0x02) | 0x01));
        outb(PIT_MODE, PIT_CH2_MODE0);
        outb(PIT_CH2, (uint8_t)count);
        outb(PIT_CH2, (uint8_t)(count >> 8));
        while (!(inb(PORT_B) & 0x20))
            cpu_relax();
        us -= chunk;
    }
}
