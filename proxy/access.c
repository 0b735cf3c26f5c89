/* Target access for the shell. See access.h. */
#include "access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "rsp.h"

/* The stub's error numbers (errno values, as target.h documents). */
static const struct { const char *code; const char *text; } error_codes[] = {
    { "E01", "the monitor could not do it" },
    { "E0e", "unreadable memory" },
    { "E14", "unreadable memory" },
    { "E16", "invalid argument" },
    { "E22", "invalid argument" },
    { "E1c", "no free debug register" },
    { "E28", "no free debug register" },
};

const char *acc_error_text(const char *reply)
{
    static char buf[96];
    for (size_t i = 0; i < sizeof error_codes / sizeof error_codes[0]; i++)
        if (strncasecmp(reply, error_codes[i].code, 3) == 0) {
            snprintf(buf, sizeof buf, "%s (%.3s)", error_codes[i].text, reply);
            return buf;
        }
    if (!*reply)
        return "not supported by the monitor";
    snprintf(buf, sizeof buf, "the monitor answered %.40s", reply);
    return buf;
}

static int link_error(struct proxy *p)
{
    return proxy_error(p, "%s", p->sess.err);
}

static void select_cpu(struct proxy *p, long cpu)
{
    char v[24];
    snprintf(v, sizeof v, "%lx", cpu);
    session_want(&p->sess, SIDE_SHELL, SEL_HG, v);
}

int acc_threads(struct proxy *p, long *ids, int max)
{
    int n = 0;
    const char *q = "qfThreadInfo";
    for (;;) {
        if (session_request(&p->sess, SIDE_SHELL, q, strlen(q)))
            return link_error(p);
        const char *r = p->sess.reply;
        if (r[0] != 'm')
            break;
        for (r++; *r && n < max;) {
            /* "T" or, from a stub in multiprocess mode, "pP.T" */
            const char *dot = r[0] == 'p' ? strchr(r, '.') : NULL;
            char *end;
            long id = strtol(dot ? dot + 1 : r, &end, 16);
            if (end == (dot ? dot + 1 : r))
                break;
            ids[n++] = id;
            r = *end == ',' ? end + 1 : end;
        }
        q = "qsThreadInfo";
    }
    if (n == 0)
        return proxy_error(p, "the monitor lists no CPUs");
    return n;
}

long acc_regs(struct proxy *p, long cpu, uint8_t *g, size_t cap)
{
    select_cpu(p, cpu);
    if (session_request(&p->sess, SIDE_SHELL, "g", 1)) {
        if (session_up(&p->sess) && strstr(p->sess.err, "refused 'Hg"))
            return proxy_error(p, "no cpu %ld (see 'cpus')", cpu);
        return link_error(p);
    }
    if (rsp_is_error(p->sess.reply, p->sess.reply_len))
        return proxy_error(p, "cannot read the registers of cpu %ld: %s", cpu,
                           acc_error_text(p->sess.reply));
    /* Registers the stub cannot read come as 'x' digits: read them as 0. */
    for (size_t i = 0; i < p->sess.reply_len; i++)
        if (p->sess.reply[i] == 'x')
            p->sess.reply[i] = '0';
    long n = rsp_unhex(g, cap, p->sess.reply, p->sess.reply_len);
    if (n < 0)
        return proxy_error(p, "malformed register block from the monitor");
    p->g_seen = (size_t)n;
    return n;
}

/* One register with a 'p' packet, for registers outside the 'g' block. */
static int read_one(struct proxy *p, long cpu, const struct reg_desc *r, uint64_t *value)
{
    select_cpu(p, cpu);
    if (session_requestf(&p->sess, SIDE_SHELL, "p%x", r->regnum))
        return link_error(p);
    uint8_t b[16] = { 0 };
    if (rsp_is_error(p->sess.reply, p->sess.reply_len) || p->sess.reply_len == 0 ||
        rsp_unhex(b, sizeof b, p->sess.reply, p->sess.reply_len) < 0)
        return proxy_error(p, "cannot read register %s: %s", r->name, acc_error_text(p->sess.reply));
    *value = 0;
    for (int i = 7; i >= 0; i--)
        *value = *value << 8 | b[i];
    return 0;
}

int acc_reg(struct proxy *p, long cpu, const char *name, uint64_t *value)
{
    const struct reg_desc *r = regs_find(&p->sess.layout, name);
    if (!r)
        return proxy_error(p, "the target has no register %s", name);
    /* Past the end of the 'g' blocks seen so far: ask for it alone. */
    if (p->g_seen && r->offset + (size_t)(r->bitsize + 7) / 8 > p->g_seen)
        return read_one(p, cpu, r, value);
    uint8_t g[4096];
    long n = acc_regs(p, cpu, g, sizeof g);
    if (n < 0)
        return -1;
    if (regs_get(&p->sess.layout, g, (size_t)n, name, value))
        return 0;
    return read_one(p, cpu, r, value);
}

/* Bytes per m/M packet: as many as the stub's PacketSize takes in hex. */
#define MAX_CHUNK 16384

static size_t chunk_size(struct proxy *p)
{
    size_t c = (p->sess.packet_size - 32) / 2;
    return c > MAX_CHUNK ? MAX_CHUNK : c;
}

