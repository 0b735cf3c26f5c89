/* core FILE [--all]: every CPU's registers and the guest's memory as an
 * ELF core that `gdb GUEST.elf FILE` opens. Memory is read physically, by
 * the physical address each mapping points at. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "cmd_handlers.h"
#include "core.h"
#include "pagewalk.h"
#include "progress.h"

#define MIB (1ULL << 20)
#define PAGE 4096ULL
#define PROBE_LIMIT (4ULL << 30)       /* RAM is looked for below 4 GiB */
#define ABSENT_STOP 64                  /* this many empty MiB after RAM: done */
#define MAX_SEGMENTS 65536

/* user_regs_struct field <- target register. */
static const struct { size_t offset; const char *reg; } prstatus_regs[] = {
#define R(field, name) { offsetof(struct user_regs_struct, field), name }
    R(r15, "r15"), R(r14, "r14"), R(r13, "r13"), R(r12, "r12"), R(rbp, "rbp"),
    R(rbx, "rbx"), R(r11, "r11"), R(r10, "r10"), R(r9, "r9"), R(r8, "r8"),
    R(rax, "rax"), R(rcx, "rcx"), R(rdx, "rdx"), R(rsi, "rsi"), R(rdi, "rdi"),
    R(rip, "rip"), R(cs, "cs"), R(eflags, "eflags"), R(rsp, "rsp"), R(ss, "ss"),
    R(fs_base, "fs_base"), R(gs_base, "gs_base"), R(ds, "ds"), R(es, "es"),
    R(fs, "fs"), R(gs, "gs"),
#undef R
};

struct core_job {
    struct proxy *p;
    struct core_segment *segs;
    int nsegs;
    uint64_t skipped_device;   /* uncacheable (device) mappings left out */
    struct progress pr;
};

static int read_phys(void *ctx, uint64_t pa, void *buf, size_t len)
{
    struct proxy *p = ctx;
    return acc_read(p, p->cpu, pa, buf, len, true, NULL) == (long)len ? 0 : -1;
}

static int read_segment(void *ctx, const struct core_segment *seg, uint64_t off, void *buf, size_t len)
{
    struct core_job *job = ctx;
    if (!session_up(&job->p->sess))
        return CORE_READ_ABORT;
    return read_phys(job->p, seg->paddr + off, buf, len);
}

static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)total;
    progress_update(&((struct core_job *)ctx)->pr, done);
}

static bool overlaps(const struct core_job *job, uint64_t va, uint64_t size)
{
    for (int i = 0; i < job->nsegs; i++)
        if (va < job->segs[i].vaddr + job->segs[i].size && job->segs[i].vaddr < va + size)
            return true;
    return false;
}

static void add_segment(struct core_job *job, uint64_t va, uint64_t pa, uint64_t size, unsigned flags)
{
    if (job->nsegs == MAX_SEGMENTS || overlaps(job, va, size))
        return;
    job->segs[job->nsegs++] = (struct core_segment){ va, pa, size, flags };
}

/* Mappings of every distinct CR3, the first CPU's first (a shard's 0x1000
 * on another CPU would clash with this one's). */
static int add_mapped(struct core_job *job, const uint64_t *cr3s, int ncpus, const long *ids)
{
    int walked = 0;
    for (int i = 0; i < ncpus; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen |= cr3s[j] == cr3s[i];
        if (seen)
            continue;
        struct pw_range *r = NULL;
        size_t n = 0;
        if (pagewalk_ranges(read_phys, job->p, cr3s[i], &r, &n) != PW_OK) {
            fprintf(stderr, "core: cpu %ld: page tables at cr3 0x%llx unreadable; no memory from them\n",
                    ids[i], (unsigned long long)cr3s[i]);
            continue;
        }
        walked++;
        for (size_t k = 0; k < n; k++) {
            if (r[k].flags & PW_UNCACHED) {
                job->skipped_device += r[k].size;
                continue;
            }
            add_segment(job, r[k].va, r[k].pa, r[k].size, r[k].flags);
        }
        free(r);
    }
    return walked;
}

static bool page_readable(struct proxy *p, uint64_t pa)
{
    uint8_t b;
    return read_phys(p, pa, &b, 1) == 0;
}

