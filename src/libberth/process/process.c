/* process.c: clone3 with a clone fallback, pidfds, reaping. */
#include "process.h"

#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

static bool clone3_missing;

static pid_t do_clone3(unsigned long flags, int cgroup_fd, int *ret_pidfd)
{
    int pidfd = -1;
    struct clone_args args = {
        .flags = flags | (ret_pidfd ? CLONE_PIDFD : 0) | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
        .pidfd = (uintptr_t)&pidfd,
        .cgroup = cgroup_fd >= 0 ? (uint64_t)cgroup_fd : 0,
        /* clone3 wants exit_signal 0 with CLONE_PARENT: the child then
         * inherits the caller's own exit signal (SIGCHLD). */
        .exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD,
    };
    pid_t pid = syscall(SYS_clone3, &args, sizeof(args));

    if (pid > 0 && ret_pidfd)
        *ret_pidfd = pidfd;
    return pid;
}

static pid_t do_clone(unsigned long flags)
{
    unsigned long sig = (flags & CLONE_PARENT) ? 0 : SIGCHLD;

    /* x86-64/arm64 argument order: flags, stack, parent_tid, child_tid, tls.
     * A NULL stack means "copy the caller's", as fork does. */
    return syscall(SYS_clone, flags | sig, NULL, NULL, NULL, NULL);
}

pid_t berth_process_clone_into(unsigned long flags, int cgroup_fd, int *ret_pidfd, bool *ret_placed,
                               berth_error_t *err)
{
    pid_t pid = -1;

    *ret_placed = false;
    if (!clone3_missing && cgroup_fd >= 0) {
        pid = do_clone3(flags, cgroup_fd, ret_pidfd);
        *ret_placed = pid >= 0;
        /* Kernels before 5.7 (EINVAL/E2BIG for the bigger clone_args) or a
         * directory the kernel refuses: the plain clone below, and the
         * child writes cgroup.procs (cgroup-join.h). */
        if (pid < 0 && errno == ENOSYS)
            clone3_missing = true;
    }
    if (!clone3_missing && !*ret_placed) {
        pid = do_clone3(flags, -1, ret_pidfd);
        if (pid < 0 && errno == ENOSYS)
            clone3_missing = true;
    }
    if (clone3_missing) {
        pid = do_clone(flags);
        if (pid > 0 && ret_pidfd) {
            int fd = berth_pidfd_open(pid, err);
            if (fd < 0) {
                berth_process_kill_reap(pid);
                return fd;
            }
            *ret_pidfd = fd;
        }
    }
    if (pid < 0)
        return berth_error_errno(err, "clone3 (flags %#lx)", flags);
    return pid;
}

pid_t berth_process_clone(unsigned long flags, int *ret_pidfd, berth_error_t *err)
{
    bool placed;

    return berth_process_clone_into(flags, -1, ret_pidfd, &placed, err);
}

int berth_pidfd_open(pid_t pid, berth_error_t *err)
{
    int fd = syscall(SYS_pidfd_open, pid, 0);

    if (fd < 0)
        return berth_error_errno(err, "pidfd_open %d", (int)pid);
    /* pidfds are always close-on-exec */
    return fd;
}

void berth_process_kill_reap(pid_t pid)
{
    int saved = errno;

    if (pid > 0) {
        (void)kill(pid, SIGKILL);
        while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
            ;
    }
    errno = saved;
}

int berth_process_wait(pid_t pid, int *ret_status, berth_error_t *err)
{
    int status;

    while (waitpid(pid, &status, __WALL) < 0)
        if (errno != EINTR)
            return berth_error_errno(err, "waitpid %d", (int)pid);
    *ret_status = status;
    return 0;
}

int berth_process_exit_code(int status)
{
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
