/* pci_scan: lists every PCI function the guest can see through configuration
 * mechanism #1 (0xCF8/0xCFC), every bus, every device, every function, and
 * looks for a virtio console (vendor 0x1AF4, transitional device 0x1003).
 * Bare, QEMU's virtio console is there (the launcher's default link): the
 * run shows the scan can see it. Hosted, the monitor owns it as its debug
 * link: no function may read as a virtio console, the function's own
 * configuration space must read all ones at every width, a write to its
 * command register must not land (`bdf=`), and the port range of its legacy I/O BAR
 * (`io=PORT`, taken from the bare run) must read all ones, the device
 * status register too after the guest writes 0 there (a device reset). */
#include "attack.h"
#include "guest.h"
#include "x86.h"

const char guest_name[] = "pci_scan";

#define CONFIG_ADDRESS 0xCF8
#define CONFIG_DATA    0xCFC
#define VIRTIO_VENDOR  0x1AF4
#define VIRTIO_CONSOLE_TRANSITIONAL 0x1003
#define LEGACY_DEVICE_STATUS 0x12

static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }

static uint32_t address(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
    return 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (reg & 0xFC);
}

static uint32_t read32(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
    outl(CONFIG_ADDRESS, address(bus, dev, fn, reg));
    return inl(CONFIG_DATA);
}

static bool all_ones_at_every_width(unsigned bus, unsigned dev, unsigned fn)
{
    bool ones = true;
    for (unsigned reg = 0; reg < 0x40; reg += 4) {
        ones &= read32(bus, dev, fn, reg) == 0xFFFFFFFFu;
        outl(CONFIG_ADDRESS, address(bus, dev, fn, reg));
        ones &= inw(CONFIG_DATA + 2) == 0xFFFF && inb(CONFIG_DATA + 3) == 0xFF;
    }
    return ones;
}

int guest_main(void)
{
    bool hosted = environment_is_hosted();
    unsigned functions = 0, consoles = 0;
    unsigned cbus = 0, cdev = 0, cfn = 0;
    for (unsigned bus = 0; bus < 256; bus++)
        for (unsigned dev = 0; dev < 32; dev++) {
            uint32_t id0 = read32(bus, dev, 0, 0);
            if ((id0 & 0xFFFF) == 0xFFFF)
                continue;
            bool multi = (read32(bus, dev, 0, 0x0C) >> 16) & 0x80;
            for (unsigned fn = 0; fn < (multi ? 8u : 1u); fn++) {
                uint32_t id = read32(bus, dev, fn, 0);
                if ((id & 0xFFFF) == 0xFFFF)
                    continue;
                uint32_t class = read32(bus, dev, fn, 0x08) >> 8;
                printf("pci %02x:%02x.%x %04x:%04x class %06x\n", bus, dev, fn, id & 0xFFFF, id >> 16, class);
                functions++;
                if ((id & 0xFFFF) == VIRTIO_VENDOR && (id >> 16) == VIRTIO_CONSOLE_TRANSITIONAL) {
                    consoles++;
                    cbus = bus, cdev = dev, cfn = fn;
                }
            }
        }
    printf("pci functions %u, virtio consoles %u\n", functions, consoles);

    if (!hosted) {
        if (consoles)
            printf("virtio console bdf=0x%x io=0x%x\n", cbus << 8 | cdev << 3 | cfn,
                   read32(cbus, cdev, cfn, 0x10) & 0xFFFC);
        bool ok = check(functions > 0, "bare: the scan sees the machine's functions");
        ok &= check(consoles == 1, "bare: the scan sees the virtio console");
        return ok ? GUEST_PASS : GUEST_FAIL;
    }

    bool ok = check(functions > 0, "the scan sees the machine's functions");
    ok &= check(consoles == 0, "no virtio console is visible");

    uint64_t bdf;
    if (cmdline_get_u64("bdf", &bdf)) {
        /* bdf=BUS<<8|DEV<<3|FN: where the bare run found the device */
        unsigned b = (unsigned)(bdf >> 8) & 0xFF, d = (unsigned)(bdf >> 3) & 31, f = (unsigned)bdf & 7;
        ok &= check(all_ones_at_every_width(b, d, f), "its function's configuration space reads all ones");
        /* command register: memory and I/O decoding on, bus mastering on */
        outl(CONFIG_ADDRESS, address(b, d, f, 0x04));
        outw(CONFIG_DATA, 0x0007);
        ok &= check(read32(b, d, f, 0x04) == 0xFFFFFFFFu, "a write to its command register does not land");
    }
    uint64_t io;
    if (cmdline_get_u64("io", &io) && io) {
        bool ones = true;
        for (unsigned i = 0; i < 0x20; i++)
            ones &= inb((uint16_t)(io + i)) == 0xFF;
        ones &= inl((uint16_t)io) == 0xFFFFFFFFu;
        outb((uint16_t)(io + LEGACY_DEVICE_STATUS), 0);          /* reset the device */
        ones &= inb((uint16_t)(io + LEGACY_DEVICE_STATUS)) == 0xFF;
        ok &= check(ones, "its legacy I/O BAR reads all ones, writes dropped");
    }
    return ok && monitor_still_answers() ? GUEST_PASS : GUEST_FAIL;
}
