#include "smp.h"

#include "acpi.h"
#include "arch.h"
#include "cpu.h"
#include "exit_path.h"
#include "idle.h"
#include "lapic.h"
#include "layout.h"
#include "lib/string.h"
#include "log.h"
#include "percpu.h"
#include "svm.h"
#include "time.h"

extern char ap_trampoline[], ap_trampoline_end[];
extern uint64_t ap_stack_top[MAX_APIC_ID];
uint8_t cpu_stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(4096)));

static unsigned online_count(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < vcpu_count; i++)
        n += vcpus[i].checked_in;
    return n;
}

/* The 10 ms wait after INIT of the MP specification is for old parts:
 * AMD family 0Fh and later (every CPU with SVM) need none, which is also
 * what Linux assumes (smp_quirk_init_udelay). */
static uint64_t init_delay_us(void)
{
    struct cpuid_regs v = cpuid(0, 0);
    bool amd = v.ebx == 0x68747541 && v.edx == 0x69746e65 && v.ecx == 0x444d4163;   /* AuthenticAMD */
    uint32_t eax = cpuid(1, 0).eax;
    uint32_t family = ((eax >> 8) & 0xf) + (((eax >> 8) & 0xf) == 0xf ? (eax >> 20) & 0xff : 0);
    return amd && family >= 0xf ? 0 : 10000;
}

static void setup_slot(unsigned index, uint32_t apic_id)
{
    struct percpu *p = &percpus[index];
    struct vcpu *v = &vcpus[index];
    p->index = index;
    p->apic_id = apic_id;
    p->vcpu = v;
    v->index = index;
    v->apic_id = apic_id;
    v->arch = &p->arch;
}

unsigned smp_start_aps(void)
{
    uint32_t ids[MAX_CPUS];
    uint32_t self = lapic_id();
    unsigned n = acpi_cpu_apic_ids(ids, MAX_CPUS);
    vcpu_count = 1;
    for (unsigned i = 0; i < n; i++) {
        if (ids[i] == self || ids[i] >= MAX_APIC_ID)
            continue;
        unsigned index = vcpu_count++;
        setup_slot(index, ids[i]);
        ap_stack_top[ids[i]] = (uint64_t)&cpu_stacks[index][STACK_SIZE];
    }
    if (vcpu_count == 1)
        return 1;

    /* The real-mode start code needs a page below 1 MiB: borrow one and
     * give it back unchanged once every AP is past it. */
    static uint8_t saved[4096];
    size_t len = (size_t)(ap_trampoline_end - ap_trampoline);
    memcpy(saved, phys_ptr(AP_TRAMPOLINE), sizeof saved);
    memcpy(phys_ptr(AP_TRAMPOLINE), ap_trampoline, len);

    /* Intel MP spec B.4 / APM vol. 2, 16.5: INIT, wait, SIPI, 200 us, SIPI */
    for (unsigned i = 1; i < vcpu_count; i++)
        lapic_send_ipi(vcpus[i].apic_id, 0x4500);   /* INIT, level assert */
    udelay(init_delay_us());
    for (int round = 0; round < 2; round++) {
        for (unsigned i = 1; i < vcpu_count; i++)
            if (!vcpus[i].checked_in)
                lapic_send_ipi(vcpus[i].apic_id, 0x4600 | (AP_TRAMPOLINE >> 12));
        udelay(200);
    }
    uint64_t deadline = arch_time_us() + 1000000;
    while (online_count() < vcpu_count && arch_time_us() < deadline)
        cpu_relax();
    memcpy(phys_ptr(AP_TRAMPOLINE), saved, sizeof saved);
    return online_count();
}

void smp_setup_bsp(uint32_t apic_id)
{
    setup_slot(0, apic_id);
}

__attribute__((noreturn)) void arch_boot_ap(uint32_t apic_id)
{
    struct vcpu *v = vcpu_by_apic_id(apic_id);
    if (!v)
        arch_halt_forever();
    struct percpu *p = &percpus[v->index];
    cpu_init_tables(p);
    svm_cpu_init(p);
    __atomic_store_n(&v->state, VCPU_PARKED, __ATOMIC_RELEASE);
    __atomic_store_n(&v->checked_in, true, __ATOMIC_RELEASE);
    vcpu_loop(v);
}

void arch_vcpu_kick(struct vcpu *v)
{
    /* An NMI: it makes a CPU in the guest exit (NMI intercept) even with
     * RFLAGS.IF clear, and ends the HLT of an idle one. The host absorbs
     * every NMI (panic.c), so kicks need no accounting; they may coalesce,
     * and one is as good as many. The guest owns the ICR: its destination
     * field is given back afterwards. */
    uint32_t guest_dest = lapic_read(LAPIC_ICR_HIGH);
    lapic_send_ipi(v->apic_id, ICR_DELIVERY_NMI << 8);
    lapic_write(LAPIC_ICR_HIGH, guest_dest);
}

void arch_vcpu_idle(struct vcpu *v)
{
    /* until whoever changes its state kicks it */
    int seen = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
    if (seen != VCPU_RUNNING && seen != VCPU_STARTING)
        idle_until_change((const volatile uint32_t *)&v->state, (uint32_t)seen);
}

void arch_idle_until_change(const volatile unsigned *word, unsigned seen)
{
    idle_until_change(word, seen);
}

EXIT_PATH unsigned arch_nmi_count(void)
{
    return this_cpu()->nmi_count;
}

void arch_wait_nmi(unsigned seen)
{
    idle_until_change(&this_cpu()->nmi_count, seen);
}
