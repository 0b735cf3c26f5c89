/* GDB remote serial protocol, client side. See rsp.h. */
#include "rsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rsp_decoder_reset(struct rsp_decoder *d)
{
    d->state = RSP_IDLE;
    d->len = 0;
    d->sum = 0;
    d->overflow = false;
    d->buf[0] = '\0';
}

static void put(struct rsp_decoder *d, char c)
{
    if (d->len < RSP_MAX_PAYLOAD)
        d->buf[d->len++] = c;
    else
        d->overflow = true;
}

int rsp_hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Outside a packet only the start byte, acks and the interrupt byte mean
 * anything; other bytes (line noise, a console sharing the UART) are
 * dropped. */
static enum rsp_event idle_byte(struct rsp_decoder *d, uint8_t c)
{
    switch (c) {
    case '$':
        d->state = RSP_DATA;
        d->len = 0;
        d->sum = 0;
        d->overflow = false;
        return RSP_EV_NONE;
    case '+': return RSP_EV_ACK;
    case '-': return RSP_EV_NAK;
    case RSP_INTERRUPT_BYTE: return RSP_EV_INTERRUPT;
    default: return RSP_EV_NONE;
    }
}

enum rsp_event rsp_feed(struct rsp_decoder *d, uint8_t c)
{
    switch (d->state) {
    case RSP_IDLE:
        return idle_byte(d, c);
    case RSP_DATA:
        if (c == '#') {
            d->state = RSP_SUM_HI;
            return RSP_EV_NONE;
        }
        if (c == '$') {          /* a new packet restarts framing */
            d->len = 0;
            d->sum = 0;
            d->overflow = false;
            return RSP_EV_NONE;
        }
        d->sum += c;
        if (c == '}')
            d->state = RSP_ESCAPE;
        else if (c == '*' && d->len > 0)
            d->state = RSP_REPEAT;
        else
            put(d, (char)c);
        return RSP_EV_NONE;
    case RSP_ESCAPE:
        d->sum += c;
        put(d, (char)(c ^ 0x20));
        d->state = RSP_DATA;
        return RSP_EV_NONE;
    case RSP_REPEAT: {
        /* "X*n" repeats X another n - 29 times (n is printable, >= ' '). */
        d->sum += c;
        char last = d->buf[d->len - 1];
        for (int i = 0; i < (int)c - 29; i++)
            put(d, last);
        d->state = RSP_DATA;
        return RSP_EV_NONE;
    }
    case RSP_SUM_HI: {
        int v = rsp_hexval(c);
        d->want = (uint8_t)((v < 0 ? 0 : v) << 4);
        d->state = v < 0 ? RSP_IDLE : RSP_SUM_LO;
        return v < 0 ? RSP_EV_BADSUM : RSP_EV_NONE;
    }
    case RSP_SUM_LO: {
        int v = rsp_hexval(c);
        d->state = RSP_IDLE;
        d->buf[d->len] = '\0';
        if (v < 0 || (uint8_t)(d->want | v) != d->sum)
            return RSP_EV_BADSUM;
        return d->overflow ? RSP_EV_OVERFLOW : RSP_EV_PACKET;
    }
    }
    return RSP_EV_NONE;
}

size_t rsp_frame_capacity(size_t len)
{
    return 2 * len + 4;
}

size_t rsp_frame(char *out, const void *payload, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *p = payload;
    size_t n = 0;
    uint8_t sum = 0;

    out[n++] = '$';
    for (size_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            out[n++] = '}';
            sum += '}';
            c ^= 0x20;
        }
        out[n++] = (char)c;
        sum += c;
    }
    out[n++] = '#';
    out[n++] = digits[sum >> 4];
    out[n++] = digits[sum & 15];
    return n;
}

void rsp_hex(char *out, const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * len] = '\0';
}

long rsp_unhex(void *out, size_t max, const char *hex, size_t hexlen)
{
    uint8_t *o = out;
    if (hexlen % 2 || hexlen / 2 > max)
        return -1;
    for (size_t i = 0; i < hexlen / 2; i++) {
        int hi = rsp_hexval(hex[2 * i]), lo = rsp_hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        o[i] = (uint8_t)(hi << 4 | lo);
    }
    return (long)(hexlen / 2);
}

bool rsp_is_error(const char *r, size_t len)
{
    if (len == 3 && r[0] == 'E' && rsp_hexval(r[1]) >= 0 && rsp_hexval(r[2]) >= 0)
        return true;
    return len >= 2 && r[0] == 'E' && r[1] == '.';
}

bool rsp_is_stop_reply(const char *r, size_t len)
{
    if (len < 3)
        return false;
    return (r[0] == 'S' || r[0] == 'T' || r[0] == 'W' || r[0] == 'X') &&
           rsp_hexval(r[1]) >= 0 && rsp_hexval(r[2]) >= 0;
}

bool rsp_is_output(const char *r, size_t len)
{
    return len >= 1 && r[0] == 'O' && !(len == 2 && r[1] == 'K');
}

bool rsp_is_resume(const char *p, size_t len)
{
    if (len == 0)
        return false;
    if (p[0] == 'c' || p[0] == 's' || p[0] == 'C' || p[0] == 'S')
        return true;
    /* vCont;ACTION[:tid]...: every action resumes except a pure "vCont?". */
    return len > 6 && strncmp(p, "vCont;", 6) == 0;
}

/* Stop-reply keys that name a watchpoint, with the reason they imply. */
static const struct { const char *key; const char *reason; } watch_keys[] = {
    { "watch", "write watchpoint" },
    { "rwatch", "read watchpoint" },
    { "awatch", "access watchpoint" },
};

