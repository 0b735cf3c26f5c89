/* A per-vCPU memory of the last few guest instructions the monitor fetched
 * and decoded: in practice the guest's EOI store, one exit per timer tick,
 * which would otherwise walk the guest's page tables and run the decoder
 * each time (most of an EOI exit's instructions: docs/benchmarks.md,
 * "What an exit costs").
 *
 * A hit is exact, not a guess. It needs the same paging registers, code
 * size, privilege and linear RIP, and then a re-read of every page-table
 * entry the walk read and of the instruction's bytes at the frame it found
 * must give the same values: the same inputs give the same walk and the
 * same decode, so a hit returns what a fresh fetch would. Only the
 * walker's and the decoder's work is saved.
 *
 * Pure (memory through a callback), like the page walker, so the unit
 * tests run it over hand-built tables. A hit reads through the pointers the
 * callback gave at the fill: guest memory does not move. */
#ifndef HUSK_X86_INSN_CACHE_H
#define HUSK_X86_INSN_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "pagewalk.h"

#define INSN_CACHE_WAYS  4
#define INSN_CACHE_READS 4          /* entries a walk reads: 4-level paging */
#define INSN_CACHE_BYTES 15         /* longest x86 instruction */

/* Where the len bytes at guest-physical gpa are, for as long as the cache
 * lives; NULL where the guest has no memory. */
typedef const void *(*phys_map)(void *opaque, uint64_t gpa, size_t len);

/* What selects the walk and the decode. */
struct insn_key {
    struct paging_regs regs;
    uint64_t linear_rip;
    enum decode_mode mode;
    bool user;                      /* CPL 3: the walk checks U */
};

struct insn_cache_entry {
    bool valid;
    struct insn_key key;
    unsigned nreads;
    struct { const void *at; uint64_t value; unsigned size; } reads[INSN_CACHE_READS];
    const uint8_t *code;
    uint8_t bytes[INSN_CACHE_BYTES];
    struct insn insn;
};

struct insn_cache {
    struct insn_cache_entry ways[INSN_CACHE_WAYS];
    unsigned next;                  /* the way the next fill replaces */
};

/* Fills *out and returns true when the key's instruction is remembered and
 * every value it depends on still reads the same. */
bool insn_cache_lookup(const struct insn_cache *c, const struct insn_key *k, struct insn *out);

/* Remembers `in`, decoded from `bytes` (in->length of them) fetched at the
 * key's RIP: walks once more to record the entries and the frame. Nothing
 * is kept when the instruction crosses a page or the walk fails. */
void insn_cache_fill(struct insn_cache *c, const struct insn_key *k, phys_map map, void *opaque,
                     const uint8_t *bytes, const struct insn *in);

#endif
