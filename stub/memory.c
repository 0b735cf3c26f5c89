/*
 * stub/memory.c - m/M/X, and the physical-memory switch that QEMU's
 * Qqemu.PhyMemMode introduced. Memory goes through the register thread's
 * address space unless physical mode is on.
 */
#include "stub_internal.h"

#include "libc.h"

/* "ADDR,LEN" followed by `stop` (':' for writes) or the end. */
static bool parse_addr_len(const char **a, const char *end, uint64_t *addr, uint64_t *len)
{
    if (!rsp_parse_hex(a, end, addr) || *a >= end || *(*a)++ != ',')
        return false;
    return rsp_parse_hex(a, end, len);
}

enum reply rsp_h_read_mem(struct stub *s, const char *a, size_t n)
{
    const char *end = a + n;
    uint64_t addr, len;
    uint8_t *buf = (uint8_t *)s->scratch;

    if (!parse_addr_len(&a, end, &addr, &len) || a != end) {
        rsp_resp_error(s, 0x22, "bad memory read");
        return REPLY_SEND;
    }
    /* Clients size reads from PacketSize; cap anyway rather than overrun. */
    if (len > sizeof s->resp / 2)
        len = sizeof s->resp / 2;
    if (len > sizeof s->scratch)
        len = sizeof s->scratch;
    if (len == 0)
        return REPLY_SEND;
    if (addr + len < addr)
        len = 0 - addr;     /* stop at the top of the address space */
    size_t got = s->ops->read_mem
        ? s->ops->read_mem(s->target, rsp_register_thread(s), addr, buf, (size_t)len, s->physical)
        : 0;
    if (got > len)
        got = (size_t)len;
    if (got == 0) {
        rsp_resp_error(s, 0x14, "memory not readable");
        return REPLY_SEND;
    }
    /* framed here rather than through resp: see memory_reply.c */
    rsp_send_memory_reply(s, buf, got);
    return REPLY_NONE;
}

static void write_memory(struct stub *s, uint64_t addr, const uint8_t *data, size_t len)
{
    if (len == 0) {
        rsp_resp_ok(s);
        return;
    }
    if (addr + len < addr) {
        rsp_resp_error(s, 0x14, "write wraps the address space");
        return;
    }
    int st = s->ops->write_mem
        ? s->ops->write_mem(s->target, rsp_register_thread(s), addr, data, len, s->physical)
        : TARGET_EFAULT;
    rsp_resp_status(s, st == TARGET_UNSUPPORTED ? TARGET_EFAULT : st);
}

enum reply rsp_h_write_mem_hex(struct stub *s, const char *a, size_t n)
{
    const char *end = a + n;
    uint64_t addr, len;
    uint8_t *buf = (uint8_t *)s->scratch;

    if (!parse_addr_len(&a, end, &addr, &len) || a >= end || *a++ != ':' ||
        len > sizeof s->scratch || (uint64_t)(end - a) != 2 * len ||
        !rsp_hex_decode(a, (size_t)len, buf)) {
        rsp_resp_error(s, 0x22, "bad memory write");
        return REPLY_SEND;
    }
    write_memory(s, addr, buf, (size_t)len);
    return REPLY_SEND;
}

/* X: the data is binary, already unescaped by the framing layer. */
enum reply rsp_h_write_mem_bin(struct stub *s, const char *a, size_t n)
{
    const char *end = a + n;
    uint64_t addr, len;

    if (!parse_addr_len(&a, end, &addr, &len) || a >= end || *a++ != ':' ||
        (uint64_t)(end - a) != len) {
        rsp_resp_error(s, 0x22, "bad binary memory write");
        return REPLY_SEND;
    }
    write_memory(s, addr, (const uint8_t *)a, (size_t)len);
    return REPLY_SEND;
}

enum reply rsp_h_phys_set(struct stub *s, const char *a, size_t n)
{
    if (n == 1 && (a[0] == '0' || a[0] == '1')) {
        s->physical = a[0] == '1';
        rsp_resp_ok(s);
    } else {
        rsp_resp_error(s, 0x22, "PhyMemMode takes 0 or 1");
    }
    return REPLY_SEND;
}

enum reply rsp_h_phys_get(struct stub *s, const char *a, size_t n)
{
    (void)a;
    (void)n;
    rsp_resp_char(s, s->physical ? '1' : '0');
    return REPLY_SEND;
}
