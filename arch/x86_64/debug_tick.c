/* The debugger's own tick: the RTC's periodic interrupt delivered as an
 * NMI to the boot CPU through the IOAPIC. With the NMI intercept every
 * tick is an exit, whatever the guest does (interrupts off, spinning on
 * every CPU), and every exit polls the debug link: so a Ctrl-C or a new
 * client is seen within one tick even when no guest interrupt ever comes.
 *
 * The guest owns the LAPIC timer, the PIT and the IOAPIC, but the
 * supervisor-and-shard guest uses neither the RTC nor IOAPIC pin 8 (the
 * RTC's ISA IRQ, not overridden in QEMU's MADT); the monitor claims both
 * (ioapic.h). RTC: MC146818 registers A (rate), B (PIE) and C (flags,
 * cleared by reading). */
#include "arch.h"
#include "arch_debug.h"
#include "cpu.h"
#include "ioapic.h"
#include "lapic.h"

#define CMOS_INDEX        0x70
#define CMOS_DATA         0x71
#define CMOS_NMI_OFF      0x80      /* bit 7 of the index: legacy NMI mask, kept off */
#define RTC_REG_A         0x0a
#define RTC_REG_B         0x0b
#define RTC_REG_C         0x0c
#define RTC_A_DIVIDER     0x20      /* 32.768 kHz time base */
#define RTC_A_RATE_64HZ   0x0a      /* 32768 >> (10 - 1) = 64 Hz */
#define RTC_B_PIE         0x40

static bool tick_on;
static unsigned tick_cpu;      /* the CPU the tick NMIs go to */

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t value)
{
    outb(CMOS_INDEX, reg);
    outb(CMOS_DATA, value);
}

void arch_dbg_tick_start(void)
{
    ioapic_route_nmi(RTC_IOAPIC_PIN, lapic_id());     /* this, the boot CPU */
    cmos_write(RTC_REG_A, RTC_A_DIVIDER | RTC_A_RATE_64HZ);
    cmos_write(RTC_REG_B, cmos_read(RTC_REG_B) | RTC_B_PIE);
    (void)cmos_read(RTC_REG_C);     /* clear a flag already up: the next one makes an edge */
    tick_cpu = arch_cpu_index();
    tick_on = true;
}

void arch_dbg_tick_ack(void)
{
    /* Reading C lowers IRQ 8, so the next period makes a new edge
     * (MC146818: PF and IRQF clear on a read of C). Whether the flag was
     * still up does not matter: the NMI is the monitor's either way (a
     * late read can also take the next period's flag, whose NMI then finds
     * it clear). Only the tick's CPU reads it. */
    if (tick_on && arch_cpu_index() == tick_cpu)
        (void)cmos_read(RTC_REG_C);
}
