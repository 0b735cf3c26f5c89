/*
 * stub/points.c - Z/z. The target does the work; the stub remembers what is
 * inserted so a detach, a kill or a vanished client leaves nothing behind.
 */
#include "stub_internal.h"

static bool parse_point(const char *a, size_t n, enum point_type *type,
                        uint64_t *addr, uint64_t *kind)
{
    const char *end = a + n;
    uint64_t t;

    if (!rsp_parse_hex(&a, end, &t) || t > POINT_WATCH_ACCESS || a >= end || *a++ != ',')
        return false;
    if (!rsp_parse_hex(&a, end, addr) || a >= end || *a++ != ',')
        return false;
    if (!rsp_parse_hex(&a, end, kind) || *kind > 0xffff)
        return false;
    /* Conditions and commands (";X...") are GDB-side features we ignore. */
    if (a != end && *a != ';')
        return false;
    *type = (enum point_type)t;
    return true;
}

static struct stub_point *find_point(struct stub *s, enum point_type type,
                                     uint64_t addr, unsigned kind)
{
    for (int i = 0; i < STUB_MAX_POINTS; i++) {
        struct stub_point *p = &s->points[i];
        if (p->used && p->type == type && p->addr == addr && p->kind == kind)
            return p;
    }
    return NULL;
}

enum reply rsp_h_insert_point(struct stub *s, const char *a, size_t n)
{
    enum point_type type;
    uint64_t addr, kind;

    if (!parse_point(a, n, &type, &addr, &kind)) {
        rsp_resp_error(s, 0x22, "bad breakpoint packet");
        return REPLY_SEND;
    }
    if (!s->ops->insert_point) {
        return REPLY_SEND;
    }
    /* Inserting twice is allowed by the protocol and must not stack. */
    if (find_point(s, type, addr, (unsigned)kind)) {
        rsp_resp_ok(s);
        return REPLY_SEND;
    }
    struct stub_point *slot = NULL;
    for (int i = 0; i < STUB_MAX_POINTS && !slot; i++)
        if (!s->points[i].used)
            slot = &s->points[i];
    if (!slot) {
        rsp_resp_error(s, 0x28, "too many breakpoints");
        return REPLY_SEND;
    }
    int st = s->ops->insert_point(s->target, type, addr, (unsigned)kind);
    if (st == TARGET_OK)
        *slot = (struct stub_point){ true, type, addr, (unsigned)kind };
    rsp_resp_status(s, st);
    return REPLY_SEND;
}

enum reply rsp_h_remove_point(struct stub *s, const char *a, size_t n)
{
    enum point_type type;
    uint64_t addr, kind;

    if (!parse_point(a, n, &type, &addr, &kind)) {
        rsp_resp_error(s, 0x22, "bad breakpoint packet");
        return REPLY_SEND;
    }
    if (!s->ops->remove_point)
        return REPLY_SEND;
    struct stub_point *p = find_point(s, type, addr, (unsigned)kind);
    int st = s->ops->remove_point(s->target, type, addr, (unsigned)kind);
    if (p && st != TARGET_UNSUPPORTED)
        p->used = false;
    rsp_resp_status(s, st);
    return REPLY_SEND;
}

void rsp_points_remove_all(struct stub *s)
{
    for (int i = 0; i < STUB_MAX_POINTS; i++) {
        struct stub_point *p = &s->points[i];
        if (!p->used)
            continue;
        if (s->ops && s->ops->remove_point)
            s->ops->remove_point(s->target, p->type, p->addr, p->kind);
        p->used = false;
    }
}
