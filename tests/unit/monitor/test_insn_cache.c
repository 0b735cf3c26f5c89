/* The decoded-instruction cache over hand-built 4-level tables in a fake
 * guest memory: a hit only when a fresh walk and fetch would give the same
 * instruction. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"
#include "insn_cache.h"

#define MEM_SIZE (1u << 20)
static uint8_t mem[MEM_SIZE];

static const void *map(void *opaque, uint64_t gpa, size_t len)
{
    (void)opaque;
    return gpa + len <= MEM_SIZE ? mem + gpa : NULL;
}

static void put64(uint64_t gpa, uint64_t v) { memcpy(mem + gpa, &v, 8); }

#define P 1ull
#define W 2ull
#define U 4ull
#define A 0x20ull

#define CODE_VA    0x400010ull      /* PML4 0, PDPT 0, PD 2, PT 0, offset 0x10 */
#define FRAME      0x5000ull
#define OTHER      0x6000ull
#define PT_ENTRY   0x4000ull        /* PT[0] */

/* mov [0xfee000b0], eax: 89 04 25 b0 00 e0 fe */
static const uint8_t store_eax[] = { 0x89, 0x04, 0x25, 0xb0, 0x00, 0xe0, 0xfe };
/* mov [0xfee000b0], ecx */
static const uint8_t store_ecx[] = { 0x89, 0x0c, 0x25, 0xb0, 0x00, 0xe0, 0xfe };

static struct insn_cache cache;
static struct insn_key key;

static int setup(void **state)
{
    (void)state;
    memset(mem, 0, sizeof mem);
    memset(&cache, 0, sizeof cache);
    put64(0x1000, 0x2000 | P | W | U);
    put64(0x2000, 0x3000 | P | W | U);
    put64(0x3000 + 2 * 8, 0x4000 | P | W | U);
    put64(PT_ENTRY, FRAME | P | W | U);
    memcpy(mem + FRAME + 0x10, store_eax, sizeof store_eax);
    memcpy(mem + OTHER + 0x10, store_ecx, sizeof store_ecx);
    key = (struct insn_key){
        .regs = { .cr0 = 0x80010001ull, .cr3 = 0x1000, .cr4 = 0x20, .efer = 0x500 },
        .linear_rip = CODE_VA,
        .mode = DECODE_64,
        .user = false,
    };
    return 0;
}

/* What the monitor does on a miss: decode the bytes, then fill. */
static struct insn decode_and_fill(const struct insn_key *k, uint64_t frame)
{
    struct insn in;
    const uint8_t *bytes = mem + frame + (k->linear_rip & 0xfff);
    assert_int_equal(x86_decode(bytes, INSN_CACHE_BYTES, k->mode, &in), 0);
    insn_cache_fill(&cache, k, map, NULL, bytes, &in);
    return in;
}

static void test_empty_misses(void **state)
{
    (void)state;
    struct insn out;
    assert_false(insn_cache_lookup(&cache, &key, &out));
}

static void test_hit_returns_the_decoded_instruction(void **state)
{
    (void)state;
    decode_and_fill(&key, FRAME);
    struct insn out;
    memset(&out, 0xcc, sizeof out);
    assert_true(insn_cache_lookup(&cache, &key, &out));
    assert_int_equal(out.length, 7);
    assert_int_equal(out.kind, INSN_MOV_STORE_REG);
    assert_int_equal(out.reg, 0);       /* eax */
    assert_int_equal(out.op_size, 4);
}

static void test_remap_to_another_frame_misses(void **state)
{
    (void)state;
    decode_and_fill(&key, FRAME);
    /* the old frame keeps its bytes: only the walk can tell */
    put64(PT_ENTRY, OTHER | P | W | U);
    struct insn out;
    assert_false(insn_cache_lookup(&cache, &key, &out));
    /* the refill decodes the new frame's instruction */
    decode_and_fill(&key, OTHER);
    assert_true(insn_cache_lookup(&cache, &key, &out));
    assert_int_equal(out.reg, 1);       /* ecx */
}

static void test_any_table_entry_change_misses(void **state)
{
    (void)state;
    static const uint64_t entries[] = { 0x1000, 0x2000, 0x3000 + 2 * 8, PT_ENTRY };
    for (unsigned i = 0; i < 4; i++) {
        setup(NULL);
        decode_and_fill(&key, FRAME);
        uint64_t e;
        memcpy(&e, mem + entries[i], 8);
        put64(entries[i], e | A);       /* even the accessed bit: a re-walk is cheap */
        struct insn out;
        assert_false(insn_cache_lookup(&cache, &key, &out));
    }
}

static void test_rewritten_code_misses(void **state)
{
    (void)state;
    decode_and_fill(&key, FRAME);
    mem[FRAME + 0x10 + 1] = 0x0c;       /* eax -> ecx */
    struct insn out;
    assert_false(insn_cache_lookup(&cache, &key, &out));
}

