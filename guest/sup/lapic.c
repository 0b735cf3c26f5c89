#include "lapic.h"
#include "layout.h"
#include "pit.h"
#include "trap.h"
#include "x86.h"

enum {
    LAPIC_ID = 0x020, LAPIC_TPR = 0x080, LAPIC_EOI = 0x0B0, LAPIC_SVR = 0x0F0,
    LAPIC_ICR_LO = 0x300, LAPIC_ICR_HI = 0x310, LAPIC_LVT_TIMER = 0x320,
    LAPIC_LVT_LINT0 = 0x350, LAPIC_LVT_LINT1 = 0x360, LAPIC_LVT_ERROR = 0x370,
    LAPIC_TIMER_INIT = 0x380, LAPIC_TIMER_CUR = 0x390, LAPIC_TIMER_DIV = 0x3E0,
};

#define APIC_BASE_ENABLE  (1u << 11)
#define SVR_ENABLE        0x100
#define LVT_MASKED        (1u << 16)
#define LVT_PERIODIC      (1u << 17)
#define TIMER_DIV_16      0x3
#define ICR_PENDING       (1u << 12)
#define ICR_INIT          0x00004500u   /* INIT, level assert */
#define ICR_STARTUP       0x00004600u   /* STARTUP, level assert, vector = page */
#define CALIBRATE_US      10000u

static volatile uint8_t *lapic_base;

static uint32_t rd(uint32_t reg) { return *(volatile uint32_t *)(lapic_base + reg); }
static void wr(uint32_t reg, uint32_t v) { *(volatile uint32_t *)(lapic_base + reg) = v; }

void lapic_init(void)
{
    uint64_t msr = rdmsr(MSR_APIC_BASE);
    lapic_base = phys_to_virt(msr & 0xFFFFF000u);
}

void lapic_enable(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE))     /* leave the MSR alone when it is already on */
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    wr(LAPIC_TPR, 0);
    wr(LAPIC_LVT_LINT0, LVT_MASKED);    /* the 8259s stay masked: nothing legacy */
    wr(LAPIC_LVT_LINT1, LVT_MASKED);
    wr(LAPIC_LVT_ERROR, LVT_MASKED);
    wr(LAPIC_LVT_TIMER, LVT_MASKED);
    wr(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
}

uint32_t lapic_id(void)
{
    return rd(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
    wr(LAPIC_EOI, 0);
}

uint32_t lapic_timer_calibrate(void)
{
    wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
    wr(LAPIC_LVT_TIMER, LVT_MASKED);
    wr(LAPIC_TIMER_INIT, 0xFFFFFFFFu);
    pit_wait_us(CALIBRATE_US);
    uint32_t elapsed = 0xFFFFFFFFu - rd(LAPIC_TIMER_CUR);
    wr(LAPIC_TIMER_INIT, 0);
    uint64_t per_tick = (uint64_t)elapsed * 1000000u / CALIBRATE_US / TICK_HZ;
    return per_tick ? (uint32_t)per_tick : 1;
}

void lapic_timer_start(uint32_t counts_per_tick)
{
    wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
    wr(LAPIC_LVT_TIMER, VEC_TIMER | LVT_PERIODIC);
    wr(LAPIC_TIMER_INIT, counts_per_tick);
}

static void send_ipi(uint32_t apic_id, uint32_t low)
{
    wr(LAPIC_ICR_HI, apic_id << 24);
    wr(LAPIC_ICR_LO, low);
    while (rd(LAPIC_ICR_LO) & ICR_PENDING)
        cpu_relax();
}

void lapic_send_init(uint32_t apic_id)
{
    send_ipi(apic_id, ICR_INIT);
}

void lapic_send_startup(uint32_t apic_id, uint32_t page)
{
    send_ipi(apic_id, ICR_STARTUP | (page & 0xFF));
}
