/* status.c: container status derivation and pid-reuse-safe process access.
 *
 * The status is never stored; it is derived on each query from facts that
 * cannot go stale:
 *   pid == 0                                   -> creating
 *   init gone, a zombie, or its pid reused     -> stopped
 *   exec.fifo still present                    -> created
 *   otherwise                                  -> running
 *   its cgroup frozen                          -> paused
 */
#include "status.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "util/cleanup.h"

/* Parses the text of /proc/<pid>/stat. The comm field (2) is in parens and
 * may itself contain ") " and spaces, so fields are counted from the LAST
 * ')'. */
static int parse_proc_stat(const char *buf, struct berth_proc_stat *ret)
{
    const char *p = strrchr(buf, ')');
    unsigned long long start_time;
    char *end;

    if (!p || p[1] != ' ' || !p[2])
        return -EINVAL;
    /* field 3 is the state; then 18 fields are skipped to reach 22, the
     * start time (by hand: sscanf's %*s costs more than the rest of a
     * status query in list). */
    ret->state = p[2];
    p += 3;
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (!p)
            return -EINVAL;
        p++;
    }
    errno = 0;
    start_time = strtoull(p, &end, 10);
    if (end == p || errno != 0)
        return -EINVAL;
    ret->start_time = start_time;
    return 0;
}

/* /proc/<pid>/stat below procfd ("/proc" with AT_FDCWD). */
static int proc_stat_read_at(int procfd, pid_t pid, struct berth_proc_stat *ret)
{
    _cleanup_close_ int fd = -1;
    char path[64], buf[1024];
    ssize_t n;

    if (pid <= 0)
        return -ESRCH;
    snprintf(path, sizeof(path), procfd == AT_FDCWD ? "/proc/%d/stat" : "%d/stat", (int)pid);
    fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    /* /proc/<pid>/stat is generated in one go; a single read gets it all. */
    n = read(fd, buf, sizeof(buf) - 1);
    if (n < 0)
        return -errno;
    buf[n] = '\0';
    return parse_proc_stat(buf, ret);
}

int berth_proc_stat_read(pid_t pid, struct berth_proc_stat *ret)
{
    return proc_stat_read_at(AT_FDCWD, pid, ret);
}

uint64_t berth_proc_start_time(pid_t pid)
{
    struct berth_proc_stat st;

    if (berth_proc_stat_read(pid, &st) < 0)
        return 0;
    return st.start_time;
}

/* The init's state letter when it is alive, 0 when it is not. */
static char alive_at(int procfd, pid_t pid, uint64_t start_time)
{
    struct berth_proc_stat st;

    if (proc_stat_read_at(procfd, pid, &st) < 0)
        return 0;
    if (st.start_time != start_time)
        return 0; /* the pid now names another process */
    return st.state != 'Z' && st.state != 'X' ? st.state : 0;
}

bool berth_proc_alive(pid_t pid, uint64_t start_time)
{
    return alive_at(AT_FDCWD, pid, start_time) != 0;
}

/* The derivation, with where to look given: procfd for /proc, fifofd and
 * fifo for exec.fifo, mounts for the freezer (may be NULL). */
static enum berth_status derive(const struct berth_container_state *s, int procfd, int fifofd,
                                const char *fifo, struct berth_cgroup_mount_fds *mounts)
{
    char state;

    if (s->pid == 0)
        return BERTH_STATUS_CREATING;
    if (!(state = alive_at(procfd, s->pid, s->start_time)))
        return BERTH_STATUS_STOPPED;
    /* A frozen cgroup (pause) is "paused" whether created or running. */
    if (s->cgroup && berth_cgroup_state_frozen(s->cgroup, mounts, state))
        return BERTH_STATUS_PAUSED;
    /* Checked after liveness: an init that died before start leaves the
     * fifo behind but is stopped, not created. */
    if (faccessat(fifofd, fifo, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
        return BERTH_STATUS_CREATED;
    return BERTH_STATUS_RUNNING;
}

enum berth_status berth_state_status(int dirfd, const struct berth_container_state *s)
{
    return derive(s, AT_FDCWD, dirfd, "exec.fifo", NULL);
}

void berth_status_probe_release(struct berth_status_probe *p)
{
    p->procfd = safe_close(p->procfd);
    berth_cgroup_mount_fds_release(&p->mounts);
}

enum berth_status berth_state_status_probe(struct berth_status_probe *p, const char *id,
                                           const struct berth_container_state *s)
{
    char fifo[BERTH_ID_MAX + sizeof("/exec.fifo")];

    if (p->procfd < 0)
        p->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    snprintf(fifo, sizeof(fifo), "%s/exec.fifo", id);
    return derive(s, p->procfd >= 0 ? p->procfd : AT_FDCWD, p->rootfd, fifo, &p->mounts);
}

int berth_pidfd_open_verified(pid_t pid, uint64_t start_time, berth_error_t *err)
{
    _cleanup_close_ int pidfd = -1;

    if (!berth_proc_alive(pid, start_time))
        return berth_error_make(err, ESRCH, "container process %d is not running", (int)pid);
    pidfd = pidfd_open(pid, 0); /* pidfds are always close-on-exec */
    if (pidfd < 0)
        return berth_error_errno(err, "pidfd_open %d", (int)pid);
    /* The pid may have died and been reused between the check and
     * pidfd_open; checking again now that the fd pins the process closes
     * that window: if the start time still matches, the fd is the init. */
    if (!berth_proc_alive(pid, start_time))
        return berth_error_make(err, ESRCH, "container process %d is not running", (int)pid);
    return TAKE_FD(pidfd);
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int berth_pidfd_wait_exit(int pidfd, int timeout_ms, berth_error_t *err)
{
    int64_t deadline = now_ms() + timeout_ms;

    for (;;) {
        struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
        int left = -1, r;

        if (timeout_ms >= 0) {
            int64_t d = deadline - now_ms();
            left = d > 0 ? (int)d : 0;
        }
        /* A pidfd polls readable once its process has exited. */
        r = poll(&pfd, 1, left);
        if (r > 0)
            return 0;
        if (r == 0)
            return berth_error_make(err, ETIMEDOUT, "wait for process exit");
        if (errno != EINTR)
            return berth_error_errno(err, "poll pidfd");
    }
}

bool berth_status_can_start(enum berth_status s)
{
    return s == BERTH_STATUS_CREATED;
}

bool berth_status_can_kill(enum berth_status s)
{
    /* paused too: a frozen container must be killable (runc allows it). */
    return s == BERTH_STATUS_CREATED || s == BERTH_STATUS_RUNNING || s == BERTH_STATUS_PAUSED;
}

bool berth_status_can_delete(enum berth_status s)
{
    return s == BERTH_STATUS_STOPPED;
}
