/* fd-pass.c: see fd-pass.h. */
#include "fd-pass.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

union fd_cmsg {
    char buf[CMSG_SPACE(sizeof(int) * BERTH_FD_PASS_MAX)];
    struct cmsghdr align;
};

int berth_fds_send(int sock, const char *data, const int *fds, size_t n, const char *what,
                   berth_error_t *err)
{
    union fd_cmsg u;
    struct iovec iov = {.iov_base = (void *)data, .iov_len = strlen(data)};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    struct cmsghdr *c;
    ssize_t r;

    if (n == 0 || n > BERTH_FD_PASS_MAX || iov.iov_len == 0)
        return berth_error_make(err, EINVAL, "send %s: %zu fds", what, n);
    memset(&u, 0, sizeof(u));
    msg.msg_control = u.buf;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
    c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    do
        r = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return berth_error_errno(err, "send %s", what);
    return 0;
}

/* Takes the fds of every SCM_RIGHTS record; returns how many (or -1 when
 * more than max came: they are closed). */
static long take_fds(struct msghdr *msg, int *fds, size_t max)
{
    size_t got = 0;
    bool over = false;

    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
            int fd;

            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (got < max)
                fds[got++] = fd;
            else {
                close(fd);
                over = true;
            }
        }
    }
    return over ? -1 : (long)got;
}

int berth_fds_recv(int sock, char *buf, size_t size, int *fds, size_t n, const char *what,
                   berth_error_t *err)
{
    union fd_cmsg u;
    char dummy[256];
    struct iovec iov = {.iov_base = buf ? buf : dummy, .iov_len = (buf ? size : sizeof(dummy)) - 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf};
    long got;
    ssize_t r;

    if (n == 0 || n > BERTH_FD_PASS_MAX)
        return berth_error_make(err, EINVAL, "receive %s: %zu fds", what, n);
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
    do
        r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return berth_error_errno(err, "receive %s", what);
    if (r == 0)
        return berth_error_make(err, EPIPE, "receive %s: peer closed the socket", what);
    got = take_fds(&msg, fds, n);
    if (got != (long)n || (msg.msg_flags & MSG_CTRUNC)) {
        for (long i = 0; i < got; i++)
            close(fds[i]);
        return berth_error_make(err, ENOMSG, "receive %s: expected %zu fds", what, n);
    }
    ((char *)iov.iov_base)[r] = '\0';
    return 0;
}
