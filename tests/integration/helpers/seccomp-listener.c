/* seccomp-listener.c: a tiny seccomp agent for tests/integration/test-seccomp.sh.
 *
 *   seccomp-listener SOCKET OUTDIR VAL
 *
 * Listens on the AF_UNIX stream socket SOCKET (replacing a stale one),
 * accepts ONE connection, reads the container process state until EOF
 * (config-linux.md: one state per connection, then the runtime closes) and
 * the SCM_RIGHTS fd that came with it, and writes:
 *   OUTDIR/state.json   the JSON exactly as received
 *   OUTDIR/fds          how many fds came with it
 * Then it serves notifications on that fd until every process under the
 * filter is gone (the fd reports POLLHUP): mkdir and mkdirat are answered
 * with return value VAL and no error, without running them (a fake
 * success: the directory is not created); every other notified syscall is
 * let through (SECCOMP_USER_NOTIF_FLAG_CONTINUE). Each notification appends
 * "nr=N pid=P answered|continued" to OUTDIR/log.
 *
 * OUTDIR/ready is created once it listens. Exit status 0 after a clean run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static const char *outdir;

static void die(const char *what)
{
    fprintf(stderr, "seccomp-listener: %s: %s\n", what, strerror(errno));
    exit(1);
}

static FILE *out(const char *name, const char *mode)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", outdir, name);
    f = fopen(path, mode);
    if (!f)
        die(path);
    return f;
}

static int listen_on(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (s < 0)
        die("socket");
    if (strlen(path) >= sizeof(addr.sun_path)) {
        errno = ENAMETOOLONG;
        die(path);
    }
    strcpy(addr.sun_path, path);
    (void)unlink(path);
    if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(s, 1) < 0)
        die(path);
    fclose(out("ready", "w"));
    return s;
}

/* Reads the whole state; returns the (first) received fd. */
static int receive_state(int conn)
{
    static char buf[1 << 16];
    size_t len = 0;
    int fd = -1, nfds = 0;
    FILE *f;

    for (;;) {
        union {
            char b[CMSG_SPACE(4 * sizeof(int))];
            struct cmsghdr align;
        } control;
        struct iovec iov = {.iov_base = buf + len, .iov_len = sizeof(buf) - 1 - len};
        struct msghdr msg = {.msg_iov = &iov,
                             .msg_iovlen = 1,
                             .msg_control = control.b,
                             .msg_controllen = sizeof(control.b)};
        ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die("recvmsg");
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                continue;
            int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            if (fd < 0 && k > 0)
                memcpy(&fd, CMSG_DATA(c), sizeof(int));
            nfds += k;
        }
        if (n == 0)
            break;
        len += n;
        if (len >= sizeof(buf) - 1)
            break;
    }
    f = out("state.json", "w");
    fwrite(buf, 1, len, f);
    fclose(f);
    f = out("fds", "w");
    fprintf(f, "%d\n", nfds);
    fclose(f);
    if (fd < 0) {
        errno = EBADMSG;
        die("no fd in the container process state");
    }
    return fd;
}

static void serve(int nfd, long long val)
{
    struct seccomp_notif_sizes sizes;

    if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
        die("SECCOMP_GET_NOTIF_SIZES");
    struct seccomp_notif *req = calloc(
        1, sizes.seccomp_notif > sizeof(*req) ? sizes.seccomp_notif : sizeof(struct seccomp_notif));
    struct seccomp_notif_resp *resp =
        calloc(1, sizes.seccomp_notif_resp > sizeof(*resp) ? sizes.seccomp_notif_resp
                                                           : sizeof(struct seccomp_notif_resp));
    if (!req || !resp)
        die("calloc");
    for (;;) {
        struct pollfd p = {.fd = nfd, .events = POLLIN};
        FILE *log;
        int intercept;

        if (poll(&p, 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            die("poll");
        }
        if (!(p.revents & POLLIN))
            return; /* POLLHUP: nobody left under the filter */
        memset(req, 0, sizes.seccomp_notif);
        if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
            if (errno == EINTR || errno == ENOENT)
                continue; /* ENOENT: the caller went away meanwhile */
            die("SECCOMP_IOCTL_NOTIF_RECV");
        }
        intercept = req->data.nr == SYS_mkdir || req->data.nr == SYS_mkdirat;
        memset(resp, 0, sizes.seccomp_notif_resp);
        resp->id = req->id;
        if (intercept)
            resp->val = val;
        else
            resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        log = out("log", "a");
        fprintf(log, "nr=%d pid=%u %s\n", req->data.nr, req->pid,
                intercept ? "answered" : "continued");
        fclose(log);
        if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
            die("SECCOMP_IOCTL_NOTIF_SEND");
    }
}

int main(int argc, char **argv)
{
    int s, conn, nfd;

    if (argc != 4) {
        fprintf(stderr, "usage: seccomp-listener SOCKET OUTDIR VAL\n");
        return 2;
    }
    outdir = argv[2];
    s = listen_on(argv[1]);
    conn = accept4(s, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0)
        die("accept");
    nfd = receive_state(conn);
    close(conn);
    close(s);
    serve(nfd, strtoll(argv[3], NULL, 0));
    return 0;
}
