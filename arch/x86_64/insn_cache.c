#include "insn_cache.h"

#include "exit_path.h"
#include "lib/string.h"

EXIT_PATH static bool same_key(const struct insn_key *a, const struct insn_key *b)
{
    return a->linear_rip == b->linear_rip && a->regs.cr3 == b->regs.cr3 && a->regs.cr0 == b->regs.cr0 &&
           a->regs.cr4 == b->regs.cr4 && a->regs.efer == b->regs.efer && a->mode == b->mode &&
           a->user == b->user;
}

static uint64_t load(const void *at, unsigned size)
{
    /* volatile: the guest may be writing it now; one load, as the walk did */
    return size == 8 ? *(const volatile uint64_t *)at : *(const volatile uint32_t *)at;
}

EXIT_PATH static bool still_valid(const struct insn_cache_entry *e)
{
    for (unsigned i = 0; i < e->nreads; i++)
        if (load(e->reads[i].at, e->reads[i].size) != e->reads[i].value)
            return false;
    const volatile uint8_t *code = e->code;
    for (unsigned i = 0; i < e->insn.length; i++)
        if (code[i] != e->bytes[i])
            return false;
    return true;
}

EXIT_PATH bool insn_cache_lookup(const struct insn_cache *c, const struct insn_key *k, struct insn *out)
{
    for (unsigned i = 0; i < INSN_CACHE_WAYS; i++) {
        const struct insn_cache_entry *e = &c->ways[i];
        if (e->valid && same_key(&e->key, k) && still_valid(e)) {
            *out = e->insn;
            return true;
        }
    }
    return false;
}

/* The page walker's reader: reads through `map`, recording where and what. */
struct recorder {
    phys_map map;
    void *opaque;
    struct insn_cache_entry *e;
    bool overflow;
};

static bool record_read(void *opaque, uint64_t gpa, unsigned size, uint64_t *value)
{
    struct recorder *r = opaque;
    const void *at = r->map(r->opaque, gpa, size);
    if (!at)
        return false;
    *value = load(at, size);
    if (r->e->nreads == INSN_CACHE_READS) {
        r->overflow = true;
        return true;
    }
    r->e->reads[r->e->nreads].at = at;
    r->e->reads[r->e->nreads].size = size;
    r->e->reads[r->e->nreads].value = *value;
    r->e->nreads++;
    return true;
}

void insn_cache_fill(struct insn_cache *c, const struct insn_key *k, phys_map map, void *opaque,
                     const uint8_t *bytes, const struct insn *in)
{
    if (in->length == 0 || in->length > INSN_CACHE_BYTES || (k->linear_rip & 0xfff) + in->length > 4096)
        return;
    /* a stale entry for the same key goes first: one entry per key */
    struct insn_cache_entry *e = &c->ways[c->next];
    for (unsigned i = 0; i < INSN_CACHE_WAYS; i++)
        if (c->ways[i].valid && same_key(&c->ways[i].key, k))
            e = &c->ways[i];
    e->valid = false;
    e->nreads = 0;
    struct recorder rec = { map, opaque, e, false };
    struct walk_result w;
    unsigned access = WALK_FETCH | (k->user ? WALK_USER : 0);
    if (page_walk(&k->regs, k->linear_rip, access, record_read, &rec, &w) != WALK_OK || rec.overflow)
        return;
    e->code = map(opaque, w.gpa, in->length);
    if (!e->code)
        return;
    e->key = *k;
    memcpy(e->bytes, bytes, in->length);
    e->insn = *in;
    /* bytes from a fetch that raced with a remap are not the frame's: every
     * lookup compares them, so such an entry never hits */
    e->valid = true;
    if (e == &c->ways[c->next])
        c->next = (c->next + 1) % INSN_CACHE_WAYS;
}
