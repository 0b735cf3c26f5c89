#include "smp.h"
#include "apic.h"
#include "guest.h"
#include "idt.h"
#include "x86.h"

#define ICR_INIT_ASSERT (ICR_INIT | ICR_LEVEL_ASSERT)
/* Wait for an AP's check-in, in TSC cycles (seconds at any clock rate):
 * a loop count would depend on how loaded the host running TCG is. */
#define CHECK_IN_TIMEOUT_TSC (1ull << 33)

extern const uint8_t ap_trampoline_start[], ap_trampoline_end[];

struct smp_cpu smp_cpus[ACPI_MAX_CPUS];
volatile int smp_checked_in;
static ap_work_fn ap_work;

/* Called from boot.S on the AP's own stack; `slot` counts APs from 0. */
void ap_entry(int slot)
{
    int cpu = slot + 1;
    idt_load();
    lapic_enable();
    smp_cpus[cpu].apic_id = lapic_id();
    /* An AP the guest started must run under the monitor too, not on the
     * bare CPU: ask this CPU itself. */
    smp_cpus[cpu].hosted = hosted_by_husk();
    /* Print before counting in: the BSP may end the run as soon as the
     * count is complete, and this CPU's thread may run late under TCG. */
    printf("smp: cpu %d (apic id %u) checked in, hosted %d\n", cpu, smp_cpus[cpu].apic_id,
           smp_cpus[cpu].hosted);
    smp_cpus[cpu].checked_in = 1;
    __atomic_add_fetch(&smp_checked_in, 1, __ATOMIC_SEQ_CST);
    if (ap_work)
        ap_work(cpu);
    for (;;)
        __asm__ volatile("cli; hlt");
}

static bool overlaps(uintptr_t a, size_t alen, uintptr_t b, size_t blen)
{
    return a < b + blen && b < a + alen;
}

static bool page_available(uintptr_t page)
{
    const struct mb_info *mbi = boot_info();
    if (!(mbi->flags & MBI_MMAP))
        return false;
    for (uintptr_t p = mbi->mmap_addr; p < mbi->mmap_addr + mbi->mmap_length;) {
        const struct mb_mmap_entry *e = phys_ptr(p);
        if (e->type == 1 && e->addr <= page && page + 0x1000 <= e->addr + e->len)
            return true;
        p += e->size + 4;
    }
    return false;
}

static bool page_holds_boot_data(uintptr_t page)
{
    const struct mb_info *mbi = boot_info();
    if (overlaps(page, 0x1000, (uintptr_t)mbi, sizeof(*mbi)) ||
        overlaps(page, 0x1000, mbi->mmap_addr, mbi->mmap_length))
        return true;
    if ((mbi->flags & MBI_CMDLINE) && mbi->cmdline &&
        overlaps(page, 0x1000, mbi->cmdline, strlen(phys_ptr(mbi->cmdline)) + 1))
        return true;
    return false;
}

uintptr_t smp_trampoline_page(void)
{
    /* Page 0 holds the real-mode IVT and BDA; 0x9F000 up is EBDA and ROM. */
    for (uintptr_t page = 0x8000; page != 0x7000; page = page + 0x1000 >= 0x9F000 ? 0x1000 : page + 0x1000)
        if (page_available(page) && !page_holds_boot_data(page))
            return page;
    return 0;
}

int smp_start_aps(ap_work_fn work)
{
    uint32_t ids[ACPI_MAX_CPUS];
    int n = (int)acpi_cpu_apic_ids(ids, ACPI_MAX_CPUS);
    uint8_t self = lapic_id();
    uintptr_t page = smp_trampoline_page();

    if (!page) {
        printf("smp: no free page below 1 MiB for the trampoline\n");
        return -1;
    }
    memcpy(phys_ptr(page), ap_trampoline_start, (size_t)(ap_trampoline_end - ap_trampoline_start));
    ap_work = work;
    smp_cpus[0].apic_id = self;
    smp_cpus[0].checked_in = 1;
    smp_checked_in = 1;
    lapic_enable();

    int started = 1;
    for (int i = 0; i < n; i++) {
        if (ids[i] == self)
            continue;
        printf("smp: starting apic id %u (trampoline 0x%lx)\n", ids[i], page);
        lapic_send_ipi(ids[i], ICR_INIT_ASSERT);
        udelay(10000);
        for (int sipi = 0; sipi < 2; sipi++) {
            lapic_send_ipi(ids[i], ICR_STARTUP | (uint32_t)(page >> 12));
            udelay(200);
        }
        started++;
        /* One at a time: the APs share the trampoline and take stack slots in order. */
        uint64_t give_up = rdtsc() + CHECK_IN_TIMEOUT_TSC;
        while (smp_checked_in < started && rdtsc() < give_up)
            cpu_relax();
    }
    return smp_checked_in;
}
