/* Run control: cont, stop, step, pin, why. */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "cmd_handlers.h"

#define STOP_TIMEOUT_MS 5000
#define STEP_TIMEOUT_MS 5000
#define MAX_STEPS 100000

int cmd_cont(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (acc_resume(p, false, p->cpu))
        return -1;
    if (p->pin)
        printf("running cpu %ld only (pinned); 'stop' stops it\n", p->pin);
    else
        printf("running; 'stop' stops it\n");
    return 0;
}

int cmd_stop(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!p->sess.running) {
        printf("the target is stopped\n");
        return 0;
    }
    if (session_interrupt(&p->sess) || session_wait_stop(&p->sess, STOP_TIMEOUT_MS))
        return proxy_error(p, "stop: %s", p->sess.err);
    return 0;
}

int cmd_step(struct proxy *p, int argc, char **argv)
{
    uint64_t n = 1;
    if (argc > 1 && !arg_number(p, argv[1], "step count", &n))
        return -1;
    if (n == 0 || n > MAX_STEPS)
        return proxy_error(p, "step count must be 1 to %d", MAX_STEPS);
    long cpu = p->cpu;
    p->quiet_stops = true;
    for (uint64_t i = 0; i < n; i++) {
        if (acc_resume(p, true, cpu) || session_wait_stop(&p->sess, STEP_TIMEOUT_MS)) {
            p->quiet_stops = false;
            if (p->sess.running)
                return proxy_error(p, "step: %s", p->sess.err);
            return -1;
        }
        struct rsp_stop st;
        if (!rsp_parse_stop(p->sess.reply, p->sess.reply_len, &st)) {
            p->quiet_stops = false;
            return proxy_error(p, "step refused: %s", acc_error_text(p->sess.reply));
        }
        /* Anything but the step's own trap ends the loop and is shown. */
        bool plain = st.kind == 'T' && st.signal == 5 && !st.has_watch_addr &&
                     (!st.reason || strcmp(st.reason, "trace") == 0);
        if (!plain) {
            print_stop(p, p->sess.reply, p->sess.reply_len, false);
            break;
        }
    }
    p->quiet_stops = false;
    p->cpu = cpu;
    uint64_t rip;
    if (acc_reg(p, cpu, "rip", &rip))
        return -1;
    printf("cpu %ld rip %s\n", cpu, describe_address(p, rip));
    return 0;
}

/* The monitor's own `pin` (when it has one) holds the other CPUs for every
 * client, GDB's continues too; the shell's `cont` pins by itself either way
 * (vCont;c:N resumes only that thread). */
static int monitor_pin(struct proxy *p, long cpu)
{
    char help[4096], text[32];
    if (acc_monitor(p, "help", help, sizeof help) != 0 || !strstr(help, "\n  pin "))
        return 0;
    if (cpu)
        snprintf(text, sizeof text, "pin %ld", cpu - 1);   /* the monitor counts from 0 */
    else
        snprintf(text, sizeof text, "pin off");
    return acc_monitor(p, text, NULL, 0);
}

int cmd_pin(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    uint64_t n;
    if (strcmp(argv[1], "off") == 0) {
        if (monitor_pin(p, 0))
            return -1;
        p->pin = 0;
        printf("cont resumes every cpu\n");
        return 0;
    }
    if (!arg_number(p, argv[1], "cpu number", &n))
        return -1;
    if (n == 0)
        return proxy_error(p, "cpus are numbered from 1");
    if (monitor_pin(p, (long)n))
        return -1;
    p->pin = (long)n;
    printf("cont resumes cpu %ld only\n", p->pin);
    return 0;
}

int cmd_why(struct proxy *p, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!p->sess.have_stop) {
        if (session_request(&p->sess, SIDE_SHELL, "?", 1))
            return proxy_error(p, "%s", p->sess.err);
    }
    if (!p->sess.have_stop)
        return proxy_error(p, "the monitor reports no stop");
    print_stop(p, p->sess.last_stop, strlen(p->sess.last_stop), false);
    /* The monitor may know more: the exceptions the CPU took on the way. */
    char help[4096], text[32];
    if (acc_monitor(p, "help", help, sizeof help) == 0 && strstr(help, "\n  why ")) {
        snprintf(text, sizeof text, "why %ld", p->cpu - 1);
        return acc_monitor(p, text, NULL, 0);
    }
    return 0;
}
