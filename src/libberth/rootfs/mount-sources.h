/* mount-sources.h: bind-mount sources opened by berth create for an init
 * in a new user namespace.
 *
 * The init makes the rootfs as the mapped root of its user namespace, which
 * is nobody on the host: a bind source below a directory only the host's
 * root may enter (a 0700 volume directory, a kubelet pod dir) cannot be
 * reached from there. runc opens such sources in the runtime and hands the
 * fds over; berth does the same. Once the init has its namespaces, berth
 * create (host root) opens each bind source through /proc/INIT/root, so the
 * fd names a mount of the container's own mount namespace (open_tree(2)
 * clones only mounts of the caller's namespace) and the path is walked
 * with the host's credentials. The fds travel with USERNS_MAPPED, or with
 * INIT_GO in the two-stage launch, whose init has its mount namespace only
 * then (sync.h);
 * the init clones them with open_tree(fd, "", AT_EMPTY_PATH) instead of
 * walking the path itself (mount-apply.c).
 *
 * A source berth create cannot open is left to the init, whose error then
 * names it as before. */
#ifndef BERTH_MOUNT_SOURCES_H
#define BERTH_MOUNT_SOURCES_H

#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"
#include "oci-types.h"

struct berth_mount_sources {
    int *fds; /* one per mounts[] entry: an O_PATH fd of its source, or -1 */
    size_t len;
};

/* Parent: opens the bind sources of cfg (relative ones against bundle) as
 * seen by process `pid`, and sends them on sock after the USERNS_MAPPED
 * whose value says how many follow (*ret_n). idmapped binds are skipped
 * (idmap.h makes their trees). */
int berth_mount_sources_open(pid_t pid, const oci_config *cfg, const char *bundle, int *fds,
                             size_t max, char *indexes, size_t size, size_t *ret_n,
                             berth_error_t *err);

/* Child: receives n fds sent with their mounts[] indexes, for a config of
 * nmounts mounts. */
int berth_mount_sources_recv(int sock, size_t n, size_t nmounts, struct berth_mount_sources *ret,
                             berth_error_t *err);

void berth_mount_sources_free(struct berth_mount_sources *s);

/* The fd for mounts[index], or -1. */
int berth_mount_source(const struct berth_mount_sources *s, size_t index);

#endif
