/* Unit tests for arch/x86_64/decode.c over the encoding table in cases.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cases.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void expect_case(const struct decode_case *c, const uint8_t *buf, size_t avail)
{
    struct insn insn;
    memset(&insn, 0xA5, sizeof(insn));
    int rc = x86_decode(buf, avail, c->mode, &insn);
    if (rc != c->rc)
        fail_msg("%s: rc %d, want %d", c->text, rc, c->rc);
    if (rc < 0)
        return;
    if (insn.length != c->len || insn.kind != c->kind || insn.op_size != c->op_size ||
        insn.reg != c->reg || insn.high_byte != c->high_byte || insn.dr != c->dr ||
        insn.imm != c->imm)
        fail_msg("%s: got len %u kind %d size %u reg %u high %d dr %u imm %#llx; "
                 "want len %u kind %d size %u reg %u high %d dr %u imm %#llx",
                 c->text, insn.length, insn.kind, insn.op_size, insn.reg, insn.high_byte,
                 insn.dr, (unsigned long long)insn.imm, c->len, c->kind, c->op_size, c->reg,
                 c->high_byte, c->dr, (unsigned long long)c->imm);
}

/* Every row decodes exactly from a buffer holding only its bytes. */
static void test_table_exact(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(decode_cases); i++)
        expect_case(&decode_cases[i], decode_cases[i].bytes, decode_cases[i].len);
}

/* Bytes after the instruction do not change the decode: the length comes
 * from the encoding, not from how much the caller fetched. */
static void test_table_trailing_bytes(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(decode_cases); i++) {
        const struct decode_case *c = &decode_cases[i];
        uint8_t buf[32];
        memset(buf, 0xCC, sizeof(buf));
        memcpy(buf, c->bytes, c->len);
        expect_case(c, buf, sizeof(buf));
    }
}

/* A buffer that stops anywhere inside the instruction is -1, and the
 * decoder never reads past `avail` (the canary after it would be read as
 * a valid continuation of several rows if it did). */
static void test_table_truncated(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(decode_cases); i++) {
        const struct decode_case *c = &decode_cases[i];
        for (size_t n = 0; n < c->len; n++) {
            uint8_t buf[32];
            memset(buf, 0x00, sizeof(buf));
            memcpy(buf, c->bytes, n);
            struct insn insn;
            if (x86_decode(buf, n, c->mode, &insn) != -1)
                fail_msg("%s: truncated to %zu bytes decoded", c->text, n);
        }
    }
}

static void test_rejected(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(reject_cases); i++) {
        const struct decode_case *c = &reject_cases[i];
        uint8_t buf[32];
        memset(buf, 0x00, sizeof(buf));
        memcpy(buf, c->bytes, c->len);
        expect_case(c, buf, sizeof(buf));
    }
}

/* 15 bytes is the architectural limit (SDM vol. 2, 2.3.11): 13 redundant
 * prefixes + `mov %eax,(%rdi)` is legal, 14 are not. */
static void test_length_limit(void **state)
{
    (void)state;
    uint8_t buf[32];
    struct insn insn;

    memset(buf, 0x3E, 13);
    buf[13] = 0x89;
    buf[14] = 0x07;
    assert_int_equal(x86_decode(buf, sizeof(buf), DECODE_64, &insn), 0);
    assert_int_equal(insn.length, 15);
    assert_int_equal(insn.kind, INSN_MOV_STORE_REG);

    memset(buf, 0x3E, 14);
    buf[14] = 0x89;
    buf[15] = 0x07;
    assert_int_equal(x86_decode(buf, sizeof(buf), DECODE_64, &insn), -1);

    /* 64 67 3E 2E 26 41 C7 80 disp32 imm32: 16 bytes with no byte wasted. */
    static const uint8_t long_store[] = { 0x64, 0x67, 0x3e, 0x2e, 0x26, 0x41, 0xc7, 0x80,
                                          0x00, 0x03, 0x00, 0x00, 0x00, 0x45, 0x0c, 0x00 };
    memcpy(buf, long_store, sizeof(long_store));
    assert_int_equal(x86_decode(buf, sizeof(buf), DECODE_64, &insn), -1);
    /* Without one segment prefix it is 15 bytes and fine. */
    assert_int_equal(x86_decode(long_store + 1, sizeof(long_store) - 1, DECODE_64, &insn), 0);
    assert_int_equal(insn.length, 15);
    assert_int_equal(insn.imm, 0xc4500);
}

/* Every one-byte opcode outside the known MOV set is -1 in every mode. */
static void test_unknown_opcodes(void **state)
{
    (void)state;
    static const uint8_t known[] = { 0x88, 0x89, 0x8a, 0x8b, 0xa0, 0xa1, 0xa2, 0xa3, 0xc6, 0xc7 };
    static const uint8_t prefixes[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0x0f };
    for (unsigned op = 0; op < 256; op++) {
        if (memchr(known, (int)op, sizeof(known)) || memchr(prefixes, (int)op, sizeof(prefixes)))
            continue;
        for (int mode = DECODE_16; mode <= DECODE_64; mode++) {
            if (mode == DECODE_64 && (op & 0xF0) == 0x40)
                continue;   /* REX: a prefix in 64-bit mode */
            uint8_t buf[16] = { (uint8_t)op, 0x07, 0x00, 0x00, 0x00, 0x00 };
            struct insn insn;
            if (x86_decode(buf, sizeof(buf), (enum decode_mode)mode, &insn) != -1)
                fail_msg("opcode %#x in mode %d decoded", op, mode);
        }
    }
    for (unsigned op = 0; op < 256; op++) {
        if (op == 0x21 || op == 0x23)
            continue;
        uint8_t buf[16] = { 0x0f, (uint8_t)op, 0xc0 };
        struct insn insn;
        if (x86_decode(buf, sizeof(buf), DECODE_64, &insn) != -1)
            fail_msg("opcode 0f %#x decoded", op);
    }
}

static void test_bad_arguments(void **state)
{
    (void)state;
    static const uint8_t mov[] = { 0x89, 0x07 };
    struct insn insn;
    assert_int_equal(x86_decode(NULL, 2, DECODE_64, &insn), -1);
    assert_int_equal(x86_decode(mov, sizeof(mov), DECODE_64, NULL), -1);
    assert_int_equal(x86_decode(mov, sizeof(mov), (enum decode_mode)7, &insn), -1);
    assert_int_equal(x86_decode(mov, 0, DECODE_64, &insn), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_exact),
        cmocka_unit_test(test_table_trailing_bytes),
        cmocka_unit_test(test_table_truncated),
        cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_length_limit),
        cmocka_unit_test(test_unknown_opcodes),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
