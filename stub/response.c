/*
 * stub/response.c - building a reply body in stub->resp. Writes past the end
 * set resp_overflow and are dropped; the dispatcher then answers E01 instead
 * of sending a truncated reply.
 */
#include "stub_internal.h"

#include "libc.h"

void rsp_resp_reset(struct stub *s)
{
    s->resp_len = 0;
    s->resp_overflow = false;
}

size_t rsp_resp_room(const struct stub *s)
{
    return sizeof s->resp - s->resp_len;
}

void rsp_resp_bytes(struct stub *s, const void *data, size_t n)
{
    if (n > rsp_resp_room(s)) {
        s->resp_overflow = true;
        return;
    }
    memcpy(s->resp + s->resp_len, data, n);
    s->resp_len += n;
}

void rsp_resp_char(struct stub *s, char c)
{
    rsp_resp_bytes(s, &c, 1);
}

void rsp_resp_str(struct stub *s, const char *str)
{
    rsp_resp_bytes(s, str, strlen(str));
}

void rsp_resp_hex_u8(struct stub *s, unsigned v)
{
    char d[2] = { rsp_hex_digits[(v >> 4) & 15], rsp_hex_digits[v & 15] };
    rsp_resp_bytes(s, d, 2);
}

void rsp_resp_hex_bytes(struct stub *s, const uint8_t *data, size_t n)
{
    if (2 * n > rsp_resp_room(s)) {
        s->resp_overflow = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        s->resp[s->resp_len++] = rsp_hex_digits[data[i] >> 4];
        s->resp[s->resp_len++] = rsp_hex_digits[data[i] & 15];
    }
}

void rsp_resp_hex_u64(struct stub *s, uint64_t v)
{
    char d[16];
    int n = 0;

    do {
        d[n++] = rsp_hex_digits[v & 15];
        v >>= 4;
    } while (v);
    while (n)
        rsp_resp_char(s, d[--n]);
}

void rsp_resp_hex_str(struct stub *s, const char *text)
{
    rsp_resp_hex_bytes(s, (const uint8_t *)text, strlen(text));
}

void rsp_resp_ok(struct stub *s)
{
    rsp_resp_str(s, "OK");
}

void rsp_resp_error(struct stub *s, unsigned code, const char *message)
{
    rsp_resp_reset(s);
    rsp_resp_char(s, 'E');
    rsp_resp_hex_u8(s, code);
    if (s->error_strings && message) {
        rsp_resp_char(s, ';');
        rsp_resp_hex_str(s, message);
    }
}

/* The E codes follow the errno numbers GDB and LLDB print for them. */
void rsp_resp_status(struct stub *s, int status)
{
    switch (status) {
    case TARGET_OK:
        rsp_resp_ok(s);
        break;
    case TARGET_UNSUPPORTED:
        rsp_resp_reset(s);
        break;
    case TARGET_EFAULT:
        rsp_resp_error(s, 0x14, "memory not accessible");
        break;
    case TARGET_EINVAL:
        rsp_resp_error(s, 0x22, "invalid argument");
        break;
    case TARGET_ENOSPC:
        rsp_resp_error(s, 0x28, "no free debug register");
        break;
    default:
        rsp_resp_error(s, 0x01, "target operation failed");
        break;
    }
}
