/* tests/unit/stub/harness.c - see harness.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct fake_target *T(void *t)
{
    return t;
}

static int f_thread_count(void *t)
{
    (void)t;
    return FAKE_THREADS;
}

static int f_read_reg(void *t, int thread, int regnum, uint8_t *buf)
{
    const struct target_reg *r = &x86_64_target_desc.regs[regnum];
    if (regnum == X86_REG_TSC)
        return TARGET_ERR;    /* one unreadable register, shown as xx */
    memcpy(buf, T(t)->regs[thread - 1] + r->offset, r->size);
    return TARGET_OK;
}

static int f_write_reg(void *t, int thread, int regnum, const uint8_t *buf)
{
    const struct target_reg *r = &x86_64_target_desc.regs[regnum];
    memcpy(T(t)->regs[thread - 1] + r->offset, buf, r->size);
    return TARGET_OK;
}

static bool f_map(uint64_t addr, bool physical, uint64_t *off)
{
    uint64_t base = physical ? 0 : FAKE_MEM_BASE;
    if (addr < base || addr - base >= FAKE_MEM_SIZE)
        return false;
    *off = addr - base;
    return true;
}

static size_t f_read_mem(void *t, int thread, uint64_t addr, uint8_t *buf, size_t len,
                         bool physical)
{
    uint64_t off;
    size_t n = 0;
    T(t)->last_mem_thread = thread;
    T(t)->last_mem_physical = physical;
    while (n < len && f_map(addr + n, physical, &off))
        buf[n++] = T(t)->mem[off];
    return n;
}

static int f_write_mem(void *t, int thread, uint64_t addr, const uint8_t *buf, size_t len,
                       bool physical)
{
    uint64_t off;
    T(t)->last_mem_thread = thread;
    T(t)->last_mem_physical = physical;
    for (size_t i = 0; i < len; i++)
        if (!f_map(addr + i, physical, &off))
            return TARGET_EFAULT;
    for (size_t i = 0; i < len; i++) {
        f_map(addr + i, physical, &off);
        T(t)->mem[off] = buf[i];
    }
    return TARGET_OK;
}

static int f_resume(void *t, const struct resume_action *a, int n)
{
    memcpy(T(t)->last_actions, a, sizeof a[0] * (size_t)n);
    T(t)->resumes++;
    return TARGET_OK;
}

static void f_interrupt(void *t)
{
    T(t)->interrupts++;
}

static int f_insert(void *t, enum point_type type, uint64_t addr, unsigned kind)
{
    T(t)->inserted++;
    T(t)->last_type = type;
    T(t)->last_addr = addr;
    T(t)->last_kind = kind;
    return T(t)->point_status;
}

static int f_remove(void *t, enum point_type type, uint64_t addr, unsigned kind)
{
    T(t)->removed++;
    T(t)->last_type = type;
    T(t)->last_addr = addr;
    T(t)->last_kind = kind;
    return T(t)->point_status;
}

static void f_detach(void *t)
{
    T(t)->detaches++;
}

static void f_kill(void *t)
{
    T(t)->kills++;
}

static int cmd_echo(struct stub *s, void *t, const char *args)
{
    T(t)->cmd_calls++;
    snprintf(T(t)->cmd_args, sizeof T(t)->cmd_args, "%s", args);
    stub_printf(s, "echo:%s\n", args);
    return 0;
}

static int cmd_fail(struct stub *s, void *t, const char *args)
{
    (void)args;
    T(t)->cmd_calls++;
    stub_printf(s, "failing\n");
    return TARGET_EFAULT;
}

static int cmd_flood(struct stub *s, void *t, const char *args)
{
    (void)t;
    (void)args;
    for (int i = 0; i < 100; i++)
        stub_printf(s, "line %d of a long output without newlines ", i);
    return 0;
}

static const struct stub_command fake_commands[] = {
    { "echo", "print the arguments", cmd_echo },
    { "fail", "always fails", cmd_fail },
    { "flood", "lots of output", cmd_flood },
};

const struct target_ops fake_ops = {
    .desc = &x86_64_target_desc,
    .thread_count = f_thread_count,
    .read_reg = f_read_reg,
    .write_reg = f_write_reg,
    .read_mem = f_read_mem,
    .write_mem = f_write_mem,
    .resume = f_resume,
    .interrupt = f_interrupt,
    .insert_point = f_insert,
    .remove_point = f_remove,
    .num_watchpoints = 4,
    .detach = f_detach,
    .kill = f_kill,
    .commands = fake_commands,
    .ncommands = 3,
};

void harness_capture(void *io, const uint8_t *bytes, size_t n)
{
    struct harness *h = io;
    if (h->out_len + n > sizeof h->out) {
        fprintf(stderr, "harness: output overflow\n");
        abort();
    }
    memcpy(h->out + h->out_len, bytes, n);
    h->out_len += n;
}

