/* fd-pass.h: file descriptors over a unix socket (SCM_RIGHTS), with a
 * small payload, in one message: the pty master (terminal.c) and the
 * cgroup `tasks` fds of create (cgroup-join.h). */
#ifndef BERTH_FD_PASS_H
#define BERTH_FD_PASS_H

#include <stddef.h>

#include "error.h"

/* At most this many fds in one message (a host has ~15 cgroup v1
 * hierarchies at most; the kernel takes up to 253). */
#define BERTH_FD_PASS_MAX 64

/* Sends n fds (n <= BERTH_FD_PASS_MAX) with `data` (NUL-terminated, non
 * empty). `what` names them in errors. */
int berth_fds_send(int sock, const char *data, const int *fds, size_t n, const char *what,
                   berth_error_t *err);

/* Receives one message of exactly n fds (O_CLOEXEC) into fds[]; its data,
 * NUL-terminated, into buf when not NULL. Any other count is an error and
 * closes what came. */
int berth_fds_recv(int sock, char *buf, size_t size, int *fds, size_t n, const char *what,
                   berth_error_t *err);

#endif
