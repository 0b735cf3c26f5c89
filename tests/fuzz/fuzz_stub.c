/*
 * tests/fuzz/fuzz_stub.c - libFuzzer target on the stub's input path.
 *
 * Each input is fed to a fresh stub in chunks whose sizes come from the
 * input itself. With the top bit of the first byte set, the rest is a list
 * of packet bodies separated by newlines that the harness frames with
 * correct checksums, so mutations reach the handlers instead of dying at
 * the checksum; otherwise the bytes go in raw. The target is against a small in-memory target that answers like a real
 * one (registers, memory with holes, breakpoints, commands). Stop events are
 * reported whenever the stub resumes the target, so the stop-reply path is
 * exercised too. Everything the stub sends must frame and checksum the way
 * a client checks it. Built with ASan and UBSan (see stub/stub.mk).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/target/x86_64_target.h"
#include "stub/stub.h"

#define THREADS 3
#define MEM_BASE 0x1000u
/* Small, so replies stay short and executions many. */
#define MEM_SIZE 0x400u

struct fuzz_target {
    uint8_t regs[THREADS][X86_64_G_SIZE];
    uint8_t mem[MEM_SIZE];
    bool resumed;
    bool interrupted;
    size_t out_bytes;
};

static struct fuzz_target *T(void *t) { return t; }

static int f_count(void *t) { (void)t; return THREADS; }

static int f_read_reg(void *t, int th, int r, uint8_t *buf)
{
    const struct target_reg *d = &x86_64_target_desc.regs[r];
    if (th < 1 || th > THREADS)
        abort();                 /* the stub must never pass a bad thread */
    memcpy(buf, T(t)->regs[th - 1] + d->offset, d->size);
    return r == X86_REG_TSC ? TARGET_ERR : TARGET_OK;
}

static int f_write_reg(void *t, int th, int r, const uint8_t *buf)
{
    const struct target_reg *d = &x86_64_target_desc.regs[r];
    if (th < 1 || th > THREADS)
        abort();
    memcpy(T(t)->regs[th - 1] + d->offset, buf, d->size);
    return TARGET_OK;
}

static size_t f_read_mem(void *t, int th, uint64_t a, uint8_t *buf, size_t len, bool phys)
{
    (void)th;
    (void)phys;
    size_t n = 0;
    while (n < len && a + n >= MEM_BASE && a + n < MEM_BASE + MEM_SIZE && a + n >= a) {
        buf[n] = T(t)->mem[a + n - MEM_BASE];
        n++;
    }
    return n;
}

static int f_write_mem(void *t, int th, uint64_t a, const uint8_t *buf, size_t len, bool phys)
{
    (void)th;
    (void)phys;
    if (a < MEM_BASE || a + len > MEM_BASE + MEM_SIZE || a + len < a)
        return TARGET_EFAULT;
    memcpy(T(t)->mem + (a - MEM_BASE), buf, len);
    return TARGET_OK;
}

static int f_resume(void *t, const struct resume_action *a, int n)
{
    if (n != THREADS)
        abort();
    for (int i = 0; i < n; i++)
        if (a[i].kind > RESUME_STEP)
            abort();
    T(t)->resumed = true;
    return TARGET_OK;
}

static void f_interrupt(void *t) { T(t)->interrupted = true; }

static int f_point(void *t, enum point_type type, uint64_t addr, unsigned kind)
{
    (void)t;
    if (type > POINT_WATCH_ACCESS)
        abort();
    if (type >= POINT_WATCH_WRITE && (kind == 0 || kind > 8 || (addr & (kind - 1))))
        return TARGET_EINVAL;
    return addr & 0x100 ? TARGET_ENOSPC : TARGET_OK;
}

static int cmd_args(struct stub *s, void *t, const char *args)
{
    uint64_t v;
    char w[16];
    (void)t;
    while (!stub_arg_end(args)) {
        if (stub_arg_number(&args, &v))
            stub_printf(s, "number %llu 0x%llx\n", (unsigned long long)v, (unsigned long long)v);
        else if (stub_arg_word(&args, w, sizeof w))
            stub_printf(s, "word %-10s|%5s|\n", w, w);
        else
            return TARGET_EINVAL;
    }
    return 0;
}

static const struct stub_command commands[] = {
    { "args", "parse arguments", cmd_args },
};

