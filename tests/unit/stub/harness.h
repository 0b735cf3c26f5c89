/*
 * tests/unit/stub/harness.h - a fake 2-thread target and helpers that feed
 * packets to a stub and pick apart what it sent back.
 */
#ifndef STUB_TEST_HARNESS_H
#define STUB_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/target/x86_64_target.h"
#include "stub/stub.h"

#define FAKE_THREADS 2
#define FAKE_MEM_BASE 0x1000u
#define FAKE_MEM_SIZE 0x10000u

struct fake_target {
    uint8_t regs[FAKE_THREADS][X86_64_G_SIZE];
    uint8_t mem[FAKE_MEM_SIZE];        /* virtual FAKE_MEM_BASE.. ; physical 0.. */
    struct resume_action last_actions[FAKE_THREADS];
    int resumes;
    int interrupts;
    int detaches;
    int kills;
    int inserted, removed;
    enum point_type last_type;
    uint64_t last_addr;
    unsigned last_kind;
    int point_status;                  /* what insert/remove return */
    int last_mem_thread;
    bool last_mem_physical;
    int cmd_calls;
    char cmd_args[128];
};

struct harness {
    struct stub stub;
    struct fake_target t;
    uint8_t out[200000];
    size_t out_len;
};

extern const struct target_ops fake_ops;

/* The stub's write callback: appends to h->out (io is the harness). */
void harness_capture(void *io, const uint8_t *bytes, size_t n);

/* A fresh stub on a fresh fake target (heap: struct stub is large). */
struct harness *harness_new(void);
void harness_free(struct harness *h);

void feed(struct harness *h, const char *bytes);
void feed_n(struct harness *h, const void *bytes, size_t n);
/* Frame `body` ($body#cs) and feed it. */
void feed_packet(struct harness *h, const char *body);
void feed_packet_n(struct harness *h, const void *body, size_t n);
void clear_output(struct harness *h);

/* Decode the last packet in the output (unescaped, run-length expanded)
 * into buf; returns its length or -1 if there is none or it is malformed
 * (bad checksum included). */
int last_reply(struct harness *h, char *buf, size_t cap);
/* Count of complete packets in the output. */
int reply_count(struct harness *h);
/* Send body, clear output first, and return the reply as a static string. */
const char *request(struct harness *h, const char *body);

uint64_t fake_reg(struct harness *h, int thread, int regnum);
void set_fake_reg(struct harness *h, int thread, int regnum, uint64_t v);

#endif
