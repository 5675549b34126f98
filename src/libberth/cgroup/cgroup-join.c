/* cgroup-join.c: see cgroup-join.h for why the child joins by itself. */
#include "cgroup-join.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup-internal.h"
#include "util/cleanup.h"
#include "util/fd-pass.h"

static int add_tasks(struct berth_cgroup_join *j, const char *path, int fd, berth_error_t *err)
{
    int *fds = realloc(j->tasks_fds, (j->n + 1) * sizeof(*fds));
    char **paths;

    if (fds)
        j->tasks_fds = fds;
    paths = fds ? realloc(j->tasks_paths, (j->n + 1) * sizeof(*paths)) : NULL;
    if (paths)
        j->tasks_paths = paths;
    if (!paths || !(paths[j->n] = strdup(path))) {
        close(fd);
        return berth_error_make(err, ENOMEM, "join cgroup `%s`", path);
    }
    fds[j->n++] = fd;
    return 0;
}

int berth_cgroup_join_add(struct berth_cgroup_join *j, int dirfd_in, const char *path, bool v2,
                          berth_error_t *err)
{
    _cleanup_close_ int dirfd = dirfd_in >= 0 ? fcntl(dirfd_in, F_DUPFD_CLOEXEC, 3)
                                              : open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int fd;

    if (dirfd < 0)
        return berth_error_errno(err, "open cgroup `%s`", path);
    if (v2) {
        if (j->v2_dirfd >= 0)
            return berth_error_make(err, EINVAL, "join cgroup `%s`: a second cgroup2 directory",
                                    path);
        if (!(j->v2_path = strdup(path)))
            return berth_error_make(err, ENOMEM, "join cgroup `%s`", path);
        j->v2_procs = openat(dirfd, "cgroup.procs", O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
        if (j->v2_procs < 0)
            return berth_error_errno(err, "open cgroup `%s/cgroup.procs`", path);
        j->v2_dirfd = TAKE_FD(dirfd);
        return 0;
    }
    fd = openat(dirfd, "tasks", O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return berth_error_errno(err, "open cgroup `%s/tasks`", path);
    return add_tasks(j, path, fd, err);
}

int berth_cgroup_join_prepare(const struct berth_cgroup *cg, bool v2, struct berth_cgroup_join *j,
                              berth_error_t *err)
{
    for (size_t i = 0; i < cg->n; i++) {
        int r =
            cg->d[i].v2 != v2 ? 0 : berth_cgroup_join_add(j, cg->d[i].fd, cg->d[i].path, v2, err);

        if (r < 0)
            return r;
    }
    return 0;
}

int berth_cgroup_join_send(int sock, const struct berth_cgroup_join *j, berth_error_t *err)
{
    if (j->n == 0)
        return 0;
    return berth_fds_send(sock, "tasks", j->tasks_fds, j->n, "the cgroup tasks fds", err);
}

int berth_cgroup_join_recv(int sock, struct berth_cgroup_join *j, size_t count,
                           const struct berth_cgroup_dir_ref *refs, size_t nrefs,
                           berth_error_t *err)
{
    int fds[BERTH_FD_PASS_MAX];
    size_t nv1 = 0, k = 0;
    int r;

    if (count == 0)
        return 0;
    r = berth_fds_recv(sock, NULL, 0, fds, count, "the cgroup tasks fds", err);
    if (r < 0)
        return r;
    for (size_t i = 0; i < nrefs; i++)
        nv1 += !refs[i].v2;
    if (nv1 != count)
        r = berth_error_make(err, EPROTO, "cgroup tasks fds: %zu for %zu v1 hierarchies", count,
                             nv1);
    for (size_t i = 0; i < nrefs && r == 0; i++)
        if (!refs[i].v2)
            r = add_tasks(j, refs[i].path, fds[k++], err); /* closes the fd on failure */
    while (k < count)
        close(fds[k++]);
    return r;
}

/* "0" is the writing thread itself (cgroup-v1.rst "tasks"). */
static int write_self(int fd, const char *dir, const char *file, berth_error_t *err)
{
    if (write(fd, "0", 1) != 1)
        return berth_error_errno(err, "join cgroup `%s`: write `%s` = `0`", dir, file);
    return 0;
}

int berth_cgroup_join_self(struct berth_cgroup_join *j, bool placed_v2, berth_error_t *err)
{
    int r = 0;

    for (size_t i = 0; i < j->n && r == 0; i++)
        r = write_self(j->tasks_fds[i], j->tasks_paths[i], "tasks", err);
    /* clone3 without CLONE_INTO_CGROUP (kernel < 5.7): the slow way. */
    if (r == 0 && j->v2_procs >= 0 && !placed_v2)
        r = write_self(j->v2_procs, j->v2_path, "cgroup.procs", err);
    berth_cgroup_join_release(j);
    return r;
}

void berth_cgroup_join_release(struct berth_cgroup_join *j)
{
    for (size_t i = 0; i < j->n; i++) {
        safe_close(j->tasks_fds[i]);
        free(j->tasks_paths[i]);
    }
    free(j->tasks_fds);
    free(j->tasks_paths);
    safe_close(j->v2_dirfd);
    safe_close(j->v2_procs);
    free(j->v2_path);
    *j = (struct berth_cgroup_join)BERTH_CGROUP_JOIN_INIT;
}
