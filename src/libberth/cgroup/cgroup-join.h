/* cgroup-join.h: a new process enters the container's cgroup by itself.
 *
 * Why not the parent writing the child's pid to cgroup.procs: that write
 * takes cgroup_threadgroup_rwsem for writing, and the kernel's percpu
 * rwsem then waits for an RCU grace period (rcu_sync_enter ->
 * synchronize_rcu): 5-20 ms on this 2-CPU host, more than everything else
 * `berth run` does (bench/ANALYSIS.md). Recent kernels skip that lock when
 * a thread moves only itself (pid "0" written to a v1 `tasks` file:
 * 0.03 ms measured here), and clone3(CLONE_INTO_CGROUP) places a child in
 * a cgroup2 directory holding the lock only for reading. So:
 *
 *   parent: berth_cgroup_join_add() per directory opens the v1 `tasks`
 *     files (O_WRONLY: the kernel checks the opener's credentials, not the
 *     writer's, so the child may already be in its user namespace) and the
 *     cgroup2 directory; before the clone (exec), or the v1 ones after it,
 *     handed over with berth_cgroup_join_send/_recv (create, which makes
 *     the v1 directories while its init sets itself up);
 *   clone3(CLONE_INTO_CGROUP, v2_dirfd) when there is a cgroup2 directory;
 *   child, single-threaded: berth_cgroup_join_self() writes "0" to every
 *     `tasks` fd (and, only when the clone could not place it, "0" to the
 *     cgroup2 cgroup.procs, which does take the lock).
 *
 * The child has one thread, so moving the thread moves the process, with
 * the same result as a cgroup.procs write. On a kernel that still takes
 * the lock for a self-move the result is the same, only slower. */
#ifndef BERTH_CGROUP_JOIN_H
#define BERTH_CGROUP_JOIN_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroup.h"
#include "util/error.h"

struct berth_cgroup_join {
    int v2_dirfd; /* cgroup2 directory (O_RDONLY|O_DIRECTORY), or -1 */
    int v2_procs; /* its cgroup.procs (O_WRONLY), for a clone without CLONE_INTO_CGROUP */
    char *v2_path;
    int *tasks_fds; /* v1 `tasks` files, O_WRONLY */
    char **tasks_paths;
    size_t n;
};

#define BERTH_CGROUP_JOIN_INIT                                                                     \
    {                                                                                              \
        .v2_dirfd = -1, .v2_procs = -1                                                             \
    }

/* Opens what the child needs to join directory `path` (through dirfd, an
 * fd of it, when that is not -1). */
int berth_cgroup_join_add(struct berth_cgroup_join *j, int dirfd, const char *path, bool v2,
                          berth_error_t *err);

/* berth_cgroup_join_add() for the container's cgroup2 directory (v2) or
 * for its v1 ones (!v2). */
int berth_cgroup_join_prepare(const struct berth_cgroup *cg, bool v2, struct berth_cgroup_join *j,
                              berth_error_t *err);

/* The joiner of `berth exec` (cgroup-exec.c): its way into the container's
 * cgroup, or into `sub` below it (--cgroup "path" or "ctrl[,ctrl]:path"
 * entries, as runc; the sub-cgroup must exist, berth never creates it). */
int berth_cgroup_join_prepare_sub(const struct berth_cgroup *cg, const char *sub,
                                  struct berth_cgroup_join *j, berth_error_t *err);
/* create makes the v1 directories while the init already runs: the
 * `tasks` fds of j go to it over sock (fd-pass.h) in one message, and it
 * adds them to its own j, in the order of the v1 refs (cgroup.h), which
 * name them in errors. count is j's v1 count (the message before says it). */
int berth_cgroup_join_send(int sock, const struct berth_cgroup_join *j, berth_error_t *err);
int berth_cgroup_join_recv(int sock, struct berth_cgroup_join *j, size_t count,
                           const struct berth_cgroup_dir_ref *refs, size_t nrefs,
                           berth_error_t *err);

/* In the new, single-threaded child. placed_v2: clone3 already put it in
 * the cgroup2 directory. Closes the fds. */
int berth_cgroup_join_self(struct berth_cgroup_join *j, bool placed_v2, berth_error_t *err);

void berth_cgroup_join_release(struct berth_cgroup_join *j);

#endif
