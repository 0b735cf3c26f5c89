#include "acpi.h"

#include <stdbool.h>

#include "cpu.h"
#include "lib/string.h"

struct __attribute__((packed)) rsdp {
    char signature[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t xchecksum, reserved[3];
};

struct __attribute__((packed)) sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_revision, creator, creator_revision;
};

static bool sum_ok(const void *p, size_t len)
{
    uint8_t s = 0;
    for (size_t i = 0; i < len; i++)
        s += ((const uint8_t *)p)[i];
    return s == 0;
}

static const struct rsdp *scan(uint64_t start, uint64_t len)
{
    for (uint64_t a = start; a + 20 <= start + len; a += 16) {
        const struct rsdp *r = (const void *)a;
        if (memcmp(r->signature, "RSD PTR ", 8) == 0 && sum_ok(r, 20))
            return r;
    }
    return 0;
}

static const struct rsdp *find_rsdp(void)
{
    /* ACPI 5.2.5.1: the first KiB of the EBDA, then 0xE0000..0xFFFFF */
    uint64_t ebda = (uint64_t)(*(const volatile uint16_t *)phys_ptr(0x40e)) << 4;
    const struct rsdp *r = ebda >= 0x80000 && ebda < 0xa0000 ? scan(ebda, 1024) : 0;
    return r ? r : scan(0xe0000, 0x20000);
}

static const struct sdt_header *find_table(const struct rsdp *r, const char *sig)
{
    bool x = r->revision >= 2 && r->xsdt && r->xsdt < (1ull << 32);
    const struct sdt_header *root = (const void *)(x ? r->xsdt : (uint64_t)r->rsdt);
    if (!root || root->length < sizeof *root || root->length > 0x10000 || !sum_ok(root, root->length))
        return 0;
    unsigned width = x ? 8 : 4;
    unsigned n = (root->length - sizeof *root) / width;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    for (unsigned i = 0; i < n; i++) {
        uint64_t a = 0;
        memcpy(&a, entries + i * width, width);
        const struct sdt_header *t = (const void *)a;
        if (a && a < (1ull << 32) && memcmp(t->signature, sig, 4) == 0 && t->length <= 0x100000 &&
            sum_ok(t, t->length))
            return t;
    }
    return 0;
}

unsigned acpi_cpu_apic_ids(uint32_t *ids, unsigned max)
{
    const struct rsdp *r = find_rsdp();
    const struct sdt_header *madt = r ? find_table(r, "APIC") : 0;
    if (!madt)
        return 0;
    const uint8_t *p = (const uint8_t *)madt + sizeof *madt + 8;   /* LAPIC address, flags */
    const uint8_t *end = (const uint8_t *)madt + madt->length;
    unsigned n = 0;
    while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
        /* type 0: processor local APIC {uid, apic id, flags: bit 0 enabled} */
        if (p[0] == 0 && p[1] >= 8) {
            uint32_t flags;
            memcpy(&flags, p + 4, 4);
            if ((flags & 1) && n < max)
                ids[n++] = p[3];
        }
        p += p[1];
    }
    return n;
}
