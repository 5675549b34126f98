/* process.h: creating the container's processes and waiting for them.
 *
 * clone3(2) gives the child its new namespaces at birth and a pidfd in the
 * same call; kernels or sandboxes without clone3 (ENOSYS) fall back to
 * clone(2) + pidfd_open(2). The child continues like after fork(2): no
 * CLONE_VM and no re-exec, so it owns a copy of the parent's memory,
 * including the parsed config. */
#ifndef BERTH_PROCESS_H
#define BERTH_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/error.h"

/* Fork-like clone: returns 0 in the child, the child's pid in the parent.
 * `flags` are CLONE_NEW* (never CLONE_NEWTIME through the clone fallback)
 * and optionally CLONE_PARENT. When ret_pidfd is not NULL the parent gets a
 * pidfd (O_CLOEXEC) for the child. */
pid_t berth_process_clone(unsigned long flags, int *ret_pidfd, berth_error_t *err);

/* Same, born in the cgroup2 directory cgroup_fd (clone3 CLONE_INTO_CGROUP)
 * when the kernel can; *ret_placed says whether it did (else the child
 * must join by itself: cgroup-join.h). cgroup_fd -1: a plain clone. */
pid_t berth_process_clone_into(unsigned long flags, int cgroup_fd, int *ret_pidfd, bool *ret_placed,
                               berth_error_t *err);

int berth_pidfd_open(pid_t pid, berth_error_t *err);

/* SIGKILL + waitpid; for error paths, ignores every failure. */
void berth_process_kill_reap(pid_t pid);

/* waitpid without EINTR; returns the wait status in *ret_status. */
int berth_process_wait(pid_t pid, int *ret_status, berth_error_t *err);

/* 128+signal for a killed process, the exit code otherwise. */
int berth_process_exit_code(int status);

/* The rest of the module's door: other modules include this header only
 * (docs/architecture.md, "Doors"). */
#include "process/sync.h"
#include "process/process-setup.h"
#include "process/init.h"
#include "process/placement.h"

#endif
