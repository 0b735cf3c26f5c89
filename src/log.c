#include "log.h"

#include <stdarg.h>
#include <stdbool.h>

#include "arch.h"
#include "lib/printf.h"
#include "spinlock.h"

static struct spinlock log_lock;
static char ring[LOG_RING_SIZE];
static size_t ring_head;      /* total bytes ever written */

static void ring_put(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ring[(ring_head + i) % LOG_RING_SIZE] = s[i];
    ring_head += n;
}

static void emit(bool console, const char *fmt, va_list ap)
{
    char line[256];
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof line - 2 ? (size_t)n : sizeof line - 2;
    if (len == 0 || line[len - 1] != '\n')
        line[len++] = '\n';
    spin_lock(&log_lock);
    ring_put("husk: ", 6);
    ring_put(line, len);
    if (console) {
        arch_console_write("husk: ", 6);
        arch_console_write(line, len);
    }
    spin_unlock(&log_lock);
}

void log_ring(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(false, fmt, ap);
    va_end(ap);
}

void log_console(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(true, fmt, ap);
    va_end(ap);
}

size_t log_read(char *buf, size_t len)
{
    spin_lock(&log_lock);
    size_t avail = ring_head < LOG_RING_SIZE ? ring_head : LOG_RING_SIZE;
    size_t n = len < avail ? len : avail;
    size_t start = ring_head - avail;
    for (size_t i = 0; i < n; i++)
        buf[i] = ring[(start + i) % LOG_RING_SIZE];
    spin_unlock(&log_lock);
    return n;
}
