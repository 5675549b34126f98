/* console-receiver: the engine side of --console-socket, for tests.
 *
 *   console-receiver SOCKET [INPUT [TIMEOUT_S]]
 *
 * Listens on the unix socket path SOCKET, accepts one connection, receives
 * the pty master by SCM_RIGHTS (as conmon/containerd do), writes INPUT (C
 * escapes \n \r \t \\ \004 understood) to it, then copies everything the
 * pty prints to stdout until the container side closes (EIO) or TIMEOUT_S
 * (default 10) passes. The pty name sent along goes to stderr as
 * "name=<data>". Exit: 0 on EIO/EOF, 2 on timeout, 1 on errors.
 * Self-contained (no libberth): it checks berth's wire format, not reuses
 * it. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int die(const char *what)
{
    fprintf(stderr, "console-receiver: %s: %s\n", what, strerror(errno));
    return 1;
}

static size_t unescape(const char *in, char *out)
{
    size_t n = 0;

    for (; *in; in++) {
        if (*in != '\\' || !in[1]) {
            out[n++] = *in;
            continue;
        }
        in++;
        switch (*in) {
        case 'n':
            out[n++] = '\n';
            break;
        case 'r':
            out[n++] = '\r';
            break;
        case 't':
            out[n++] = '\t';
            break;
        case '0': {
            int v = 0, k = 0;
            while (k < 3 && in[1] >= '0' && in[1] <= '7')
                v = v * 8 + (*++in - '0'), k++;
            out[n++] = (char)v;
            break;
        }
        default:
            out[n++] = *in;
        }
    }
    return n;
}

static int recv_master(int conn, int *ret)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    char data[4096];
    struct iovec iov = {.iov_base = data, .iov_len = sizeof(data) - 1};
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
    ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
    struct cmsghdr *c;

    if (n <= 0)
        return -1;
    data[n] = '\0';
    fprintf(stderr, "name=%s\n", data);
    c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
        errno = ENOMSG;
        return -1;
    }
    memcpy(ret, CMSG_DATA(c), sizeof(int));
    return 0;
}

int main(int argc, char **argv)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int timeout = argc > 3 ? atoi(argv[3]) : 10;
    int lfd, conn, master = -1;
    time_t end;

    if (argc < 2 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "usage: console-receiver SOCKET [INPUT [TIMEOUT_S]]\n");
        return 1;
    }
    strcpy(sa.sun_path, argv[1]);
    lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0)
        return die("listen");
    end = time(NULL) + timeout;
    {
        struct pollfd p = {.fd = lfd, .events = POLLIN};
        if (poll(&p, 1, timeout * 1000) <= 0) {
            fprintf(stderr, "console-receiver: nobody connected\n");
            unlink(argv[1]);
            return 2;
        }
    }
    conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    unlink(argv[1]);
    if (conn < 0)
        return die("accept");
    if (recv_master(conn, &master) < 0)
        return die("recvmsg");
    close(conn);
    if (argc > 2) {
        char *buf = malloc(strlen(argv[2]) + 1);
        size_t n = unescape(argv[2], buf);
        if (write(master, buf, n) != (ssize_t)n)
            return die("write to the pty");
        free(buf);
    }
    for (;;) {
        struct pollfd p = {.fd = master, .events = POLLIN};
        int left = (int)(end - time(NULL));
        char buf[4096];
        ssize_t n;

        if (left <= 0 || poll(&p, 1, left * 1000) == 0) {
            fprintf(stderr, "console-receiver: timed out\n");
            return 2;
        }
        n = read(master, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) /* EIO: every slave fd is closed, the container is gone */
            return 0;
        fwrite(buf, 1, (size_t)n, stdout);
        fflush(stdout);
    }
}