static const struct target_ops ops = {
    .desc = &x86_64_target_desc,
    .thread_count = f_count,
    .read_reg = f_read_reg,
    .write_reg = f_write_reg,
    .read_mem = f_read_mem,
    .write_mem = f_write_mem,
    .resume = f_resume,
    .interrupt = f_interrupt,
    .insert_point = f_point,
    .remove_point = f_point,
    .num_watchpoints = 4,
    .commands = commands,
    .ncommands = 1,
};

/* What the stub sends is checked as a client would read it: acks between
 * packets, and every packet closed by the checksum of its body. The state
 * lives across writes: a packet may leave in more than one. */
static struct {
    enum { OUT_IDLE, OUT_BODY, OUT_CSUM1, OUT_CSUM2 } state;
    uint8_t sum;
    int csum_hi;
} out;

static int hex_digit(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static void check_output(const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = bytes[i];
        switch (out.state) {
        case OUT_IDLE:
            if (c == '$') {
                out.state = OUT_BODY;
                out.sum = 0;
            } else if (c != '+' && c != '-') {
                abort();            /* nothing else goes between packets */
            }
            break;
        case OUT_BODY:
            if (c == '$')
                abort();            /* never unescaped inside a body */
            if (c == '#')
                out.state = OUT_CSUM1;
            else
                out.sum = (uint8_t)(out.sum + c);
            break;
        case OUT_CSUM1:
            out.csum_hi = hex_digit(c);
            if (out.csum_hi < 0)
                abort();
            out.state = OUT_CSUM2;
            break;
        case OUT_CSUM2:
            if (hex_digit(c) < 0 || (uint8_t)(out.csum_hi << 4 | hex_digit(c)) != out.sum)
                abort();            /* a client would NAK it */
            out.state = OUT_IDLE;
            break;
        }
    }
}

static void sink(void *io, const uint8_t *bytes, size_t n)
{
    struct fuzz_target *t = io;
    /* Touch both ends so ASan checks the whole range handed out is valid. */
    if (n)
        t->out_bytes += (size_t)bytes[0] + bytes[n - 1];
    check_output(bytes, n);
}

static struct stub stub;
static struct fuzz_target target;
static uint8_t memory_image[MEM_SIZE];
static uint8_t framed[2 * 20000 + 4096];

/* "$body#cs" for every newline-separated body; returns the stream length. */
static size_t frame_packets(const uint8_t *data, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t out = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i < size && data[i] != '\n')
            continue;
        if (out + (i - start) + 4 > sizeof framed)
            break;
        uint8_t sum = 0;
        framed[out++] = '$';
        for (size_t k = start; k < i; k++) {
            sum = (uint8_t)(sum + data[k]);
            framed[out++] = data[k];
        }
        framed[out++] = '#';
        framed[out++] = (uint8_t)hex[sum >> 4];
        framed[out++] = (uint8_t)hex[sum & 15];
        start = i + 1;
    }
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!memory_image[1])
        for (unsigned i = 0; i < MEM_SIZE; i++)
            memory_image[i] = (uint8_t)i;
    memset(&target, 0, sizeof target);
    memcpy(target.mem, memory_image, MEM_SIZE);
    stub_init(&stub, &ops, &target, sink, &target);
    out.state = OUT_IDLE;
    if (size == 0)
        return 0;
    /* The first byte picks framing, output encoding and chunking stride. */
    unsigned stride = (data[0] & 0x3f) + 1;
    if (data[0] & 0x40)
        stub_set_rle(&stub, false);
    if (data[0] & 0x80) {
        size = frame_packets(data + 1, size - 1);
        data = framed;
    }
    size_t i = 0;
    unsigned stops = 0;
    while (i < size) {
        size_t n = size - i < stride ? size - i : stride;
        stub_input(&stub, data + i, n);
        i += n;
        if ((target.resumed || target.interrupted) && stub_target_running(&stub)) {
            struct stop_event ev = {
                .thread = (int)(stops % (THREADS + 2)),     /* includes invalid 0 and 4 */
                .reason = (enum stop_reason)(stops % 7),
                .signal = (int)(stops * 3 % 20),
                .watch_kind = (enum point_type)(stops % 5),
                .data_addr = 0x1000 + stops,
                .hw_index = stops % 4,
                .vector = stops * 7 % 40,
            };
            stops++;
            target.resumed = target.interrupted = false;
            stub_report_stop(&stub, &ev);
        }
    }
    return 0;
}
