/* Link to the monitor. See link.h. */
#include "link.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

static const struct { int rate; speed_t code; } bauds[] = {
    { 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 },
    { 115200, B115200 }, { 230400, B230400 }, { 460800, B460800 },
    { 921600, B921600 }, { 1500000, B1500000 }, { 3000000, B3000000 },
};

static bool baud_code(int rate, speed_t *code)
{
    for (size_t i = 0; i < sizeof bauds / sizeof bauds[0]; i++)
        if (bauds[i].rate == rate) {
            *code = bauds[i].code;
            return true;
        }
    return false;
}

bool link_baud_supported(int baud)
{
    speed_t c;
    return baud_code(baud, &c);
}

static int open_socket(struct link *l, char *err, size_t errsize)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(l->path) >= sizeof sa.sun_path) {
        snprintf(err, errsize, "socket path too long: %s", l->path);
        return -1;
    }
    strcpy(sa.sun_path, l->path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        snprintf(err, errsize, "cannot connect to %s: %s", l->path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    l->fd = fd;
    return 0;
}

/* 8N1, no flow control, no line discipline: every byte is protocol. */
static int open_tty(struct link *l, char *err, size_t errsize)
{
    speed_t code;
    if (!baud_code(l->baud, &code)) {
        snprintf(err, errsize, "unsupported baud rate %d", l->baud);
        return -1;
    }
    int fd = open(l->path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errsize, "cannot open %s: %s", l->path, strerror(errno));
        return -1;
    }
    struct termios t;
    if (tcgetattr(fd, &t) < 0) {
        snprintf(err, errsize, "%s is not a terminal: %s", l->path, strerror(errno));
        close(fd);
        return -1;
    }
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cflag &= ~(CRTSCTS | CSTOPB | PARENB);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    cfsetispeed(&t, code);
    cfsetospeed(&t, code);
    if (tcsetattr(fd, TCSANOW, &t) < 0) {
        snprintf(err, errsize, "cannot configure %s: %s", l->path, strerror(errno));
        close(fd);
        return -1;
    }
    tcflush(fd, TCIOFLUSH);
    l->fd = fd;
    return 0;
}

int link_open(struct link *l, char *err, size_t errsize)
{
    l->fd = -1;
    return l->tty ? open_tty(l, err, errsize) : open_socket(l, err, errsize);
}

void link_close(struct link *l)
{
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
}

bool link_up(const struct link *l)
{
    return l->fd >= 0;
}

int link_write(struct link *l, const void *buf, size_t len)
{
    const char *p = buf;
    while (len && l->fd >= 0) {
        ssize_t n = write(l->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            struct pollfd pfd = { .fd = l->fd, .events = POLLOUT };
            poll(&pfd, 1, 1000);
            continue;
        }
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return l->fd >= 0 ? 0 : -1;
}

ssize_t link_read(struct link *l, void *buf, size_t len)
{
    if (l->fd < 0)
        return -1;
    ssize_t n;
    do
        n = read(l->fd, buf, len);
    while (n < 0 && errno == EINTR);
    return n;
}
