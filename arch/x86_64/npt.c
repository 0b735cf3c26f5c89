#include "npt.h"

#include "arch.h"
#include "lapic.h"
#include "layout.h"
#include "spinlock.h"

#define NPT_P   (1ull << 0)
#define NPT_W   (1ull << 1)
#define NPT_U   (1ull << 2)
#define NPT_PS  (1ull << 7)
#define NPT_NX  (1ull << 63)
#define SIZE_2M (2ull << 20)

extern char __image_start[], __region_end[];

static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[4][512] __attribute__((aligned(4096)));
static uint64_t lapic_pt[512] __attribute__((aligned(4096)));

void arch_monitor_region(uint64_t *start, uint64_t *end)
{
    *start = (uint64_t)__image_start;
    *end = (uint64_t)__region_end;
}

int npt_in_monitor(uint64_t gpa, uint64_t len)
{
    uint64_t s, e;
    arch_monitor_region(&s, &e);
    return gpa < e && s < gpa + len;
}

void npt_build(void)
{
    pml4[0] = (uint64_t)pdpt | NPT_P | NPT_W | NPT_U;
    for (unsigned i = 0; i < 4; i++)
        pdpt[i] = (uint64_t)pd[i] | NPT_P | NPT_W | NPT_U;
    for (uint64_t gpa = 0; gpa < NPT_LIMIT; gpa += SIZE_2M) {
        uint64_t *e = &pd[gpa >> 30][(gpa >> 21) & 511];
        if (npt_in_monitor(gpa, SIZE_2M))
            *e = 0;
        else if (gpa == (LAPIC_BASE & ~(SIZE_2M - 1)))
            *e = (uint64_t)lapic_pt | NPT_P | NPT_W | NPT_U;
        else
            *e = gpa | NPT_P | NPT_W | NPT_U | NPT_PS;
    }
    uint64_t base = LAPIC_BASE & ~(SIZE_2M - 1);
    for (unsigned i = 0; i < 512; i++) {
        uint64_t gpa = base + ((uint64_t)i << 12);
        lapic_pt[i] = gpa | NPT_P | NPT_U | (gpa == LAPIC_BASE ? 0 : NPT_W);
    }
}

static bool fetch_trap_usable;
static uint32_t fetch_trap_holders;     /* bit i: vcpus[i] holds it */
static struct spinlock fetch_trap_lock;

void npt_fetch_trap_enable(void) { fetch_trap_usable = true; }

bool npt_fetch_trap_available(void) { return fetch_trap_usable; }

/* One PML4 entry maps all guest memory: its NX covers every fetch (APM
 * vol. 2, 5.6.1; nested walks apply it with the host's EFER.NXE). */
static void fetch_trap_change(uint32_t set, uint32_t clear)
{
    spin_lock(&fetch_trap_lock);
    fetch_trap_holders = (fetch_trap_holders | set) & ~clear;
    uint64_t e = pml4[0] & ~NPT_NX;
    __atomic_store_n(&pml4[0], fetch_trap_holders ? e | NPT_NX : e, __ATOMIC_RELEASE);
    spin_unlock(&fetch_trap_lock);
}

void npt_fetch_trap_hold(unsigned cpu) { fetch_trap_change(1u << cpu, 0); }

void npt_fetch_trap_release(unsigned cpu) { fetch_trap_change(0, 1u << cpu); }

bool npt_fetch_trap_held_by(unsigned cpu)
{
    return __atomic_load_n(&fetch_trap_holders, __ATOMIC_ACQUIRE) & (1u << cpu);
}

uint64_t arch_guest_phys_limit(void)
{
    return NPT_LIMIT;
}

uint64_t npt_root(void)
{
    return (uint64_t)pml4;
}

void *arch_guest_phys(uint64_t gpa, size_t len)
{
    if (gpa + len < gpa || gpa + len > NPT_LIMIT || npt_in_monitor(gpa, len))
        return 0;
    return (void *)gpa;
}