static void test_other_key_misses(void **state)
{
    (void)state;
    decode_and_fill(&key, FRAME);
    struct insn out;
    struct insn_key k = key;
    k.regs.cr3 = 0x7000;
    assert_false(insn_cache_lookup(&cache, &k, &out));
    k = key;
    k.linear_rip++;
    assert_false(insn_cache_lookup(&cache, &k, &out));
    k = key;
    k.user = true;
    assert_false(insn_cache_lookup(&cache, &k, &out));
    k = key;
    k.mode = DECODE_32;
    assert_false(insn_cache_lookup(&cache, &k, &out));
    k = key;
    k.regs.cr0 &= ~(1ull << 16);        /* WP */
    assert_false(insn_cache_lookup(&cache, &k, &out));
}

static void test_instruction_across_a_page_is_not_kept(void **state)
{
    (void)state;
    key.linear_rip = 0x400ffc;          /* 7 bytes from 0xffc: crosses into the next page */
    memcpy(mem + FRAME + 0xffc, store_eax, 4);
    memcpy(mem + FRAME + 0x1000, store_eax + 4, 3);
    struct insn in;
    assert_int_equal(x86_decode(mem + FRAME + 0xffc, INSN_CACHE_BYTES, DECODE_64, &in), 0);
    insn_cache_fill(&cache, &key, map, NULL, mem + FRAME + 0xffc, &in);
    struct insn out;
    assert_false(insn_cache_lookup(&cache, &key, &out));
}

static void test_unmapped_code_is_not_kept(void **state)
{
    (void)state;
    put64(PT_ENTRY, 0);
    struct insn in;
    assert_int_equal(x86_decode(store_eax, sizeof store_eax, DECODE_64, &in), 0);
    insn_cache_fill(&cache, &key, map, NULL, store_eax, &in);
    struct insn out;
    assert_false(insn_cache_lookup(&cache, &key, &out));
}

static void test_bytes_not_the_frames_are_not_kept(void **state)
{
    (void)state;
    /* decoded from a fetch that raced with a remap: not what the frame holds */
    struct insn in;
    assert_int_equal(x86_decode(store_ecx, sizeof store_ecx, DECODE_64, &in), 0);
    insn_cache_fill(&cache, &key, map, NULL, store_ecx, &in);
    struct insn out;
    assert_false(insn_cache_lookup(&cache, &key, &out));
}

static void test_oldest_of_five_is_evicted(void **state)
{
    (void)state;
    struct insn_key keys[INSN_CACHE_WAYS + 1];
    for (unsigned i = 0; i <= INSN_CACHE_WAYS; i++) {
        keys[i] = key;
        keys[i].linear_rip = CODE_VA + 0x100 * i;
        memcpy(mem + FRAME + 0x10 + 0x100 * i, store_eax, sizeof store_eax);
        decode_and_fill(&keys[i], FRAME);
    }
    struct insn out;
    assert_false(insn_cache_lookup(&cache, &keys[0], &out));
    for (unsigned i = 1; i <= INSN_CACHE_WAYS; i++)
        assert_true(insn_cache_lookup(&cache, &keys[i], &out));
}

static void test_refill_of_a_stale_key_keeps_one_entry(void **state)
{
    (void)state;
    decode_and_fill(&key, FRAME);
    struct insn_key other = key;
    other.linear_rip = CODE_VA + 0x100;
    memcpy(mem + FRAME + 0x110, store_eax, sizeof store_eax);
    decode_and_fill(&other, FRAME);
    /* the first key goes stale and is filled again, three times: it must
     * reuse its own way, not push `other` out */
    for (unsigned i = 0; i < 3; i++) {
        mem[FRAME + 0x10 + 1] ^= 0x08;  /* eax <-> ecx */
        decode_and_fill(&key, FRAME);
    }
    struct insn out;
    assert_true(insn_cache_lookup(&cache, &other, &out));
    assert_true(insn_cache_lookup(&cache, &key, &out));
    assert_int_equal(out.reg, 1);       /* ecx after three flips */
    for (unsigned i = 0; i < 2; i++) {
        struct insn_key k = key;
        k.linear_rip = CODE_VA + 0x200 + 0x100 * i;
        memcpy(mem + FRAME + 0x210 + 0x100 * i, store_eax, sizeof store_eax);
        decode_and_fill(&k, FRAME);
    }
    assert_true(insn_cache_lookup(&cache, &other, &out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty_misses, setup),
        cmocka_unit_test_setup(test_hit_returns_the_decoded_instruction, setup),
        cmocka_unit_test_setup(test_remap_to_another_frame_misses, setup),
        cmocka_unit_test_setup(test_any_table_entry_change_misses, setup),
        cmocka_unit_test_setup(test_rewritten_code_misses, setup),
        cmocka_unit_test_setup(test_other_key_misses, setup),
        cmocka_unit_test_setup(test_instruction_across_a_page_is_not_kept, setup),
        cmocka_unit_test_setup(test_unmapped_code_is_not_kept, setup),
        cmocka_unit_test_setup(test_bytes_not_the_frames_are_not_kept, setup),
        cmocka_unit_test_setup(test_oldest_of_five_is_evicted, setup),
        cmocka_unit_test_setup(test_refill_of_a_stale_key_keeps_one_entry, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
