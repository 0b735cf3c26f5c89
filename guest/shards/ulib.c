#include "ulib.h"
#include "../lib/fmt.h"
#include <stdarg.h>

int64_t u_syscall(uint64_t nr, uint64_t a, uint64_t b, uint64_t c)
{
    int64_t ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return ret;
}

int64_t u_write(const void *buf, uint64_t len) { return u_syscall(SYS_SERIAL_WRITE, (uint64_t)buf, len, 0); }
void u_yield(void) { u_syscall(SYS_YIELD, 0, 0, 0); }
uint64_t u_getid(void) { return (uint64_t)u_syscall(SYS_GETID, 0, 0, 0); }
void u_sleep(uint64_t ticks) { u_syscall(SYS_SLEEP_TICKS, ticks, 0, 0); }
uint64_t u_ticks(void) { return (uint64_t)u_syscall(SYS_TICKS, 0, 0, 0); }

void *u_mmap(uint64_t pages)
{
    int64_t r = u_syscall(SYS_MMAP, pages, 0, 0);
    return r < 0 ? (void *)0 : (void *)r;
}

void u_exit(uint64_t code)
{
    u_syscall(SYS_EXIT, code, 0, 0);
    __builtin_unreachable();
}

void u_printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    u_write(buf, (uint64_t)n);
}
