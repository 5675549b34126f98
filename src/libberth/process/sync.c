/* sync.c: typed messages over the create socketpair (protocol in sync.h). */
#include "sync.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define HEADER_SIZE offsetof(struct berth_sync_msg, text)

int berth_sync_pair(int fds[2], berth_error_t *err)
{
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
        return berth_error_errno(err, "socketpair");
    return 0;
}

int berth_sync_send(int fd, enum berth_sync_type type, int32_t value, const char *text,
                    berth_error_t *err)
{
    struct berth_sync_msg msg = {.type = type, .value = value};
    size_t len = HEADER_SIZE;
    ssize_t n;

    if (text) {
        size_t tlen = strnlen(text, BERTH_SYNC_TEXT_MAX - 1);
        memcpy(msg.text, text, tlen);
        msg.text[tlen] = '\0';
        len += tlen + 1;
    }
    do
        n = send(fd, &msg, len, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return berth_error_errno(err, "write to sync socket (%s)", berth_sync_type_name(type));
    return 0;
}

int berth_sync_recv(int fd, struct berth_sync_msg *msg, berth_error_t *err)
{
    ssize_t n;

    memset(msg, 0, sizeof(*msg));
    do
        n = recv(fd, msg, sizeof(*msg), 0);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return berth_error_errno(err, "read from sync socket");
    if (n == 0)
        return 0;
    if ((size_t)n < HEADER_SIZE)
        return berth_error_make(err, EPROTO, "read from sync socket: short message (%zd bytes)", n);
    msg->text[BERTH_SYNC_TEXT_MAX - 1] = '\0';
    return 1;
}

int berth_sync_error_from(const struct berth_sync_msg *msg, berth_error_t *err)
{
    int r = berth_error_make(err, 0, "%s", msg->text);
    if (*err && msg->value > 0) {
        (*err)->status = msg->value;
        r = -msg->value;
    }
    return r;
}

int berth_sync_expect(int fd, enum berth_sync_type want, berth_error_t *err)
{
    struct berth_sync_msg msg;
    int r = berth_sync_recv(fd, &msg, err);

    if (r < 0)
        return r;
    if (r == 0)
        return berth_error_make(err, EPIPE, "waiting for %s: sync socket closed by peer",
                                berth_sync_type_name(want));
    if (msg.type == BERTH_SYNC_ERROR)
        return berth_sync_error_from(&msg, err);
    if (msg.type != want)
        return berth_error_make(err, EPROTO, "sync: expected %s, got %s",
                                berth_sync_type_name(want), berth_sync_type_name(msg.type));
    return 0;
}

void berth_sync_send_error(int fd, const berth_error_t *err)
{
    berth_error_t ignored = NULL;
    const char *text = (*err && (*err)->msg) ? (*err)->msg : "unknown error";
    int status = *err ? (*err)->status : 0;

    /* The error must reach somebody: when the socket is gone (the parent
     * died) or refuses (a syscall a filter denies), the process's stderr,
     * which is the caller's or the container's, as runc's init falls back. */
    if (berth_sync_send(fd, BERTH_SYNC_ERROR, status, text, &ignored) < 0)
        dprintf(STDERR_FILENO, "berth init: %s\n", text);
    berth_error_release(&ignored);
}

const char *berth_sync_type_name(uint32_t type)
{
    switch (type) {
    case BERTH_SYNC_USERNS_READY:
        return "USERNS_READY";
    case BERTH_SYNC_USERNS_MAPPED:
        return "USERNS_MAPPED";
    case BERTH_SYNC_INIT_PID:
        return "INIT_PID";
    case BERTH_SYNC_WARN:
        return "WARN";
    case BERTH_SYNC_ERROR:
        return "ERROR";
    case BERTH_SYNC_READY:
        return "READY";
    case BERTH_SYNC_TERMINAL:
        return "TERMINAL";
    case BERTH_SYNC_INIT_GO:
        return "INIT_GO";
    case BERTH_SYNC_SECCOMP:
        return "SECCOMP";
    case BERTH_SYNC_HOOKS:
        return "HOOKS";
    case BERTH_SYNC_START:
        return "START";
    case BERTH_SYNC_STARTED:
        return "STARTED";
    case BERTH_SYNC_CGROUP_READY:
        return "CGROUP_READY";
    case BERTH_SYNC_HOOKS_DONE:
        return "HOOKS_DONE";
    case BERTH_SYNC_RECORDED:
        return "RECORDED";
    }
    return "unknown message";
}