/* Physical RAM, found by probing every MiB and then each page of the MiBs
 * that answer; identity-placed (vaddr = paddr). */
static void add_ram(struct core_job *job)
{
    uint64_t start = 0;
    bool in_run = false, found = false;
    int absent = 0;
    for (uint64_t mib = 0; mib < PROBE_LIMIT && absent < ABSENT_STOP; mib += MIB) {
        bool any = page_readable(job->p, mib) || page_readable(job->p, mib + MIB - PAGE);
        absent = any ? 0 : found ? absent + 1 : 0;
        found |= any;
        for (uint64_t pa = mib; pa < mib + MIB; pa += PAGE) {
            bool ok = any && page_readable(job->p, pa);
            if (ok && !in_run) {
                start = pa;
                in_run = true;
            } else if (!ok && in_run) {
                add_segment(job, start, start, pa - start, 7);
                in_run = false;
            }
            if (!any)
                break;
        }
        if (!any && in_run) {
            add_segment(job, start, start, mib - start, 7);
            in_run = false;
        }
    }
    if (in_run)
        fprintf(stderr, "core: RAM continues past 4 GiB; stopped there\n");
}

static int cpu_state(struct proxy *p, long id, struct core_cpu *cpu, uint64_t *cr3)
{
    uint8_t g[4096];
    long len = acc_regs(p, id, g, sizeof g);
    if (len < 0)
        return -1;
    memset(cpu, 0, sizeof *cpu);
    cpu->id = (int)id;
    for (size_t i = 0; i < sizeof prstatus_regs / sizeof prstatus_regs[0]; i++) {
        uint64_t v = 0;
        regs_get(&p->sess.layout, g, (size_t)len, prstatus_regs[i].reg, &v);
        memcpy((char *)&cpu->regs + prstatus_regs[i].offset, &v, sizeof v);
    }
    *cr3 = 0;
    regs_get(&p->sess.layout, g, (size_t)len, "cr3", cr3);
    return 0;
}

int cmd_core(struct proxy *p, int argc, char **argv)
{
    bool all = argc > 2 && strcmp(argv[2], "--all") == 0;
    if (argc > 2 && !all)
        return proxy_error(p, "usage: core FILE [--all]");
    long ids[MAX_CPUS];
    int n = acc_threads(p, ids, MAX_CPUS);
    if (n < 0)
        return -1;
    /* The selected CPU first: GDB makes the first NT_PRSTATUS current. */
    for (int i = 1; i < n; i++)
        if (ids[i] == p->cpu) {
            ids[i] = ids[0];
            ids[0] = p->cpu;
        }
    struct core_cpu cpus[MAX_CPUS];
    uint64_t cr3s[MAX_CPUS];
    for (int i = 0; i < n; i++)
        if (cpu_state(p, ids[i], &cpus[i], &cr3s[i]))
            return -1;

    struct core_job job = { .p = p, .segs = calloc(MAX_SEGMENTS, sizeof(struct core_segment)) };
    if (!job.segs)
        return proxy_error(p, "out of memory");
    int walked = add_mapped(&job, cr3s, n, ids);
    if (all)
        add_ram(&job);
    else if (!walked)
        fprintf(stderr, "core: no page tables could be walked; 'core FILE --all' adds physical RAM\n");

    uint64_t total = 0;
    for (int i = 0; i < job.nsegs; i++)
        total += job.segs[i].size;
    progress_start(&job.pr, "core", total);
    struct core_result res;
    char err[256];
    int rc = core_write(argv[1], cpus, n, job.segs, job.nsegs, read_segment, &job,
                        show_progress, &job, &res, err, sizeof err);
    if (rc == 0)
        progress_finish(&job.pr, res.bytes);
    free(job.segs);
    if (rc)
        return proxy_error(p, "core: %s", err);
    printf("core: wrote %s: %d cpu%s, %d segment%s, %llu bytes of memory", argv[1], n,
           n == 1 ? "" : "s", job.nsegs, job.nsegs == 1 ? "" : "s", (unsigned long long)res.bytes);
    if (res.unreadable)
        printf(" (%llu unreadable, stored as zeros)", (unsigned long long)res.unreadable);
    if (job.skipped_device)
        printf("; %llu bytes of device mappings left out", (unsigned long long)job.skipped_device);
    printf("\n");
    return 0;
}
