/*
 * stub/registers.c - g/G/p/P. The `g` block layout is the target
 * description's table; registers that cannot be read are sent as "xx" so
 * the client shows them unavailable instead of wrong.
 */
#include "stub_internal.h"

#include "libc.h"

/* Largest single register (an AVX-512 zmm would be 64). */
#define REG_MAX 64

static const struct target_reg *reg_by_number(struct stub *s, uint64_t regnum)
{
    const struct target_desc *d = s->ops->desc;
    if (!d || regnum >= d->nregs || d->regs[regnum].size > REG_MAX)
        return NULL;
    return &d->regs[regnum];
}

enum reply rsp_h_read_regs(struct stub *s, const char *a, size_t n)
{
    const struct target_desc *d = s->ops->desc;
    int thread = rsp_register_thread(s);
    uint8_t *block = (uint8_t *)s->scratch;
    (void)a;
    (void)n;

    if (!d || d->g_size > sizeof s->scratch || 2 * d->g_size > sizeof s->resp) {
        rsp_resp_error(s, 0x01, "register block too large");
        return REPLY_SEND;
    }
    if (!rsp_thread_valid(s, thread)) {
        rsp_resp_error(s, 0x22, "no such thread");
        return REPLY_SEND;
    }
    if (s->ops->read_g) {
        int st = s->ops->read_g(s->target, thread, block);
        if (st < 0) {
            rsp_resp_status(s, st);
            return REPLY_SEND;
        }
        rsp_resp_hex_bytes(s, block, d->g_size);
        return REPLY_SEND;
    }
    for (size_t r = 0; r < d->nregs; r++) {
        const struct target_reg *reg = &d->regs[r];
        uint8_t buf[REG_MAX];
        if (reg->size <= REG_MAX && s->ops->read_reg &&
            s->ops->read_reg(s->target, thread, (int)r, buf) >= 0) {
            rsp_resp_hex_bytes(s, buf, reg->size);
        } else {
            for (unsigned i = 0; i < 2u * reg->size; i++)
                rsp_resp_char(s, 'x');
        }
    }
    return REPLY_SEND;
}

enum reply rsp_h_write_regs(struct stub *s, const char *a, size_t n)
{
    const struct target_desc *d = s->ops->desc;
    int thread = rsp_register_thread(s);
    uint8_t *block = (uint8_t *)s->scratch;

    if (!d || d->g_size > sizeof s->scratch) {
        rsp_resp_error(s, 0x01, "register block too large");
        return REPLY_SEND;
    }
    if (!rsp_thread_valid(s, thread)) {
        rsp_resp_error(s, 0x22, "no such thread");
        return REPLY_SEND;
    }
    /* A shorter block is allowed: it writes only the registers it covers. */
    if (n % 2 || n / 2 > d->g_size || !rsp_hex_decode(a, n / 2, block)) {
        rsp_resp_error(s, 0x22, "bad register block");
        return REPLY_SEND;
    }
    size_t have = n / 2;
    if (have == d->g_size && s->ops->write_g) {
        rsp_resp_status(s, s->ops->write_g(s->target, thread, block));
        return REPLY_SEND;
    }
    for (size_t r = 0; r < d->nregs; r++) {
        const struct target_reg *reg = &d->regs[r];
        if (reg->offset + reg->size > have)
            break;
        int st = s->ops->write_reg ? s->ops->write_reg(s->target, thread, (int)r,
                                                       block + reg->offset)
                                   : TARGET_UNSUPPORTED;
        if (st < 0) {
            rsp_resp_status(s, st == TARGET_UNSUPPORTED ? TARGET_ERR : st);
            return REPLY_SEND;
        }
    }
    rsp_resp_ok(s);
    return REPLY_SEND;
}

enum reply rsp_h_read_reg(struct stub *s, const char *a, size_t n)
{
    const char *end = a + n;
    uint64_t regnum;
    uint8_t buf[REG_MAX];
    int thread = rsp_register_thread(s);

    if (!rsp_parse_hex(&a, end, &regnum) || a != end) {
        rsp_resp_error(s, 0x22, "bad register number");
        return REPLY_SEND;
    }
    const struct target_reg *reg = reg_by_number(s, regnum);
    if (!reg || !rsp_thread_valid(s, thread)) {
        rsp_resp_error(s, 0x22, "no such register");
        return REPLY_SEND;
    }
    int st = s->ops->read_reg ? s->ops->read_reg(s->target, thread, (int)regnum, buf)
                              : TARGET_UNSUPPORTED;
    if (st < 0) {
        rsp_resp_status(s, st == TARGET_UNSUPPORTED ? TARGET_ERR : st);
        return REPLY_SEND;
    }
    rsp_resp_hex_bytes(s, buf, reg->size);
    return REPLY_SEND;
}

enum reply rsp_h_write_reg(struct stub *s, const char *a, size_t n)
{
    const char *end = a + n;
    uint64_t regnum;
    uint8_t buf[REG_MAX];
    int thread = rsp_register_thread(s);

    if (!rsp_parse_hex(&a, end, &regnum) || a >= end || *a++ != '=') {
        rsp_resp_error(s, 0x22, "bad register write");
        return REPLY_SEND;
    }
    const struct target_reg *reg = reg_by_number(s, regnum);
    if (!reg || !rsp_thread_valid(s, thread)) {
        rsp_resp_error(s, 0x22, "no such register");
        return REPLY_SEND;
    }
    if ((size_t)(end - a) != 2u * reg->size || !rsp_hex_decode(a, reg->size, buf)) {
        rsp_resp_error(s, 0x22, "register value has the wrong size");
        return REPLY_SEND;
    }
    int st = s->ops->write_reg ? s->ops->write_reg(s->target, thread, (int)regnum, buf)
                               : TARGET_UNSUPPORTED;
    rsp_resp_status(s, st == TARGET_UNSUPPORTED ? TARGET_ERR : st);
    return REPLY_SEND;
}
