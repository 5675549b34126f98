/* pidns.c: the processes of a pid namespace, from /proc.
 *
 * A process is in the namespace when /proc/PID/ns/pid is the same inode as
 * the init's. Reading that link needs ptrace read access: a rootless user
 * has it over the container's processes (it owns their user namespace),
 * root over all. */
#include "pidns.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "util/cleanup.h"

static int ns_of(const char *pid, struct stat *st)
{
    char path[sizeof("/proc//ns/pid") + 256];

    snprintf(path, sizeof(path), "/proc/%s/ns/pid", pid);
    return stat(path, st);
}

static int cmp_pid(const void *a, const void *b)
{
    pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

    return (x > y) - (x < y);
}

int berth_pidns_pids(pid_t init, pid_t **ret, size_t *ret_n, berth_error_t *err)
{
    _cleanup_closedir_ DIR *proc = NULL;
    _cleanup_free_ pid_t *pids = NULL;
    struct stat want, self, st;
    size_t n = 0, cap = 0;
    struct dirent *de;
    char name[32];

    snprintf(name, sizeof(name), "%d", (int)init);
    if (ns_of(name, &want) < 0)
        return berth_error_errno(err, "pid namespace of %d", (int)init);
    if (ns_of("self", &self) == 0 && self.st_ino == want.st_ino && self.st_dev == want.st_dev)
        return berth_error_make(err, EINVAL,
                                "the container shares berth's pid namespace: its processes "
                                "cannot be told apart without a cgroup");
    if (!(proc = opendir("/proc")))
        return berth_error_errno(err, "open /proc");
    while ((de = readdir(proc))) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);

        /* a process that ended meanwhile, or one we may not see, is not ours */
        if (*end || pid <= 0 || ns_of(de->d_name, &st) < 0 || st.st_ino != want.st_ino ||
            st.st_dev != want.st_dev)
            continue;
        if (n == cap) {
            pid_t *grown = realloc(pids, (cap = cap ? cap * 2 : 16) * sizeof(*pids));

            if (!grown)
                return berth_error_make(err, ENOMEM, "pids of container");
            pids = grown;
        }
        pids[n++] = (pid_t)pid;
    }
    qsort(pids, n, sizeof(*pids), cmp_pid);
    *ret = TAKE_PTR(pids);
    *ret_n = n;
    return 0;
}
