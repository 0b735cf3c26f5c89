#include "pagewalk.h"

#define CR0_WP      (1ull << 16)
#define CR0_PG      (1ull << 31)
#define CR4_PSE     (1ull << 4)
#define CR4_PAE     (1ull << 5)
#define CR4_LA57    (1ull << 12)
#define EFER_LMA    (1ull << 10)
#define EFER_NXE    (1ull << 11)

#define PTE_P       (1ull << 0)
#define PTE_W       (1ull << 1)
#define PTE_U       (1ull << 2)
#define PTE_PS      (1ull << 7)
#define PTE_NX      (1ull << 63)
#define ADDR_MASK   0x000ffffffffff000ull   /* bits 51:12 (APM vol. 2, 5.3.3) */

enum paging_mode paging_mode_of(const struct paging_regs *r)
{
    if (!(r->cr0 & CR0_PG))
        return PAGING_OFF;
    if (r->efer & EFER_LMA)
        return PAGING_4LEVEL;
    return (r->cr4 & CR4_PAE) ? PAGING_PAE : PAGING_32;
}

const char *walk_status_name(enum walk_status s)
{
    static const char *const names[] = {
        [WALK_OK] = "ok",
        [WALK_NOT_PRESENT] = "not present",
        [WALK_PROTECTION] = "protection",
        [WALK_RESERVED] = "reserved bit or non-canonical",
        [WALK_UNREADABLE] = "page table outside guest memory",
        [WALK_UNSUPPORTED] = "unsupported paging mode",
    };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* Walk state accumulated over the levels. */
struct walk {
    pte_reader read;
    void *opaque;
    bool nxe;
    bool w, u, nx;
};

static enum walk_status load(struct walk *w, uint64_t gpa, unsigned size, uint64_t *e)
{
    if (!w->read(w->opaque, gpa, size, e))
        return WALK_UNREADABLE;
    if (!(*e & PTE_P))
        return WALK_NOT_PRESENT;
    if (size == 8 && (*e & PTE_NX) && !w->nxe)
        return WALK_RESERVED;   /* NX is reserved when EFER.NXE = 0 */
    w->w = w->w && (*e & PTE_W);
    w->u = w->u && (*e & PTE_U);
    w->nx = w->nx || (size == 8 && (*e & PTE_NX));
    return WALK_OK;
}

static enum walk_status finish(struct walk *w, const struct paging_regs *r, unsigned access,
                               uint64_t gpa, uint64_t size, struct walk_result *out)
{
    out->gpa = gpa;
    out->page_size = size;
    out->writable = w->w;
    out->user = w->u;
    out->nx = w->nx;
    /* APM vol. 2, 5.6: supervisor writes honour W only with CR0.WP. */
    if ((access & WALK_WRITE) && !w->w && ((access & WALK_USER) || (r->cr0 & CR0_WP)))
        return WALK_PROTECTION;
    if ((access & WALK_USER) && !w->u)
        return WALK_PROTECTION;
    if ((access & WALK_FETCH) && w->nx)
        return WALK_PROTECTION;
    return WALK_OK;
}

static enum walk_status walk_32(struct walk *w, const struct paging_regs *r, uint64_t va,
                                unsigned access, struct walk_result *out)
{
    uint32_t lin = (uint32_t)va;
    uint64_t pde, pte;
    enum walk_status s = load(w, (r->cr3 & 0xfffff000u) + ((lin >> 22) & 0x3ff) * 4, 4, &pde);
    if (s)
        return s;
    if ((pde & PTE_PS) && (r->cr4 & CR4_PSE)) {
        /* 4 MiB page; PSE-36 puts physical bits 39:32 in PDE bits 20:13 */
        uint64_t base = (pde & 0xffc00000u) | (((pde >> 13) & 0xff) << 32);
        return finish(w, r, access, base | (lin & 0x3fffff), 4ull << 20, out);
    }
    s = load(w, (pde & 0xfffff000u) + ((lin >> 12) & 0x3ff) * 4, 4, &pte);
    if (s)
        return s;
    return finish(w, r, access, (pte & 0xfffff000u) | (lin & 0xfff), 4096, out);
}

static enum walk_status walk_pae(struct walk *w, const struct paging_regs *r, uint64_t va,
                                 unsigned access, struct walk_result *out)
{
    uint32_t lin = (uint32_t)va;
    uint64_t pdpte, pde, pte;
    /* PDPTEs carry no U/W/NX (APM vol. 2, 5.4.1): only P counts. */
    if (!w->read(w->opaque, (r->cr3 & 0xffffffe0u) + ((lin >> 30) & 3) * 8, 8, &pdpte))
        return WALK_UNREADABLE;
    if (!(pdpte & PTE_P))
        return WALK_NOT_PRESENT;
    enum walk_status s = load(w, (pdpte & ADDR_MASK) + ((lin >> 21) & 0x1ff) * 8, 8, &pde);
    if (s)
        return s;
    if (pde & PTE_PS)
        return finish(w, r, access, (pde & ADDR_MASK & ~0x1fffffull) | (lin & 0x1fffff), 2ull << 20, out);
    s = load(w, (pde & ADDR_MASK) + ((lin >> 12) & 0x1ff) * 8, 8, &pte);
    if (s)
        return s;
    return finish(w, r, access, (pte & ADDR_MASK) | (lin & 0xfff), 4096, out);
}

static enum walk_status walk_4level(struct walk *w, const struct paging_regs *r, uint64_t va,
                                    unsigned access, struct walk_result *out)
{
    if (r->cr4 & CR4_LA57)
        return WALK_UNSUPPORTED;
    /* canonical: bits 63:47 all equal */
    uint64_t top = va >> 47;
    if (top != 0 && top != 0x1ffff)
        return WALK_RESERVED;
    uint64_t table = r->cr3 & ADDR_MASK, e = 0;
    static const unsigned shift[] = { 39, 30, 21, 12 };
    for (unsigned level = 0; level < 4; level++) {
        enum walk_status s = load(w, table + ((va >> shift[level]) & 0x1ff) * 8, 8, &e);
        if (s)
            return s;
        bool large = (level == 1 || level == 2) && (e & PTE_PS);
        if (large || level == 3) {
            uint64_t size = 1ull << shift[level];
            uint64_t base = e & ADDR_MASK & ~(size - 1);
            return finish(w, r, access, base | (va & (size - 1)), size, out);
        }
        table = e & ADDR_MASK;
    }
    return WALK_RESERVED;   /* not reached */
}

enum walk_status page_walk(const struct paging_regs *r, uint64_t va, unsigned access,
                           pte_reader read, void *opaque, struct walk_result *out)
{
    struct walk w = { read, opaque, (r->efer & EFER_NXE) != 0, true, true, false };
    switch (paging_mode_of(r)) {
    case PAGING_OFF:
        /* Outside long mode linear addresses are 32 bits wide. */
        return finish(&w, r, access, va & 0xffffffffull, 4ull << 30, out);
    case PAGING_32:
        return walk_32(&w, r, va, access, out);
    case PAGING_PAE:
        return walk_pae(&w, r, va, access, out);
    case PAGING_4LEVEL:
        return walk_4level(&w, r, va, access, out);
    }
    return WALK_UNSUPPORTED;
}
