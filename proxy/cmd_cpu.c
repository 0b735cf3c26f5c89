/* CPU commands: cpus, cpu, regs, sysregs. */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "cmd_handlers.h"

struct flag_bit { int bit; const char *name; };

static const struct flag_bit eflags_bits[] = {
    { 0, "CF" }, { 2, "PF" }, { 4, "AF" }, { 6, "ZF" }, { 7, "SF" }, { 8, "TF" },
    { 9, "IF" }, { 10, "DF" }, { 11, "OF" }, { 14, "NT" }, { 16, "RF" }, { 17, "VM" },
    { 18, "AC" }, { 19, "VIF" }, { 20, "VIP" }, { 21, "ID" },
};
static const struct flag_bit cr0_bits[] = {
    { 0, "PE" }, { 1, "MP" }, { 2, "EM" }, { 3, "TS" }, { 4, "ET" }, { 5, "NE" },
    { 16, "WP" }, { 18, "AM" }, { 29, "NW" }, { 30, "CD" }, { 31, "PG" },
};
static const struct flag_bit cr4_bits[] = {
    { 0, "VME" }, { 1, "PVI" }, { 2, "TSD" }, { 3, "DE" }, { 4, "PSE" }, { 5, "PAE" },
    { 6, "MCE" }, { 7, "PGE" }, { 8, "PCE" }, { 9, "OSFXSR" }, { 10, "OSXMMEXCPT" },
    { 11, "UMIP" }, { 16, "FSGSBASE" }, { 17, "PCIDE" }, { 18, "OSXSAVE" },
    { 20, "SMEP" }, { 21, "SMAP" }, { 22, "PKE" },
};
static const struct flag_bit efer_bits[] = {
    { 0, "SCE" }, { 8, "LME" }, { 10, "LMA" }, { 11, "NXE" }, { 12, "SVME" },
    { 13, "LMSLE" }, { 14, "FFXSR" }, { 15, "TCE" },
};

#define FLAGS(t) t, sizeof t / sizeof t[0]

static void print_flags(uint64_t v, const struct flag_bit *bits, size_t n)
{
    printf(" [");
    for (size_t i = 0; i < n; i++)
        if (v >> bits[i].bit & 1)
            printf(" %s", bits[i].name);
    printf(" ]");
}

/* What `regs` shows, in order; a symbol for code and stack pointers. */
static const struct { const char *name; bool symbol; } general[] = {
    { "rax", false }, { "rbx", false }, { "rcx", false }, { "rdx", false },
    { "rsi", false }, { "rdi", false }, { "rbp", false }, { "rsp", false },
    { "r8", false }, { "r9", false }, { "r10", false }, { "r11", false },
    { "r12", false }, { "r13", false }, { "r14", false }, { "r15", false },
    { "rip", true }, { "eflags", false },
    { "cs", false }, { "ss", false }, { "ds", false }, { "es", false },
    { "fs", false }, { "gs", false }, { "fs_base", false }, { "gs_base", false },
};

static bool cpu_arg(struct proxy *p, int argc, char **argv, long *cpu)
{
    uint64_t n;
    *cpu = p->cpu;
    if (argc < 2)
        return true;
    if (!arg_number(p, argv[1], "cpu number", &n))
        return false;
    *cpu = (long)n;
    return true;
}

int cmd_cpus(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    long ids[MAX_CPUS];
    int n = acc_threads(p, ids, MAX_CPUS);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        uint64_t rip = 0;
        if (acc_reg(p, ids[i], "rip", &rip))
            return -1;
        char extra[128] = "";
        if (session_requestf(&p->sess, SIDE_SHELL, "qThreadExtraInfo,%lx", ids[i]) == 0 &&
            !rsp_is_error(p->sess.reply, p->sess.reply_len)) {
            long len = rsp_unhex(extra, sizeof extra - 1, p->sess.reply, p->sess.reply_len);
            extra[len > 0 ? len : 0] = '\0';
        }
        printf("%c cpu %ld  rip %s  %s\n", ids[i] == p->cpu ? '*' : ' ', ids[i],
               describe_address(p, rip), extra);
    }
    return 0;
}