long acc_read(struct proxy *p, long cpu, uint64_t addr, void *buf, size_t len,
              bool phys, const char *progress_what)
{
    struct progress pr;
    size_t done = 0;
    select_cpu(p, cpu);
    if (!session_up(&p->sess))
        return proxy_error(p, "the link to the monitor is down");
    session_want(&p->sess, SIDE_SHELL, SEL_PHYS, phys ? "1" : "0");
    if (progress_what)
        progress_start(&pr, progress_what, len);
    while (done < len) {
        size_t n = len - done < chunk_size(p) ? len - done : chunk_size(p);
        if (session_requestf(&p->sess, SIDE_SHELL, "m%llx,%zx",
                             (unsigned long long)(addr + done), n)) {
            session_want(&p->sess, SIDE_SHELL, SEL_PHYS, "0");
            return link_error(p);
        }
        if (rsp_is_error(p->sess.reply, p->sess.reply_len) || p->sess.reply_len == 0)
            break;
        long got = rsp_unhex((uint8_t *)buf + done, n, p->sess.reply, p->sess.reply_len);
        if (got <= 0)
            break;
        done += (size_t)got;
        if (progress_what)
            progress_update(&pr, done);
        gdbmux_service(&p->gdb, &p->sess);   /* the debugger is not kept waiting */
        if ((size_t)got < n)
            break;   /* the rest of this chunk is unreadable */
    }
    session_want(&p->sess, SIDE_SHELL, SEL_PHYS, "0");
    if (progress_what)
        progress_finish(&pr, done);
    return (long)done;
}

int acc_write(struct proxy *p, long cpu, uint64_t addr, const void *buf, size_t len, bool phys)
{
    select_cpu(p, cpu);
    session_want(&p->sess, SIDE_SHELL, SEL_PHYS, phys ? "1" : "0");
    size_t done = 0;
    int rc = 0;
    while (done < len && rc == 0) {
        size_t n = len - done < chunk_size(p) ? len - done : chunk_size(p);
        static char pkt[2 * MAX_CHUNK + 64];
        int h = snprintf(pkt, sizeof pkt, "M%llx,%zx:", (unsigned long long)(addr + done), n);
        rsp_hex(pkt + h, (const uint8_t *)buf + done, n);
        if (session_request(&p->sess, SIDE_SHELL, pkt, (size_t)h + 2 * n))
            rc = link_error(p);
        else if (strcmp(p->sess.reply, "OK") != 0)
            rc = proxy_error(p, "cannot write %zu bytes at 0x%llx: %s", n,
                             (unsigned long long)(addr + done), acc_error_text(p->sess.reply));
        done += n;
    }
    session_want(&p->sess, SIDE_SHELL, SEL_PHYS, "0");
    return rc;
}

int acc_monitor(struct proxy *p, const char *text, char *out, size_t cap)
{
    size_t len = strlen(text);
    char *pkt = malloc(2 * len + 8);
    if (!pkt)
        return proxy_error(p, "out of memory");
    memcpy(pkt, "qRcmd,", 6);
    rsp_hex(pkt + 6, text, len);
    shell_capture(&p->shell, out, cap);
    int rc = session_request(&p->sess, SIDE_SHELL, pkt, 6 + 2 * len);
    shell_capture(&p->shell, NULL, 0);
    free(pkt);
    if (rc)
        return link_error(p);
    const char *r = p->sess.reply;
    if (strcmp(r, "OK") == 0)
        return 0;
    if (r[0] != 'E' && r[0] != '\0') {
        /* Some stubs answer with the output itself, hex-encoded. */
        char txt[4096];
        long n = rsp_unhex(txt, sizeof txt - 1, r, p->sess.reply_len);
        if (n >= 0) {
            txt[n] = '\0';
            shell_output(&p->shell, txt, (size_t)n);
            return 0;
        }
    }
    return proxy_error(p, "monitor %.60s%s: %s", text, strlen(text) > 60 ? "..." : "",
                       acc_error_text(r));
}

int acc_point(struct proxy *p, bool insert, int type, uint64_t addr, unsigned len)
{
    if (session_requestf(&p->sess, SIDE_SHELL, "%c%d,%llx,%x", insert ? 'Z' : 'z', type,
                         (unsigned long long)addr, len))
        return link_error(p);
    if (strcmp(p->sess.reply, "OK") != 0)
        return proxy_error(p, "cannot %s %s at 0x%llx: %s", insert ? "set" : "remove",
                           type == 0 ? "breakpoint" : type == 1 ? "hardware breakpoint" : "watchpoint",
                           (unsigned long long)addr, acc_error_text(p->sess.reply));
    return 0;
}

int acc_resume(struct proxy *p, bool step, long cpu)
{
    char pkt[64];
    if (step)
        snprintf(pkt, sizeof pkt, "vCont;s:%lx", cpu);
    else if (p->pin)
        snprintf(pkt, sizeof pkt, "vCont;c:%lx", p->pin);
    else
        snprintf(pkt, sizeof pkt, "vCont;c");
    if (session_resume(&p->sess, SIDE_SHELL, pkt, strlen(pkt)))
        return link_error(p);
    return 0;
}
