/* rootfs.h: building the container's filesystem view, run inside the new
 * mount namespace by the container init, before any privilege is dropped.
 *
 * Order (config.md "Mounts", config-linux.md "Devices", runtime-linux.md):
 *   1. berth_rootfs_prepare: make / private (rootfsPropagation), bind the
 *      rootfs onto itself, apply mounts[] in order, default devices,
 *      /dev symlinks, /dev/ptmx -> pts/ptmx.
 *   2. berth_rootfs_pivot: pivot_root (or MS_MOVE + chroot with no_pivot)
 *      and detach the old root.
 *   3. berth_rootfs_finalize: root.readonly remount, set the final
 *      propagation. (maskedPaths/readonlyPaths come with the rootfs issue.)
 */
#ifndef BERTH_ROOTFS_H
#define BERTH_ROOTFS_H

#include <stdbool.h>

#include "error.h"
#include "oci-types.h"

struct berth_rootfs {
    const oci_config *config;
    const char *rootfs;  /* absolute host path of root.path */
    const char *bundle;  /* absolute bundle dir, for relative mount sources */
    bool no_pivot;
    bool userns;         /* inside a new user namespace: devices are bind mounts */
};

int berth_rootfs_prepare(const struct berth_rootfs *r, berth_error_t *err);
int berth_rootfs_pivot(const struct berth_rootfs *r, berth_error_t *err);
int berth_rootfs_finalize(const struct berth_rootfs *r, berth_error_t *err);

#endif