uint64_t fake_reg(struct harness *h, int thread, int regnum)
{
    const struct target_reg *r = &x86_64_target_desc.regs[regnum];
    uint64_t v = 0;
    for (unsigned i = r->size < 8 ? r->size : 8; i-- > 0;)
        v = v << 8 | h->t.regs[thread - 1][r->offset + i];
    return v;
}

void set_fake_reg(struct harness *h, int thread, int regnum, uint64_t v)
{
    const struct target_reg *r = &x86_64_target_desc.regs[regnum];
    for (unsigned i = 0; i < r->size && i < 8; i++)
        h->t.regs[thread - 1][r->offset + i] = (uint8_t)(v >> (8 * i));
}

struct harness *harness_new(void)
{
    struct harness *h = calloc(1, sizeof *h);
    if (!h)
        abort();
    for (int t = 1; t <= FAKE_THREADS; t++) {
        for (int r = 0; r < X86_REG_COUNT; r++)
            set_fake_reg(h, t, r, 0x100u * (unsigned)t + (unsigned)r);
        set_fake_reg(h, t, X86_REG_RIP, 0x1000u * (unsigned)t + 0x10);
    }
    for (unsigned i = 0; i < FAKE_MEM_SIZE; i++)
        h->t.mem[i] = (uint8_t)i;
    stub_init(&h->stub, &fake_ops, &h->t, harness_capture, h);
    return h;
}

void harness_free(struct harness *h)
{
    free(h);
}

void feed_n(struct harness *h, const void *bytes, size_t n)
{
    stub_input(&h->stub, bytes, n);
}

void feed(struct harness *h, const char *bytes)
{
    feed_n(h, bytes, strlen(bytes));
}

void feed_packet_n(struct harness *h, const void *body, size_t n)
{
    const uint8_t *b = body;
    uint8_t sum = 0;
    char tail[4];
    for (size_t i = 0; i < n; i++)
        sum = (uint8_t)(sum + b[i]);
    feed(h, "$");
    feed_n(h, body, n);
    snprintf(tail, sizeof tail, "#%02x", sum);
    feed(h, tail);
}

void feed_packet(struct harness *h, const char *body)
{
    feed_packet_n(h, body, strlen(body));
}

void clear_output(struct harness *h)
{
    h->out_len = 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decode the packet starting at out[start] ('$'); returns its end or 0. */
static size_t decode_at(struct harness *h, size_t start, char *buf, size_t cap, int *len)
{
    size_t i = start + 1, n = 0;
    uint8_t sum = 0;
    while (i < h->out_len && h->out[i] != '#') {
        uint8_t c = h->out[i++];
        sum = (uint8_t)(sum + c);
        if (c == '}') {
            if (i >= h->out_len)
                return 0;
            sum = (uint8_t)(sum + h->out[i]);
            c = h->out[i++] ^ 0x20;
        } else if (c == '*') {
            if (i >= h->out_len || n == 0)
                return 0;
            sum = (uint8_t)(sum + h->out[i]);
            int extra = h->out[i++] - 29;
            while (extra-- > 0 && n < cap)
                buf[n] = buf[n - 1], n++;
            continue;
        }
        if (n < cap)
            buf[n++] = (char)c;
    }
    if (i + 2 >= h->out_len)
        return 0;
    int hi = hexval(h->out[i + 1]), lo = hexval(h->out[i + 2]);
    if (hi < 0 || lo < 0 || (uint8_t)(hi << 4 | lo) != sum)
        return 0;
    if (n < cap)
        buf[n] = '\0';
    *len = (int)n;
    return i + 3;
}

int last_reply(struct harness *h, char *buf, size_t cap)
{
    int len = -1;
    for (size_t i = 0; i < h->out_len; i++) {
        if (h->out[i] != '$')
            continue;
        int l;
        size_t end = decode_at(h, i, buf, cap, &l);
        if (!end)
            return -1;
        len = l;
        i = end - 1;
    }
    return len;
}

int reply_count(struct harness *h)
{
    static char buf[70000];
    int count = 0;
    for (size_t i = 0; i < h->out_len; i++) {
        if (h->out[i] != '$')
            continue;
        int l;
        size_t end = decode_at(h, i, buf, sizeof buf, &l);
        if (!end)
            return count;
        count++;
        i = end - 1;
    }
    return count;
}

const char *request(struct harness *h, const char *body)
{
    static char buf[70000];
    clear_output(h);
    feed_packet(h, body);
    if (last_reply(h, buf, sizeof buf - 1) < 0)
        return "<no reply>";
    return buf;
}
