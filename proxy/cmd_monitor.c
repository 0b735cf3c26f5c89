/* Commands the monitor carries out: monitor, log, catch. */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "cmd_handlers.h"

/* Joins argv[first..] with spaces into `out`; false when too long. */
static bool join(int argc, char **argv, int first, const char *prefix, char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "%s", prefix);
    for (int i = first; i < argc; i++) {
        int w = snprintf(out + n, size - n, "%s%s", n ? " " : "", argv[i]);
        if (w < 0 || (size_t)w >= size - n)
            return false;
        n += (size_t)w;
    }
    return true;
}

static int run(struct proxy *p, int argc, char **argv, int first, const char *prefix)
{
    char text[1024];
    if (!join(argc, argv, first, prefix, text, sizeof text))
        return proxy_error(p, "monitor command too long");
    return acc_monitor(p, text, NULL, 0);
}

int cmd_monitor(struct proxy *p, int argc, char **argv)
{
    return run(p, argc, argv, 1, "");
}

int cmd_log(struct proxy *p, int argc, char **argv)
{
    return run(p, argc, argv, 1, "log");
}

int cmd_catch(struct proxy *p, int argc, char **argv)
{
    return run(p, argc, argv, 1, "catch");
}
