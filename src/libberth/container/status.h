/* status.h: liveness of a container's init and the status transition
 * predicates of runtime.md "Lifecycle".
 *
 * A pid alone never identifies the init: pids are reused. Every check pairs
 * the pid with its start time (field 22 of /proc/<pid>/stat) recorded at
 * create, and signals go through a pidfd opened only after that check.
 */
#ifndef BERTH_STATUS_H
#define BERTH_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"
#include "cgroup/cgroup.h"
#include "state/state.h"

struct berth_proc_stat {
    char state;          /* field 3: R, S, D, Z, X, T, ... */
    uint64_t start_time; /* field 22, clock ticks since boot */
};

/* Reads /proc/<pid>/stat field 22; 0 on failure. */
uint64_t berth_proc_start_time(pid_t pid);

/* Live status: stopped when pid is gone or its start time changed, paused
 * when its cgroup is frozen. */
enum berth_status berth_state_status(int dirfd, const struct berth_container_state *s);

/* What `list` derives every container's status through, opened once: the
 * state root (exec.fifo is ID/exec.fifo below it), /proc, and the cgroup
 * mounts (each container's path walk starts below them, not at /). */
struct berth_status_probe {
    int rootfd;
    int procfd; /* -1 until needed */
    struct berth_cgroup_mount_fds mounts;
};
#define BERTH_STATUS_PROBE_INIT(root)                                                              \
    {                                                                                              \
        .rootfd = (root), .procfd = -1                                                             \
    }
void berth_status_probe_release(struct berth_status_probe *p);

/* berth_state_status for container `id` below p->rootfd. */
enum berth_status berth_state_status_probe(struct berth_status_probe *p, const char *id,
                                           const struct berth_container_state *s);

/* Reads /proc/<pid>/stat; -errno (-ENOENT when the process is gone). */
int berth_proc_stat_read(pid_t pid, struct berth_proc_stat *ret);

/* True while pid is the process recorded with start_time and has not yet
 * exited (a zombie has exited: it only waits to be reaped). */
bool berth_proc_alive(pid_t pid, uint64_t start_time);

/* Opens a pidfd for pid, verifying the start time before AND after
 * pidfd_open(), so the fd can never refer to a process that merely reused
 * the pid. -ESRCH "container process %d is not running" when gone. */
int berth_pidfd_open_verified(pid_t pid, uint64_t start_time, berth_error_t *err);

/* Waits until the process of pidfd exits; -ETIMEDOUT after timeout_ms
 * (negative: no limit). Works for non-children: we never waitpid(). */
int berth_pidfd_wait_exit(int pidfd, int timeout_ms, berth_error_t *err);

/* runtime.md "Start"/"Kill"/"Delete": the statuses each operation accepts. */
bool berth_status_can_start(enum berth_status s);
bool berth_status_can_kill(enum berth_status s);
bool berth_status_can_delete(enum berth_status s);

#endif
