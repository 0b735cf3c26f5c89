/* supervisor_main: the boot CPU arrives here in long mode, on the boot page
 * tables (boot/multiboot.S), and brings the system up in this order. */
#include "cmdline.h"
#include "console.h"
#include "cpu.h"
#include "lapic.h"
#include "layout.h"
#include "multiboot.h"
#include "pmm.h"
#include "run.h"
#include "sched.h"
#include "shard.h"
#include "smp.h"
#include "trap.h"
#include "vm.h"
#include "x86.h"

#define IMAGE_PHYS_START 0x100000UL
extern char __bss_end_phys[];       /* guest.ld: physical end of the image */

static struct boot_info boot_info;
static struct run_config run_config;

/* Both 8259s remapped away from the exception vectors and fully masked:
 * every interrupt here comes from the LAPIC. */
static void pic_disable(void)
{
    static const uint8_t init[2][4] = { { 0x11, 0x20, 0x04, 0x01 }, { 0x11, 0x28, 0x02, 0x01 } };
    static const uint16_t port[2] = { 0x20, 0xA0 };
    for (int p = 0; p < 2; p++) {
        outb(port[p], init[p][0]);
        for (int i = 1; i < 4; i++)
            outb((uint16_t)(port[p] + 1), init[p][i]);
        outb((uint16_t)(port[p] + 1), 0xFF);
    }
}

static uint64_t opaque_zero(void)
{
    uint64_t v = 0;
    __asm__ volatile("" : "+r"(v));
    return v;
}

static uint64_t available_bytes(const struct boot_info *bi)
{
    uint64_t n = 0;
    for (int i = 0; i < bi->navail; i++)
        n += bi->avail[i].len;
    return n;
}

static void create_shards(const struct run_config *cfg)
{
    for (int i = 0; i < cfg->nshards; i++) {
        if (shard_create(&cfg->shards[i], shard_count) == 0) {
            kprintf("[BOOT] shard %u: %s (arg %lu)\n", shard_count, shards[shard_count].name,
                    (unsigned long)cfg->shards[i].arg);
            shard_count++;
        }
    }
}

/* The `oops` word: a ring-0 page fault on purpose (a write through a null
 * pointer; nothing maps page 0 once the identity map is gone), to show what
 * a supervisor fault looks like and to give debuggers one to catch. */
__attribute__((noinline)) void supervisor_oops(void)
{
    kprintf("supervisor: oops requested: writing through a null pointer\n");
    *(volatile uint64_t *)opaque_zero() = 0xdead;
}

void supervisor_main(uint32_t magic, uint64_t info_phys)
{
    console_init();
    kprintf("[BOOT] husk guest: supervisor-and-shard system\n");
    if (multiboot_read(magic, info_phys, &boot_info))
        halt_forever();
    kprintf("[BOOT] command line: %s\n", boot_info.cmdline);
    cmdline_parse(boot_info.cmdline, &run_config);
    if (!mem_is_available(&boot_info, IMAGE_PHYS_START, (uint64_t)__bss_end_phys - IMAGE_PHYS_START))
        kprintf("[BOOT] warning: the memory map does not list this image's range 0x%lx-0x%lx as available\n",
                (unsigned long)IMAGE_PHYS_START, (unsigned long)__bss_end_phys);
    pmm_init(&boot_info);
    kprintf("[BOOT] memory: %lu KiB available in %d ranges, %lu frames free from 0x%lx\n",
            (unsigned long)(available_bytes(&boot_info) >> 10), boot_info.navail,
            (unsigned long)pmm_free_frames(), (unsigned long)FRAMES_FROM);
    if (vm_init_kernel(&boot_info)) {
        kprintf("[BOOT] error: out of memory building the supervisor page tables\n");
        halt_forever();
    }
    kprintf("[BOOT] paging: supervisor at 0x%lx, HHDM at 0x%lx, boot identity map removed\n",
            (unsigned long)supervisor_main, (unsigned long)HHDM_BASE);
    pic_disable();
    idt_init();
    lapic_init();
    cpu_init(0, 0);
    lapic_enable();
    cpus[0].apic_id = lapic_id();
    cpus[0].online = 1;
    kprintf("[BOOT] GDT, TSS, IDT, SYSCALL ready; CR4.TSD and CR4.OSFXSR set\n");
    uint32_t counts = lapic_timer_calibrate();
    kprintf("[BOOT] LAPIC timer: %u Hz ticks (calibrated against the PIT)\n", TICK_HZ);
    unsigned ncpus = smp_start(&boot_info, counts);
    kprintf("[BOOT] CPUs: %u up\n", ncpus);
    create_shards(&run_config);
    kprintf("[BOOT] starting %u shards on %u CPUs\n", shard_count, ncpus);
    run_begin(&run_config);
    if (run_config.oops)
        supervisor_oops();
    smp_release();
    lapic_timer_start(counts);
    sched_idle_loop();
}
