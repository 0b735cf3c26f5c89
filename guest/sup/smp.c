#include "smp.h"
#include "acpi.h"
#include "console.h"
#include "cpu.h"
#include "lapic.h"
#include "layout.h"
#include "pit.h"
#include "sched.h"
#include "vm.h"
#include "x86.h"
#include "../lib/string.h"

extern char ap_trampoline_start[], ap_trampoline_end[];
extern char ap_tramp_cr3[], ap_tramp_stack[], ap_tramp_entry[], ap_tramp_arg[];

#define AP_START_TIMEOUT_MS 200

static uint32_t ap_timer_counts;
static volatile int released;

static void tramp_set(char *var, uint64_t v)
{
    uint64_t off = (uint64_t)(var - ap_trampoline_start);
    *(volatile uint64_t *)phys_to_virt(AP_TRAMPOLINE + off) = v;
}

static __attribute__((noreturn)) void ap_entry(uint64_t index)
{
    write_cr3(vm_kernel_cr3());         /* drop the trampoline's identity map */
    cpu_init((unsigned)index, 0);
    lapic_enable();
    cpus[index].apic_id = lapic_id();
    __atomic_store_n(&cpus[index].online, 1, __ATOMIC_RELEASE);
    __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELEASE);
    while (!released)
        cpu_relax();
    lapic_timer_start(ap_timer_counts);
    sched_idle_loop();
}

/* INIT, 10 ms, STARTUP, 200 us, STARTUP (SDM vol. 3, 9.4.4.1). */
static int start_one(unsigned index, uint32_t apic_id)
{
    tramp_set(ap_tramp_stack, (uint64_t)&idle_stacks[index][IDLE_STACK_SIZE]);
    tramp_set(ap_tramp_arg, index);
    lapic_send_init(apic_id);
    pit_wait_us(10000);
    for (int i = 0; i < 2 && !cpus[index].online; i++) {
        lapic_send_startup(apic_id, AP_TRAMPOLINE >> 12);
        pit_wait_us(200);
    }
    for (int ms = 0; ms < AP_START_TIMEOUT_MS && !cpus[index].online; ms++)
        pit_wait_us(1000);
    return cpus[index].online ? 0 : -1;
}

unsigned smp_start(const struct boot_info *bi, uint32_t timer_counts)
{
    uint32_t ids[MAX_CPUS];
    ap_timer_counts = timer_counts;
    cpus_online = 1;
    int n = acpi_cpu_apic_ids(ids, MAX_CPUS);
    if (n == 0) {
        kprintf("[BOOT] no ACPI MADT: running on the boot CPU only\n");
        return 1;
    }
    if (n > 1 && !mem_is_available(bi, AP_TRAMPOLINE, PAGE_SIZE)) {
        kprintf("[BOOT] error: AP start page 0x%lx is not available memory; APs not started\n",
                (unsigned long)AP_TRAMPOLINE);
        return 1;
    }
    uint64_t cr3 = n > 1 ? vm_ap_boot_cr3() : 0;
    if (n > 1 && (!cr3 || cr3 >= (1ul << 32))) {
        kprintf("[BOOT] error: no page tables below 4 GiB for AP start\n");
        return 1;
    }
    memcpy(phys_to_virt(AP_TRAMPOLINE), ap_trampoline_start,
           (size_t)(ap_trampoline_end - ap_trampoline_start));
    tramp_set(ap_tramp_cr3, cr3);
    tramp_set(ap_tramp_entry, (uint64_t)ap_entry);
    unsigned next = 1;
    for (int i = 0; i < n; i++) {
        if (ids[i] == cpus[0].apic_id)
            continue;
        if (next == MAX_CPUS) {
            kprintf("[BOOT] more than %d CPUs: the rest stay parked\n", MAX_CPUS);
            break;
        }
        if (start_one(next, ids[i]) == 0)
            next++;
        else
            kprintf("[BOOT] error: CPU with APIC ID %u did not start\n", ids[i]);
    }
    return cpus_online;
}

void smp_release(void)
{
    __atomic_store_n(&released, 1, __ATOMIC_RELEASE);
}
