#include "swbp.h"

#include "guest_mem.h"
#include "stub/target.h"

#define INT3 0xcc

struct swbp {
    bool used;
    uint64_t addr;      /* virtual address as the debugger gave it */
    uint64_t gpa;
    uint8_t saved;      /* the guest's byte under the int3 */
};

static struct swbp table[SWBP_MAX];

int dbg_translate(const struct paging_regs *r, uint64_t addr, uint64_t *gpa)
{
    struct walk_result w;
    /* Outside long mode a linear address has 32 bits: a debugger's 64-bit
     * address (a higher-half symbol before paging is on) is not one, and
     * must not wrap onto whatever lies at its low 32 bits. */
    if (paging_mode_of(r) != PAGING_4LEVEL && (addr >> 32))
        return TARGET_EFAULT;
    if (page_walk(r, addr, WALK_READ, gmem_pte_reader, 0, &w) != WALK_OK)
        return TARGET_EFAULT;
    *gpa = w.gpa;
    return TARGET_OK;
}

static struct swbp *find_gpa(uint64_t gpa)
{
    for (unsigned i = 0; i < SWBP_MAX; i++)
        if (table[i].used && table[i].gpa == gpa)
            return &table[i];
    return 0;
}

int swbp_insert(const struct paging_regs *r, uint64_t addr)
{
    uint64_t gpa;
    int rc = dbg_translate(r, addr, &gpa);
    if (rc)
        return rc;
    if (find_gpa(gpa))
        return TARGET_OK;       /* already armed (same byte, other alias) */
    for (unsigned i = 0; i < SWBP_MAX; i++) {
        struct swbp *b = &table[i];
        if (b->used)
            continue;
        uint8_t byte, int3 = INT3;
        if (gmem_read_phys(gpa, &byte, 1) || gmem_write_phys(gpa, &int3, 1))
            return TARGET_EFAULT;
        *b = (struct swbp){ true, addr, gpa, byte };
        return TARGET_OK;
    }
    return TARGET_ENOSPC;
}

static void disarm(struct swbp *b)
{
    gmem_write_phys(b->gpa, &b->saved, 1);
    b->used = false;
}

int swbp_remove(const struct paging_regs *r, uint64_t addr)
{
    /* by the address it was set at: the mapping may have changed since */
    for (unsigned i = 0; i < SWBP_MAX; i++)
        if (table[i].used && table[i].addr == addr) {
            disarm(&table[i]);
            return TARGET_OK;
        }
    uint64_t gpa;
    if (dbg_translate(r, addr, &gpa) == TARGET_OK) {
        struct swbp *b = find_gpa(gpa);
        if (b) {
            disarm(b);
            return TARGET_OK;
        }
    }
    return TARGET_OK;           /* removing what is not there is not an error */
}

void swbp_remove_all(void)
{
    for (unsigned i = 0; i < SWBP_MAX; i++)
        if (table[i].used)
            disarm(&table[i]);
}

unsigned swbp_count(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < SWBP_MAX; i++)
        n += table[i].used;
    return n;
}

bool swbp_owns(uint64_t gpa)
{
    return find_gpa(gpa) != 0;
}

void swbp_shadow(uint64_t gpa, uint8_t *buf, size_t n)
{
    for (unsigned i = 0; i < SWBP_MAX; i++)
        if (table[i].used && table[i].gpa >= gpa && table[i].gpa < gpa + n)
            buf[table[i].gpa - gpa] = table[i].saved;
}

int swbp_write_phys(uint64_t gpa, const uint8_t *buf, size_t n)
{
    bool covers_one = false;
    for (unsigned i = 0; i < SWBP_MAX; i++)
        covers_one |= table[i].used && table[i].gpa >= gpa && table[i].gpa < gpa + n;
    if (!covers_one)
        return gmem_write_phys(gpa, buf, n);
    for (size_t i = 0; i < n; i++) {
        struct swbp *b = find_gpa(gpa + i);
        if (b)
            b->saved = buf[i];
        else if (gmem_write_phys(gpa + i, &buf[i], 1))
            return -1;
    }
    return 0;
}
