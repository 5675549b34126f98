/* rootfs.h: building the container's filesystem view, run inside the new
 * mount namespace by the container init, before any privilege is dropped.
 *
 * Order (config.md "Mounts", config-linux.md "Devices", runtime-linux.md):
 *   1. berth_rootfs_prepare: make every mount rprivate (rslave for
 *      rootfsPropagation slave/shared), bind the rootfs onto itself, apply
 *      mounts[] in order, default devices and linux.devices, /dev symlinks,
 *      /dev/ptmx -> pts/ptmx.
 *   2. berth_rootfs_pivot: pivot_root (or MS_MOVE + chroot with no_pivot)
 *      and detach the old root.
 *   3. berth_rootfs_finalize: readonlyPaths, maskedPaths, root.readonly
 *      remount, set the final propagation.
 *
 * What init does between the steps:
 *   - after prepare, before pivot: open anything that lives outside the
 *     rootfs (the exec fifo as O_PATH, ...): after pivot the host paths
 *     are gone;
 *   - after pivot, before finalize: the console (process.terminal: the
 *     pty from the container's /dev/ptmx bound to /dev/console);
 *   - after pivot, before finalize: sysctl writes (they need /proc/sys
 *     writable: readonlyPaths usually contains it), hostname.
 * Preconditions: running in a NEW mount namespace (prepare changes the
 * propagation of /; it refuses a config without a mount namespace), as root of the current user
 * namespace, with the host /proc still mounted at /proc (prepare mounts via /proc/self/fd/N), and
 * already in the container's cgroup (the cgroup mount binds it).
 */
#ifndef BERTH_ROOTFS_H
#define BERTH_ROOTFS_H

#include <stdbool.h>

#include "util/error.h"
#include "idmap.h"
#include "mount-sources.h"
#include "mount-flags.h"
#include "cgroup/cgroup.h"
#include "oci-types.h"

struct berth_rootfs {
    const oci_config *config;
    const char *rootfs; /* absolute host path of root.path */
    const char *bundle; /* absolute bundle dir, for relative mount sources */
    bool no_pivot;
    bool userns; /* in a user namespace (new, or berth's own): devices are binds */
    /* Detached idmapped trees made by the parent before the clone, by
     * mounts[] index (idmap.h); NULL when no mount is idmapped. */
    const struct berth_idmap_trees *idmap_trees;
    /* Bind sources opened by the parent (mount-sources.h), or none. */
    const struct berth_mount_sources *mount_sources;
    /* The container's cgroup directories (mount.h), or none. */
    const struct berth_cgroup_dir_ref *cgroup_dirs;
    size_t ncgroup_dirs;
    /* Called before they are bound (create makes them meanwhile). */
    int (*await_cgroup)(void *data, berth_error_t *err);
    void *await_data;
};

/* Resolves root.path against the bundle (config.md "Root"), canonicalised;
 * fails when it is not an existing directory. Fills berth_rootfs.rootfs. */
int berth_rootfs_resolve_path(const oci_config *cfg, const char *bundle, char **ret,
                              berth_error_t *err);

int berth_rootfs_prepare(const struct berth_rootfs *r, berth_error_t *err);
int berth_rootfs_pivot(const struct berth_rootfs *r, berth_error_t *err);
int berth_rootfs_finalize(const struct berth_rootfs *r, berth_error_t *err);

#endif
