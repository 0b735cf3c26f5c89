/* mbinfo: prints what the loader told it and what the CPU says, in a fixed
 * line format that tests/e2e/test_multiboot.py compares bare and hosted. */
#include "acpi.h"
#include "guest.h"
#include "x86.h"

const char guest_name[] = "mbinfo";

static void print_mmap(const struct mb_info *mbi)
{
    if (!(mbi->flags & MBI_MMAP)) {
        printf("mmap: none\n");
        return;
    }
    uintptr_t p = mbi->mmap_addr, end = p + mbi->mmap_length;
    while (p < end) {
        const struct mb_mmap_entry *e = (const void *)p;
        printf("mmap: 0x%016lx-0x%016lx type %u\n", e->addr, e->addr + e->len, e->type);
        p += e->size + 4;
    }
}

int guest_main(void)
{
    const struct mb_info *mbi = boot_info();
    char sig[13];

    printf("flags: 0x%x\n", mbi->flags);
    if (mbi->flags & MBI_MEM)
        printf("mem_lower: %u KiB\nmem_upper: %u KiB\n", mbi->mem_lower, mbi->mem_upper);
    else
        printf("mem_lower: none\nmem_upper: none\n");
    printf("cmdline: %s\n", (mbi->flags & MBI_CMDLINE) && mbi->cmdline
                                ? (const char *)(uintptr_t)mbi->cmdline : "(none)");
    print_mmap(mbi);
    printf("cpus: %d\n", acpi_cpu_count());
    hypervisor_signature(sig);
    for (int i = 0; i < 12; i++)
        if (sig[i] < 0x20 || sig[i] > 0x7e)
            sig[i] = '.';
    printf("hypervisor bit: %d\n", hypervisor_bit());
    printf("hypervisor signature: %s\n", hypervisor_bit() ? sig : "(none)");
    return acpi_cpu_count() > 0 ? GUEST_PASS : GUEST_FAIL;
}
