/* The link to the monitor's debug UART: a Unix socket (QEMU's chardev) or
 * a serial device in raw mode. */
#ifndef PROXY_LINK_H
#define PROXY_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct link {
    const char *path;   /* socket path or tty device */
    bool tty;
    int baud;
    int fd;             /* -1 while down */
};

/* Opens the link; returns 0 or -1 with a one-line reason in `err`. */
int link_open(struct link *l, char *err, size_t errsize);
void link_close(struct link *l);
bool link_up(const struct link *l);
/* Writes everything (waiting on a full UART); -1 when the link broke. */
int link_write(struct link *l, const void *buf, size_t len);
/* One read of what is there; 0 means the peer closed, -1 an error. */
ssize_t link_read(struct link *l, void *buf, size_t len);
/* Maps a baud rate to its termios constant; false for unsupported rates. */
bool link_baud_supported(int baud);

#endif
