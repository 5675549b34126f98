/* seccomp-notify.c: owns the handover of the seccomp listener fd from the
 * init to the agent at listenerPath (seccomp-notify.h). Runs in the parent,
 * on the host: connect() and sendmsg() here are never subject to the
 * container's filter. */
#include "seccomp-notify.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/cleanup.h"

/* ---- take the listener fd out of the init ------------------------------------ */

int berth_seccomp_notify_take(const struct berth_seccomp *f, int init_pidfd, int *ret_fd,
                              berth_error_t *err)
{
    int timeout = 1;
    int v;

    if (!f->handover)
        return berth_error_make(err, EINVAL, "seccomp: the filter has no SCMP_ACT_NOTIFY rule");
    /* The init stores the result right after its seccomp(2) call, with no
     * syscall in between (it might be a notified one). Poll the slot; the
     * pidfd turns readable if the init dies instead. The load follows the
     * init's "loading" message at once, so this is normally sub-ms. */
    while ((v = __atomic_load_n(f->handover, __ATOMIC_ACQUIRE)) == BERTH_SECCOMP_SLOT_PENDING) {
        struct pollfd p = {.fd = init_pidfd, .events = POLLIN};
        int r = poll(&p, 1, timeout);

        if (r < 0 && errno != EINTR)
            return berth_error_errno(err, "seccomp: wait for the init to load its filter");
        if (r > 0 && __atomic_load_n(f->handover, __ATOMIC_ACQUIRE) == BERTH_SECCOMP_SLOT_PENDING)
            return berth_error_make(err, ESRCH,
                                    "seccomp: the container init exited before "
                                    "loading its filter");
        if (timeout < 64)
            timeout *= 2;
    }
    if (v < 0) {
        *ret_fd = -1; /* the init sends the ERROR itself */
        return 0;
    }
    /* pidfd_getfd(2) needs ptrace access to the init; it is our child. */
    int fd = (int)syscall(SYS_pidfd_getfd, init_pidfd, v, 0);
    if (fd < 0)
        return berth_error_errno(err, "seccomp: pidfd_getfd of the listener fd %d of the init", v);
    *ret_fd = fd;
    return 0;
}

/* ---- the container process state -------------------------------------------- */

int berth_seccomp_state_json(const char *metadata, const oci_state *state, char **ret,
                             berth_error_t *err)
{
    /* config-linux.md "The Container Process State"; fds[i] names the i-th
     * SCM_RIGHTS fd, here the one listener fd. */
    char *fds[] = {(char *)"seccompFd"};
    const oci_container_process_state ps = {
        .ociVersion = state ? state->ociVersion : NULL,
        .fds = fds,
        .fds_len = 1,
        .pid = state ? state->pid : 0,
        .pid_present = true,
        .metadata = (char *)metadata,
        .state = (oci_state *)state,
    };
    size_t len = 0;

    if (!state || !state->pid_present)
        return berth_error_make(err, EINVAL, "seccomp: container process state needs a pid");
    *ret = oci_emit(&oci_container_process_state_desc, &ps, false, &len);
    if (!*ret)
        return berth_error_make(err, ENOMEM, "seccomp: emit the container process state");
    return 0;
}

/* ---- send it ---------------------------------------------------------------- */

static int connect_listener(const char *path, berth_error_t *err)
{
    _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};

    if (fd < 0)
        return berth_error_errno(err, "seccomp: socket for listenerPath");
    if (strlen(path) >= sizeof(addr.sun_path))
        return berth_error_make(err, ENAMETOOLONG, "seccomp: listenerPath `%s`", path);
    strcpy(addr.sun_path, path);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        return berth_error_errno(err, "seccomp: connect to listenerPath `%s`", path);
    return TAKE_FD(fd);
}

/* First sendmsg carries the fd; if the payload does not fit at once, the
 * rest follows without it (allowed: "If more than one sendmsg(2) is used,
 * the file descriptors MUST be sent only in the first call"). */
static int send_state(int sock, const char *buf, size_t len, int notify_fd, const char *path,
                      berth_error_t *err)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control = {0};
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    struct cmsghdr *c;
    bool first = true;

    while (iov.iov_len > 0) {
        ssize_t n;

        if (first) {
            msg.msg_control = control.buf;
            msg.msg_controllen = sizeof(control.buf);
            c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            memcpy(CMSG_DATA(c), &notify_fd, sizeof(int));
        } else {
            msg.msg_control = NULL;
            msg.msg_controllen = 0;
        }
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return berth_error_errno(err, "seccomp: send container process state to `%s`", path);
        first = false;
        iov.iov_base = (char *)iov.iov_base + n;
        iov.iov_len -= n;
    }
    return 0;
}

int berth_seccomp_notify_hand_out(const struct berth_seccomp *f, const oci_seccomp *sc, int pidfd,
                                  const oci_state *state, berth_error_t *err)
{
    _cleanup_close_ int fd = -1;
    int r = berth_seccomp_notify_take(f, pidfd, &fd, err);

    if (r < 0 || fd < 0)
        return r;
    r = berth_seccomp_notify_send(sc->listenerPath, sc->listenerMetadata, state, fd, err);
    if (r < 0)
        return berth_error_wrap(err, "seccomp listener `%s`", sc->listenerPath);
    return 1;
}

int berth_seccomp_notify_send(const char *listener_path, const char *metadata,
                              const oci_state *state, int notify_fd, berth_error_t *err)
{
    _cleanup_free_ char *json = NULL;
    _cleanup_close_ int sock = -1;
    int r;

    if (!listener_path || !*listener_path)
        return berth_error_make(err, EINVAL, "seccomp: SCMP_ACT_NOTIFY needs listenerPath");
    if (notify_fd < 0)
        return berth_error_make(err, EBADF, "seccomp: no listener fd to send");
    r = berth_seccomp_state_json(metadata, state, &json, err);
    if (r < 0)
        return r;
    sock = connect_listener(listener_path, err);
    if (sock < 0)
        return sock;
    r = send_state(sock, json, strlen(json), notify_fd, listener_path, err);
    if (r < 0)
        return r;
    /* "The connection MUST NOT be reused and it MUST be closed after
     * sending a seccomp state." A failing close is still a failed send. */
    if (close(TAKE_FD(sock)) < 0 && errno != EINTR)
        return berth_error_errno(err, "seccomp: close connection to `%s`", listener_path);
    return 0;
}
