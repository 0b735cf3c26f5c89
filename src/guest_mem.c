#include "guest_mem.h"

#include "arch.h"
#include "lib/string.h"

int gmem_read_phys(uint64_t gpa, void *buf, size_t len)
{
    const void *p = arch_guest_phys(gpa, len);
    if (!p)
        return -1;
    memcpy(buf, p, len);
    return 0;
}

int gmem_write_phys(uint64_t gpa, const void *buf, size_t len)
{
    void *p = arch_guest_phys(gpa, len);
    if (!p)
        return -1;
    memcpy(p, buf, len);
    return 0;
}

bool gmem_pte_reader(void *opaque, uint64_t gpa, unsigned size, uint64_t *value)
{
    (void)opaque;
    uint64_t v = 0;
    if (gmem_read_phys(gpa, &v, size))
        return false;
    *value = v;
    return true;
}

static enum walk_status access_virt(const struct paging_regs *r, uint64_t va, uint8_t *buf, size_t len,
                                    unsigned access, bool write)
{
    while (len) {
        struct walk_result w;
        enum walk_status s = page_walk(r, va, access | (write ? WALK_WRITE : 0), gmem_pte_reader, 0, &w);
        if (s != WALK_OK)
            return s;
        /* stay within the 4 KiB frame: large pages are contiguous anyway */
        size_t chunk = 4096 - (va & 0xfff);
        if (chunk > len)
            chunk = len;
        int rc = write ? gmem_write_phys(w.gpa, buf, chunk) : gmem_read_phys(w.gpa, buf, chunk);
        if (rc)
            return WALK_UNREADABLE;
        va += chunk;
        buf += chunk;
        len -= chunk;
    }
    return WALK_OK;
}

enum walk_status gmem_read_virt(const struct paging_regs *r, uint64_t va, void *buf, size_t len,
                                unsigned access)
{
    return access_virt(r, va, buf, len, access, false);
}

enum walk_status gmem_write_virt(const struct paging_regs *r, uint64_t va, const void *buf, size_t len,
                                 unsigned access)
{
    return access_virt(r, va, (uint8_t *)buf, len, access, true);
}
