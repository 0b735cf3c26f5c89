/* The boot CPU's path from the Multiboot entry to the monitor core:
 * console, descriptor tables, the boot loader's information copied out,
 * virtualisation checked and enabled, every CPU started. */
#include "arch.h"
#include "boot_info.h"
#include "cpu.h"
#include "health.h"
#include "idt.h"
#include "lapic.h"
#include "link_select.h"
#include "lib/string.h"
#include "log.h"
#include "multiboot.h"
#include "npt.h"
#include "percpu.h"
#include "permission_maps.h"
#include "smp.h"
#include "svm.h"
#include "time.h"
#include "uart.h"

extern char __image_start[], __ro_end[], __bss_end[], __region_end[];
void smp_setup_bsp(uint32_t apic_id);
__attribute__((noreturn)) void arch_boot_bsp(uint32_t magic, uint32_t mbi_pa);

static struct boot_info boot_info;

void arch_image_ro_range(const uint8_t **start, size_t *len)
{
    *start = (const uint8_t *)__image_start;
    *len = (size_t)(__ro_end - __image_start);
}

unsigned arch_cpu_index(void)
{
    return this_cpu()->index;
}

static __attribute__((noreturn)) void fail(const char *what)
{
    log_console("boot error: %s", what);
    arch_machine_exit(HUSK_EXIT_BOOT_ERROR);
}

static void read_memory_map(const struct mb_info *mbi)
{
    struct boot_info *bi = &boot_info;
    if (mbi->flags & MBI_MMAP) {
        uint64_t p = mbi->mmap_addr, end = (uint64_t)mbi->mmap_addr + mbi->mmap_length;
        while (p + sizeof(struct mb_mmap_entry) <= end && bi->map_count < MEMMAP_MAX) {
            const struct mb_mmap_entry *e = (const void *)p;
            bi->map[bi->map_count++] = (struct mem_range){ e->addr, e->len, e->type };
            p += e->size + 4;
        }
    } else if (mbi->flags & MBI_MEM) {
        bi->map[0] = (struct mem_range){ 0, (uint64_t)mbi->mem_lower * 1024, MEM_USABLE };
        bi->map[1] = (struct mem_range){ 1 << 20, (uint64_t)mbi->mem_upper * 1024, MEM_USABLE };
        bi->map_count = 2;
    } else {
        fail("the boot loader gave no memory information");
    }
}

static void read_guest_module(const struct mb_info *mbi)
{
    struct boot_info *bi = &boot_info;
    if (!(mbi->flags & MBI_MODS) || mbi->mods_count == 0)
        return;
    const struct mb_module *m = (const void *)(uint64_t)mbi->mods_addr;
    if (m->mod_end <= m->mod_start)
        fail("guest module is empty");
    if (m->mod_start < (uint64_t)__bss_end && (uint64_t)__image_start < m->mod_end)
        fail("guest module overlaps the monitor image");
    bi->guest_image = (const uint8_t *)(uint64_t)m->mod_start;
    bi->guest_size = m->mod_end - m->mod_start;
    const char *s = m->string ? (const char *)(uint64_t)m->string : "";
    if (strlcpy(bi->guest_cmdline, s, sizeof bi->guest_cmdline) >= sizeof bi->guest_cmdline)
        fail("guest command line longer than 3 KiB");
}

__attribute__((noreturn)) void arch_boot_bsp(uint32_t magic, uint32_t mbi_pa)
{
    struct percpu *p = &percpus[0];
    idt_init();
    cpu_init_tables(p);
    uart_init(COM1_BASE);
    bool link = uart_init(COM2_BASE);
    log_console("monitor at 0x%lx, region 0x%lx-0x%lx, debug link %s", (uint64_t)__image_start,
                (uint64_t)__image_start, (uint64_t)__region_end, link ? "COM2" : "absent");
    if (magic != MB_BOOT_MAGIC)
        fail("not started by a Multiboot v1 loader");
    const struct mb_info *mbi = (const void *)(uint64_t)mbi_pa;
    read_memory_map(mbi);
    read_guest_module(mbi);

    time_init();
    const char *missing = svm_unsupported();
    if (missing)
        fail(missing);
    npt_build();
    permission_maps_build();
    link_select(link);
    smp_setup_bsp(lapic_id());
    svm_cpu_init(p);
    vcpus[0].checked_in = true;
    vcpus[0].state = VCPU_PARKED;
    unsigned online = smp_start_aps();
    log_console("cpus %u/%u online, SVM on every CPU", online, vcpu_count);
    if (online != vcpu_count)
        fail("an AP did not start");
    monitor_main(&boot_info);
}
