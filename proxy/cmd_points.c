/* Breakpoints and watchpoints: break, hbreak, watch, delete. The shell
 * numbers its own points; a debugger's points are the debugger's. */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "cmd_handlers.h"

static const char *const kind_names[] = {
    [PT_BREAK] = "breakpoint", [PT_HBREAK] = "hardware breakpoint",
    [PT_WATCH_W] = "write watchpoint", [PT_WATCH_R] = "read watchpoint",
    [PT_WATCH_RW] = "access watchpoint",
};

/* watch's access argument -> Z packet type */
static const struct { const char *access; enum point_kind kind; } accesses[] = {
    { "w", PT_WATCH_W }, { "r", PT_WATCH_R }, { "rw", PT_WATCH_RW }, { "a", PT_WATCH_RW },
};

static int add_point(struct proxy *p, enum point_kind kind, uint64_t addr, unsigned len)
{
    struct point *slot = NULL;
    for (int i = 0; i < MAX_POINTS && !slot; i++)
        if (!p->points[i].used)
            slot = &p->points[i];
    if (!slot)
        return proxy_error(p, "too many breakpoints and watchpoints (%d)", MAX_POINTS);
    if (acc_point(p, true, (int)kind, addr, len))
        return -1;
    *slot = (struct point){ true, ++p->next_point_id, kind, addr, len };
    printf("%s %d at %s", kind_names[kind], slot->id, describe_address(p, addr));
    if (kind >= PT_WATCH_W)
        printf(", %u byte%s", len, len == 1 ? "" : "s");
    printf("\n");
    return 0;
}

static int set_break(struct proxy *p, char **argv, enum point_kind kind)
{
    uint64_t addr;
    if (!arg_address(p, argv[1], &addr))
        return -1;
    return add_point(p, kind, addr, 1);   /* x86: breakpoint kind is 1 */
}

int cmd_break(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    return set_break(p, argv, PT_BREAK);
}

int cmd_hbreak(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    return set_break(p, argv, PT_HBREAK);
}

int cmd_watch(struct proxy *p, int argc, char **argv)
{
    uint64_t addr, len;
    enum point_kind kind = PT_WATCH_W;
    if (!arg_address(p, argv[1], &addr) || !arg_number(p, argv[2], "length", &len))
        return -1;
    if (len != 1 && len != 2 && len != 4 && len != 8)
        return proxy_error(p, "watch length must be 1, 2, 4 or 8 (x86 debug registers)");
    if (addr % len)
        return proxy_error(p, "a %llu-byte watchpoint must be %llu-byte aligned",
                           (unsigned long long)len, (unsigned long long)len);
    if (argc > 3) {
        size_t i;
        for (i = 0; i < sizeof accesses / sizeof accesses[0]; i++)
            if (strcmp(argv[3], accesses[i].access) == 0)
                break;
        if (i == sizeof accesses / sizeof accesses[0])
            return proxy_error(p, "bad access '%s' (r, w or rw)", argv[3]);
        kind = accesses[i].kind;
    }
    return add_point(p, kind, addr, (unsigned)len);
}

static int remove_point(struct proxy *p, struct point *pt)
{
    if (acc_point(p, false, (int)pt->kind, pt->addr, pt->len))
        return -1;
    printf("deleted %s %d at %s\n", kind_names[pt->kind], pt->id, describe_address(p, pt->addr));
    pt->used = false;
    return 0;
}

int cmd_delete(struct proxy *p, int argc, char **argv)
{
    if (argc == 1) {
        int rc = 0, n = 0;
        for (int i = 0; i < MAX_POINTS; i++)
            if (p->points[i].used) {
                n++;
                if (remove_point(p, &p->points[i]))
                    rc = -1;
            }
        if (n == 0)
            printf("no breakpoints or watchpoints\n");
        return rc;
    }
    uint64_t id;
    if (!arg_number(p, argv[1], "breakpoint number", &id))
        return -1;
    for (int i = 0; i < MAX_POINTS; i++)
        if (p->points[i].used && (uint64_t)p->points[i].id == id)
            return remove_point(p, &p->points[i]);
    return proxy_error(p, "no breakpoint or watchpoint %llu", (unsigned long long)id);
}