int cmd_cpu(struct proxy *p, int argc, char **argv)
{
    long ids[MAX_CPUS], cpu;
    if (!cpu_arg(p, argc, argv, &cpu))
        return -1;
    int n = acc_threads(p, ids, MAX_CPUS);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (ids[i] == cpu) {
            p->cpu = cpu;
            printf("cpu %ld selected\n", cpu);
            return 0;
        }
    return proxy_error(p, "no cpu %ld (the target has %d: see 'cpus')", cpu, n);
}

/* The `[cpu]` argument and that CPU's register block, under a `cpu N`
 * line: the block's length, or -1 (reported). */
static long cpu_regs(struct proxy *p, int argc, char **argv, long *cpu, uint8_t *g, size_t size)
{
    if (!cpu_arg(p, argc, argv, cpu))
        return -1;
    long len = acc_regs(p, *cpu, g, size);
    if (len >= 0)
        printf("cpu %ld\n", *cpu);
    return len;
}

int cmd_regs(struct proxy *p, int argc, char **argv)
{
    long cpu;
    uint8_t g[4096];
    long len = cpu_regs(p, argc, argv, &cpu, g, sizeof g);
    if (len < 0)
        return -1;
    for (size_t i = 0; i < sizeof general / sizeof general[0]; i++) {
        uint64_t v;
        if (!regs_get(&p->sess.layout, g, (size_t)len, general[i].name, &v))
            continue;
        if (general[i].symbol)
            printf("%-8s %s\n", general[i].name, describe_address(p, v));
        else
            printf("%-8s 0x%016llx", general[i].name, (unsigned long long)v);
        if (strcmp(general[i].name, "eflags") == 0)
            print_flags(v, FLAGS(eflags_bits));
        if (!general[i].symbol)
            printf("\n");
    }
    return 0;
}

static const struct { const char *name; const struct flag_bit *bits; size_t n; } system_regs[] = {
    { "cr0", FLAGS(cr0_bits) }, { "cr2", NULL, 0 }, { "cr3", NULL, 0 },
    { "cr4", FLAGS(cr4_bits) }, { "cr8", NULL, 0 }, { "efer", FLAGS(efer_bits) },
    { "fs_base", NULL, 0 }, { "gs_base", NULL, 0 }, { "k_gs_base", NULL, 0 },
};

/* Registers outside the features GDB knows are the monitor's extras
 * (descriptor tables, debug registers, SVM state): show them all. */
static bool is_extra(const struct reg_desc *r)
{
    return strcmp(r->feature, "org.gnu.gdb.i386.core") != 0 &&
           strcmp(r->feature, "org.gnu.gdb.i386.sse") != 0 &&
           strcmp(r->feature, "org.gnu.gdb.i386.linux") != 0 && r->bitsize <= 64;
}

int cmd_sysregs(struct proxy *p, int argc, char **argv)
{
    long cpu;
    uint8_t g[4096];
    long len = cpu_regs(p, argc, argv, &cpu, g, sizeof g);
    if (len < 0)
        return -1;
    for (size_t i = 0; i < sizeof system_regs / sizeof system_regs[0]; i++) {
        uint64_t v;
        if (!regs_get(&p->sess.layout, g, (size_t)len, system_regs[i].name, &v))
            continue;
        printf("%-10s 0x%016llx", system_regs[i].name, (unsigned long long)v);
        if (system_regs[i].bits)
            print_flags(v, system_regs[i].bits, system_regs[i].n);
        printf("\n");
    }
    for (int i = 0; i < p->sess.layout.count; i++) {
        const struct reg_desc *r = &p->sess.layout.regs[i];
        uint64_t v;
        if (is_extra(r) && acc_reg(p, cpu, r->name, &v) == 0)
            printf("%-10s 0x%016llx\n", r->name, (unsigned long long)v);
    }
    return 0;
}