static void parse_pair(const char *key, size_t klen, const char *val, struct rsp_stop *s)
{
    static char reason[32];
    for (size_t i = 0; i < sizeof watch_keys / sizeof watch_keys[0]; i++) {
        if (strlen(watch_keys[i].key) == klen && strncmp(key, watch_keys[i].key, klen) == 0) {
            s->watch_addr = strtoull(val, NULL, 16);
            s->has_watch_addr = true;
            s->reason = watch_keys[i].reason;
            return;
        }
    }
    if (klen == 6 && strncmp(key, "thread", 6) == 0) {
        const char *dot = val[0] == 'p' ? strchr(val, '.') : NULL;   /* pP.T */
        s->thread = strtol(dot ? dot + 1 : val, NULL, 16);
    }
    else if (klen == 4 && strncmp(key, "core", 4) == 0)
        s->core = strtol(val, NULL, 16);
    else if (klen == 7 && strncmp(key, "swbreak", 7) == 0)
        s->reason = "breakpoint";
    else if (klen == 7 && strncmp(key, "hwbreak", 7) == 0)
        s->reason = "hardware breakpoint";
    else if (klen == 11 && strncmp(key, "description", 11) == 0) {
        static char text[128];
        long n = rsp_unhex(text, sizeof text - 1, val, strcspn(val, ";"));
        if (n >= 0) {
            text[n] = '\0';
            s->description = text;
        }
    } else if (klen == 6 && strncmp(key, "reason", 6) == 0 && !s->reason) {
        size_t n = strcspn(val, ";");
        if (n >= sizeof reason)
            n = sizeof reason - 1;
        memcpy(reason, val, n);
        reason[n] = '\0';
        s->reason = reason;
    }
}

/* The `key:value;` pairs of a T stop reply, after its signal. */
struct stop_pairs {
    const char *p, *end;
};

/* The next pair with a colon (others are skipped); false at the end. */
static bool next_pair(struct stop_pairs *it, const char **key, size_t *klen, const char **val,
                      size_t *vlen)
{
    while (it->p < it->end) {
        const char *p = it->p;
        const char *colon = memchr(p, ':', (size_t)(it->end - p));
        const char *semi = memchr(p, ';', (size_t)(it->end - p));
        if (!semi)
            semi = it->end;
        it->p = semi + 1;
        if (colon && colon < semi) {
            *key = p;
            *klen = (size_t)(colon - p);
            *val = colon + 1;
            *vlen = (size_t)(semi - colon - 1);
            return true;
        }
    }
    return false;
}

bool rsp_parse_stop(const char *r, size_t len, struct rsp_stop *s)
{
    if (!rsp_is_stop_reply(r, len))
        return false;
    memset(s, 0, sizeof *s);
    s->kind = r[0];
    s->signal = rsp_hexval(r[1]) << 4 | rsp_hexval(r[2]);
    s->thread = -1;
    s->core = -1;
    if (s->kind != 'T')
        return true;
    struct stop_pairs it = { r + 3, r + len };
    const char *key, *val;
    size_t klen, vlen;
    while (next_pair(&it, &key, &klen, &val, &vlen))
        parse_pair(key, klen, val, s);
    return true;
}

/* What a person calls a stop, by GDB signal number, when no breakpoint or
 * watchpoint explains it. */
static const struct { int signal; const char *name; } signal_names[] = {
    { 2, "interrupted" }, { 4, "illegal instruction" }, { 5, "trap" },
    { 8, "arithmetic exception" }, { 11, "segmentation fault" },
};

/* The LLDB reason keys the stub sends, reworded for the shell. */
static const struct { const char *reason; const char *name; } reason_names[] = {
    { "trace", "step" }, { "breakpoint", "breakpoint" }, { "watchpoint", "watchpoint" },
};

static const char *stop_name(const struct rsp_stop *s)
{
    if (s->reason && strcmp(s->reason, "exception") == 0 && s->description)
        return s->description;
    for (size_t i = 0; s->reason && i < sizeof reason_names / sizeof reason_names[0]; i++)
        if (strcmp(s->reason, reason_names[i].reason) == 0)
            return reason_names[i].name;
    if (s->reason && strcmp(s->reason, "signal") != 0 && strcmp(s->reason, "exception") != 0)
        return s->reason;   /* "write watchpoint", "hardware breakpoint", ... */
    for (size_t i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++)
        if (signal_names[i].signal == s->signal)
            return signal_names[i].name;
    return "signal";
}

void rsp_describe_stop(const struct rsp_stop *s, char *out, size_t size)
{
    switch (s->kind) {
    case 'W':
        snprintf(out, size, "target exited with status %d", s->signal);
        return;
    case 'X':
        snprintf(out, size, "target terminated by signal %d", s->signal);
        return;
    }
    const char *why = stop_name(s);
    int n = snprintf(out, size, "%s (signal %d)", why, s->signal);
    if (s->has_watch_addr && n >= 0 && (size_t)n < size)
        n += snprintf(out + n, size - (size_t)n, " at 0x%llx", (unsigned long long)s->watch_addr);
    if (s->thread >= 0 && n >= 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n, " on cpu %ld", s->thread);
}

bool rsp_stop_register(const char *r, size_t len, int regnum, uint64_t *value)
{
    if (len < 3 || r[0] != 'T')
        return false;
    struct stop_pairs it = { r + 3, r + len };
    const char *key, *val;
    size_t klen, vlen;
    while (next_pair(&it, &key, &klen, &val, &vlen)) {
        char *kend;
        long n = strtol(key, &kend, 16);
        if (kend != key + klen || n != regnum)
            continue;
        uint8_t b[8] = { 0 };
        if (vlen > 16 || rsp_unhex(b, sizeof b, val, vlen) < 0)
            return false;
        *value = 0;
        for (int i = 7; i >= 0; i--)
            *value = *value << 8 | b[i];
        return true;
    }
    return false;
}
