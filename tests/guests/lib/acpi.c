/* Finds the RSDP in the BIOS areas (ACPI 6.x, 5.2.5.1), then the MADT
 * through the RSDT or XSDT, and lists the enabled local APICs. */
#include "acpi.h"
#include "guest.h"
#include "x86.h"

struct rsdp {
    char signature[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t ext_checksum;
    uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct rsdp) == 36, "RSDP 2.0 layout");

struct sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_revision, creator, creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct sdt_header) == 36, "SDT header layout");

#define MADT_ENTRIES_OFFSET (sizeof(struct sdt_header) + 8)   /* + local APIC address, flags */
#define MADT_LOCAL_APIC 0
#define MADT_LAPIC_ENABLED 1

static uint8_t sum(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint8_t s = 0;
    while (n--)
        s += *b++;
    return s;
}

static const struct rsdp *scan_rsdp(uintptr_t start, uintptr_t end)
{
    for (uintptr_t p = start; p + 20 <= end; p += 16) {
        const struct rsdp *r = phys_ptr(p);
        if (!memcmp(r->signature, "RSD PTR ", 8) && sum(r, 20) == 0)
            return r;
    }
    return NULL;
}

static const struct rsdp *find_rsdp(void)
{
    uintptr_t ebda = (uintptr_t)*(const volatile uint16_t *)phys_ptr(0x40E) << 4;
    const struct rsdp *r = NULL;
    if (ebda >= 0x80000 && ebda < 0xA0000)
        r = scan_rsdp(ebda, ebda + 1024);
    return r ? r : scan_rsdp(0xE0000, 0x100000);
}

static const struct sdt_header *find_table(const char sig[4])
{
    const struct rsdp *r = find_rsdp();
    if (!r)
        return NULL;
    bool x = r->revision >= 2 && r->xsdt;
    const struct sdt_header *root = (const void *)(uintptr_t)(x ? r->xsdt : r->rsdt);
    size_t width = x ? 8 : 4;
    size_t n = (root->length - sizeof(*root)) / width;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    for (size_t i = 0; i < n; i++) {
        uint64_t addr = 0;
        memcpy(&addr, entries + i * width, width);
        const struct sdt_header *t = (const void *)(uintptr_t)addr;
        if (!memcmp(t->signature, sig, 4) && sum(t, t->length) == 0)
            return t;
    }
    return NULL;
}

int acpi_cpu_apic_ids(uint8_t ids[ACPI_MAX_CPUS])
{
    const struct sdt_header *madt = find_table("APIC");
    if (!madt)
        return -1;
    int count = 0;
    const uint8_t *p = (const uint8_t *)madt + MADT_ENTRIES_OFFSET;
    const uint8_t *end = (const uint8_t *)madt + madt->length;
    while (p + 2 <= end && p[1] >= 2) {
        /* Local APIC entry: type, length, ACPI processor id, APIC id, flags (u32). */
        if (p[0] == MADT_LOCAL_APIC && p[1] >= 8 && (p[4] & MADT_LAPIC_ENABLED)) {
            if (count < ACPI_MAX_CPUS)
                ids[count] = p[3];
            count++;
        }
        p += p[1];
    }
    return count;
}

int acpi_cpu_count(void)
{
    uint8_t ids[ACPI_MAX_CPUS];
    return acpi_cpu_apic_ids(ids);
}
