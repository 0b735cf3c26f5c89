/*
 * tests/stub-demo/demo_main.c - `stub-demo [--log-dir DIR] SOCKET`: serve
 * the RSP stub for the simulated machine on a Unix socket, one client at a
 * time. This is the embedder's loop the monitor will have too: bytes in to
 * stub_input(), bytes out through a callback, stops reported when the
 * machine stops.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "demo_ops.h"

/* Instructions per CPU between two looks at the socket while running. */
#define RUN_SLICE 2000

static struct demo_machine machine;
static struct stub stub;

struct link {
    int fd;
    FILE *log;
};

static void link_write(void *io, const uint8_t *bytes, size_t n)
{
    struct link *l = io;
    while (n && l->fd >= 0) {
        ssize_t w = write(l->fd, bytes, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            /* The client is gone; the read side notices and cleans up. */
            return;
        }
        bytes += w;
        n -= (size_t)w;
    }
}

static int listen_on(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    if (strlen(path) >= sizeof sa.sun_path) {
        fprintf(stderr, "stub-demo: socket path too long: %s\n", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("stub-demo: socket");
        return -1;
    }
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 1) < 0) {
        fprintf(stderr, "stub-demo: cannot listen on %s: %s\n", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static FILE *open_log(const char *dir, unsigned session)
{
    char path[4096];
    if (!dir)
        return NULL;
    snprintf(path, sizeof path, "%s/session-%u.bin", dir, session);
    FILE *f = fopen(path, "wb");
    if (!f)
        fprintf(stderr, "stub-demo: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

/* Serve one client until it goes away. */
static void serve(struct link *l)
{
    uint8_t buf[4096];
    struct stop_event ev;

    stub_connection_reset(&stub);
    for (;;) {
        struct pollfd p = { .fd = l->fd, .events = POLLIN };
        int timeout = machine.running ? 1 : -1;
        if (machine.running && machine.interrupt_requested)
            timeout = 0;
        int r = poll(&p, 1, timeout);
        if (r < 0 && errno != EINTR)
            return;
        if (r > 0) {
            ssize_t n = read(l->fd, buf, sizeof buf);
            if (n <= 0)
                return;
            if (l->log) {
                fwrite(buf, 1, (size_t)n, l->log);
                fflush(l->log);
            }
            stub_input(&stub, buf, (size_t)n);
        }
        if (demo_run(&machine, RUN_SLICE, &ev))
            stub_report_stop(&stub, &ev);
    }
}

/*
 * Wait for the next client. A machine left running by a detach keeps
 * running meanwhile, slowly (a slice every 10 ms), so a client that comes
 * back sees that it moved; a stop it hits is kept for that client's `?`.
 */
static int accept_client(int lfd)
{
    struct stop_event ev;

    for (;;) {
        struct pollfd p = { .fd = lfd, .events = POLLIN };
        int r = poll(&p, 1, machine.running ? 10 : -1);
        if (r < 0 && errno != EINTR)
            return -1;
        if (r > 0) {
            int fd = accept(lfd, NULL, NULL);
            if (fd >= 0 || errno != EINTR)
                return fd;
        }
        if (demo_run(&machine, RUN_SLICE, &ev))
            stub_report_stop(&stub, &ev);
    }
}

int main(int argc, char **argv)
{
    const char *log_dir = NULL;
    const char *path = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--log-dir") == 0 && i + 1 < argc)
            log_dir = argv[++i];
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else
            path = NULL, i = argc;
    }
    if (!path) {
        fprintf(stderr, "usage: %s [--log-dir DIR] SOCKET\n", argv[0]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int lfd = listen_on(path);
    if (lfd < 0)
        return 1;
    demo_reset(&machine);
    struct link l = { -1, NULL };
    stub_init(&stub, &demo_target_ops, &machine, link_write, &l);
    fprintf(stderr, "stub-demo: listening on %s\n", path);
    for (unsigned session = 0;; session++) {
        int fd = accept_client(lfd);
        if (fd < 0) {
            perror("stub-demo: accept");
            return 1;
        }
        l.fd = fd;
        l.log = open_log(log_dir, session);
        serve(&l);
        close(fd);
        l.fd = -1;
        if (l.log)
            fclose(l.log);
        l.log = NULL;
    }
}
