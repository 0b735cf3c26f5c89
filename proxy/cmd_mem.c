/* Memory commands: x, xp, write, vtop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "cmd_handlers.h"
#include "cmdline.h"
#include "hexdump.h"
#include "pagewalk.h"

#define DEFAULT_DUMP 64
#define MAX_DUMP (16u << 20)

static int dump(struct proxy *p, int argc, char **argv, bool phys)
{
    uint64_t addr, len = DEFAULT_DUMP;
    if (!arg_address(p, argv[1], &addr))
        return -1;
    if (argc > 2 && !arg_number(p, argv[2], "length", &len))
        return -1;
    if (len == 0 || len > MAX_DUMP)
        return proxy_error(p, "length must be 1 to %u bytes", MAX_DUMP);
    uint8_t *buf = malloc(len);
    if (!buf)
        return proxy_error(p, "out of memory");
    long got = acc_read(p, p->cpu, addr, buf, len, phys, "read");
    if (got > 0)
        hexdump(stdout, addr, buf, (size_t)got);
    free(buf);
    if (got < 0)
        return -1;
    if ((uint64_t)got < len)
        return proxy_error(p, "unreadable %s memory at 0x%llx", phys ? "physical" : "virtual",
                           (unsigned long long)(addr + (uint64_t)got));
    return 0;
}

int cmd_x(struct proxy *p, int argc, char **argv)
{
    return dump(p, argc, argv, false);
}

int cmd_xp(struct proxy *p, int argc, char **argv)
{
    return dump(p, argc, argv, true);
}

int cmd_write(struct proxy *p, int argc, char **argv)
{
    uint64_t addr;
    uint8_t bytes[4096];
    char err[160];
    if (!arg_address(p, argv[1], &addr))
        return -1;
    long n = parse_bytes(argc - 2, argv + 2, bytes, sizeof bytes, err, sizeof err);
    if (n < 0)
        return proxy_error(p, "%s", err);
    if (acc_write(p, p->cpu, addr, bytes, (size_t)n, false))
        return -1;
    printf("wrote %ld byte%s at %s\n", n, n == 1 ? "" : "s", describe_address(p, addr));
    return 0;
}

static int read_phys(void *ctx, uint64_t pa, void *buf, size_t len)
{
    struct proxy *p = ctx;
    long got = acc_read(p, p->cpu, pa, buf, len, true, NULL);
    return got == (long)len ? 0 : -1;
}

/* The monitor translates when it has `vtop`; otherwise the proxy walks the
 * selected CPU's page tables itself through physical reads. */
int cmd_vtop(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    uint64_t va, cr3, pa, size, bad;
    char help[4096], text[64];
    if (!arg_address(p, argv[1], &va))
        return -1;
    if (acc_monitor(p, "help", help, sizeof help) == 0 && strstr(help, "vtop")) {
        /* the monitor numbers CPUs from 0; threads are CPUs from 1 */
        snprintf(text, sizeof text, "vtop 0x%llx %ld", (unsigned long long)va, p->cpu - 1);
        return acc_monitor(p, text, NULL, 0);
    }
    if (acc_reg(p, p->cpu, "cr3", &cr3))
        return -1;
    switch (pagewalk_translate(read_phys, p, cr3, va, &pa, &size, &bad)) {
    case PW_OK:
        printf("0x%llx -> physical 0x%llx (%llu KiB page, cr3 0x%llx)\n",
               (unsigned long long)va, (unsigned long long)pa,
               (unsigned long long)(size / 1024), (unsigned long long)cr3);
        return 0;
    case PW_NOT_MAPPED:
        return proxy_error(p, "0x%llx is not mapped by cpu %ld (cr3 0x%llx)",
                           (unsigned long long)va, p->cpu, (unsigned long long)cr3);
    default:
        return proxy_error(p, "cannot walk cpu %ld's page tables: table entry at physical 0x%llx unreadable",
                           p->cpu, (unsigned long long)bad);
    }
}
