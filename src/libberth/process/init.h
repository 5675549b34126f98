/* init.h: the container init, i.e. the clone of `berth create` that turns
 * itself into the container process.
 *
 * Everything it needs is prepared by the parent in struct berth_launch
 * before the clone (config already parsed and validated, namespace files
 * opened, capability names resolved); after the clone the child owns a
 * private copy of that memory, so nothing is serialised or re-parsed. */
#ifndef BERTH_INIT_H
#define BERTH_INIT_H

#include "security/security.h"
#include "rootfs/rootfs.h"
#include "cgroup/cgroup.h"
#include "util/context.h"
#include "ns/ns.h"
#include "oci-types.h"

struct berth_launch {
    const struct berth_context *ctx;
    const char *id;
    const oci_config *config;
    const char *bundle; /* absolute */
    const char *rootfs; /* absolute */
    bool no_pivot;
    bool no_new_keyring;
    struct berth_ns_plan ns;
    struct berth_caps caps;
    struct berth_seccomp *seccomp; /* linux.seccomp built by the parent, or NULL */
    int listen_fds;                /* LISTEN_FDS passed on (socket activation), else 0 */
    int extra_fds;                 /* listen_fds + preserve_fds: fds 3..3+extra_fds-1 stay open */
    int sync_fd;                   /* child end of the sync socketpair */
    int parent_sync_fd;            /* parent end, closed first thing in the child */
    /* The parent's own fds (state dir, its flock()ed lock fd: a lock lives
     * as long as any copy of its fd; the --console-socket connection),
     * closed first thing in the child. */
    int parent_fds[3];
    int fifo_fd; /* O_PATH fd of <state>/exec.fifo */
    /* Idmapped bind trees made by the parent (idmap.h), closed by the init
     * once the rootfs is mounted. */
    struct berth_idmap_trees idmap_trees;
    /* Bind sources the parent opened for a new user namespace
     * (mount-sources.h), received with USERNS_MAPPED; closed with the
     * idmap trees. */
    struct berth_mount_sources mount_sources;
    /* The container's cgroup, entered by the child itself (cgroup-join.h);
     * cgroup_placed: clone3 already put it in the cgroup2 directory. */
    struct berth_cgroup_join cgroup_join;
    bool cgroup_placed;
    /* The cgroup's directories, for the cgroup binds of the rootfs. */
    struct berth_cgroup_dir_ref *cgroup_dirs;
    size_t ncgroup_dirs;
    bool cgroup_ready; /* CGROUP_READY taken (init.c await_cgroup) */
    bool recorded;     /* RECORDED taken (init.c init_recv) */
    /* `berth run`: no exec.fifo (fifo_fd -1), START/STARTED over the sync
     * socket instead (init.c run_started). */
    bool run_start;
};

/* Entry point of the clone()d child; never returns. On failure it sends an
 * ERROR message (errno + text) and exits 1; on success it ends in execve. */
_Noreturn void berth_init_main(struct berth_launch *l);

#endif
