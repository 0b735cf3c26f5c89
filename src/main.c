/* The monitor core on the boot CPU: load the guest as a Multiboot v1 loader
 * would, hand it the reduced memory map, and enter the vCPU loop. */
#include "arch.h"
#include "boot_info.h"
#include "debug/debugger.h"
#include "guest_mem.h"
#include "health.h"
#include "lib/string.h"
#include "log.h"
#include "mb_loader.h"
#include "mbinfo.h"
#include "memmap.h"
#include "vcpu.h"

static __attribute__((noreturn)) void boot_error(const char *what)
{
    log_console("boot error: %s", what);
    arch_machine_exit(HUSK_EXIT_BOOT_ERROR);
}

/* The module sits in guest memory wherever the boot loader put it: QEMU
 * after the monitor, GRUB often low, right where the guest wants to load.
 * When any segment would land on it, move it first to the highest free
 * usable memory below 4 GiB that no segment and no info page uses. */
static const uint8_t *image_out_of_the_way(const struct boot_info *bi, const struct mb_image *img,
                                           const struct mem_range *map, unsigned n)
{
    struct mem_range avoid[MB_MAX_SEGMENTS + 2];
    unsigned navoid = 0, clash = 0;
    uint64_t at = (uint64_t)(uintptr_t)bi->guest_image;
    for (unsigned i = 0; i < img->nsegments; i++) {
        avoid[navoid++] = (struct mem_range){ img->seg[i].paddr, img->seg[i].mem_size, 0 };
        clash |= mem_ranges_overlap(img->seg[i].paddr, img->seg[i].mem_size, at, bi->guest_size);
    }
    if (!clash)
        return bi->guest_image;
    avoid[navoid++] = (struct mem_range){ MBINFO_GPA, MBINFO_SIZE, 0 };
    avoid[navoid++] = (struct mem_range){ 0, 0x100000, 0 };   /* BIOS, real-mode area */
    uint64_t to = memmap_find_free(map, n, bi->guest_size, 0x100000000ull, avoid, navoid);
    uint8_t *dst = to ? arch_guest_phys(to, bi->guest_size) : NULL;
    if (!dst)
        boot_error("no free memory to move the guest module out of its own way");
    memmove(dst, bi->guest_image, bi->guest_size);
    log_ring("guest module moved 0x%lx -> 0x%lx (%lu bytes)", at, to, (uint64_t)bi->guest_size);
    return dst;
}

/* Copies every segment to its guest-physical address, from an image that
 * none of them overlaps (image_out_of_the_way). */
static void load_segments(const uint8_t *image, const struct mb_image *img,
                          const struct mem_range *map, unsigned n)
{
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct mb_segment *s = &img->seg[i];
        if (!memmap_is_usable(map, n, s->paddr, s->mem_size))
            boot_error("guest segment outside the guest's usable memory");
        if (mem_ranges_overlap(s->paddr, s->mem_size, MBINFO_GPA, MBINFO_SIZE))
            boot_error("guest segment overlaps the multiboot info page 0x9000");
        uint8_t *dst = arch_guest_phys(s->paddr, s->mem_size);
        if (!dst)
            boot_error("guest segment not in guest memory");
        memcpy(dst, image + s->file_offset, s->file_size);
        memset(dst + s->file_size, 0, s->mem_size - s->file_size);
        log_ring("guest segment %u: 0x%lx..0x%lx", i, s->paddr, s->paddr + s->mem_size);
    }
}

__attribute__((noreturn)) void monitor_main(const struct boot_info *bi)
{
    static struct mem_range guest_map[MEMMAP_MAX];
    health_init();
    if (!bi->guest_image)
        boot_error("no guest: pass it as the first multiboot module (QEMU -initrd)");

    uint64_t mstart, mend;
    arch_monitor_region(&mstart, &mend);
    static struct mem_range below_limit[MEMMAP_MAX];
    /* the guest's map: no RAM past the nested tables, no monitor region */
    int m = memmap_cut_usable(bi->map, bi->map_count, arch_guest_phys_limit(), UINT64_MAX, below_limit,
                              MEMMAP_MAX);
    int n = m < 0 ? -1 : memmap_cut(below_limit, (unsigned)m, mstart, mend, guest_map, MEMMAP_MAX);
    if (n < 0)
        boot_error("memory map too large");

    struct mb_image img;
    enum mb_error err = mb_parse(bi->guest_image, bi->guest_size, &img);
    if (err != MB_OK)
        boot_error(mb_error_name(err));
    load_segments(image_out_of_the_way(bi, &img, guest_map, (unsigned)n), &img, guest_map, (unsigned)n);

    /* the debugger takes its words (husk.wait) off the guest's command line */
    const char *cmdline = debug_init(bi->guest_cmdline);
    uint8_t *page = arch_guest_phys(MBINFO_GPA, MBINFO_SIZE);
    if (!page || mbinfo_build(page, MBINFO_GPA, guest_map, (unsigned)n, cmdline))
        boot_error("cannot build the guest's multiboot info");

    log_ring("monitor boot took %lu us", arch_time_us());
    log_console("guest entry 0x%x, info 0x%x, cmdline '%s'", img.entry, MBINFO_GPA, cmdline);
    struct vcpu *bsp = &vcpus[0];
    arch_vcpu_reset_multiboot(bsp, img.entry, MBINFO_GPA);
    __atomic_store_n(&bsp->state, VCPU_RUNNING, __ATOMIC_RELEASE);
    vcpu_loop(bsp);
}
