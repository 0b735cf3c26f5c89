#include "acpi.h"
#include "layout.h"
#include "../lib/string.h"

/* ACPI 6.x, 5.2.5 (RSDP), 5.2.6 (header), 5.2.12 (MADT). */
struct rsdp {
    char signature[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t xchecksum;
    uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct rsdp) == 36, "RSDP size");

struct sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_revision, creator, creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct sdt_header) == 36, "SDT header size");

#define MADT_ENTRIES_OFFSET 44      /* header + local APIC address + flags */
#define MADT_LOCAL_APIC     0
#define LAPIC_ENABLED       1u
#define TABLE_MAX_LEN       (1u << 20)

static int checksum_ok(const void *p, uint32_t len)
{
    uint8_t sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + ((const uint8_t *)p)[i]);
    return sum == 0;
}

static const struct rsdp *scan(uint64_t from, uint64_t len)
{
    for (uint64_t pa = from; pa + sizeof(struct rsdp) <= from + len; pa += 16) {
        const struct rsdp *r = phys_to_virt(pa);
        if (!memcmp(r->signature, "RSD PTR ", 8) && checksum_ok(r, 20))
            return r;
    }
    return 0;
}

static const struct sdt_header *table_at(uint64_t pa)
{
    const struct sdt_header *h = phys_to_virt(pa);
    if (!pa || h->length < sizeof *h || h->length > TABLE_MAX_LEN || !checksum_ok(h, h->length))
        return 0;
    return h;
}

static const struct sdt_header *find_madt(void)
{
    uint64_t ebda = (uint64_t)*(volatile uint16_t *)phys_to_virt(0x40E) << 4;
    const struct rsdp *r = ebda ? scan(ebda, 1024) : 0;
    if (!r)
        r = scan(0xE0000, 0x20000);
    if (!r)
        return 0;
    int wide = r->revision >= 2 && r->xsdt;
    const struct sdt_header *root = table_at(wide ? r->xsdt : r->rsdt);
    if (!root)
        return 0;
    unsigned width = wide ? 8 : 4;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    for (uint32_t off = 0; off + width <= root->length - sizeof *root; off += width) {
        uint64_t pa = 0;
        memcpy(&pa, entries + off, width);
        const struct sdt_header *t = table_at(pa);
        if (t && !memcmp(t->signature, "APIC", 4))
            return t;
    }
    return 0;
}

int acpi_cpu_apic_ids(uint32_t *ids, int max)
{
    const struct sdt_header *madt = find_madt();
    if (!madt)
        return 0;
    const uint8_t *p = (const uint8_t *)madt + MADT_ENTRIES_OFFSET;
    const uint8_t *end = (const uint8_t *)madt + madt->length;
    int n = 0;
    while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
        if (p[0] == MADT_LOCAL_APIC && p[1] >= 8 && n < max) {
            uint32_t flags;
            memcpy(&flags, p + 4, 4);
            if (flags & LAPIC_ENABLED)   /* online-capable alone = not present yet */
                ids[n++] = p[3];
        }
        p += p[1];
    }
    return n;
}
