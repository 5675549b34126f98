/* mount-cgroup.h: the `"type": "cgroup"` mount (usually /sys/fs/cgroup).
 *
 * Pure cgroup2 host: a cgroup2 mount (fresh with a cgroup namespace, else a
 * bind of the container's own cgroup directory). Hybrid/v1 host: a tmpfs at
 * the destination holding one directory per host hierarchy (each a fresh
 * cgroup mount with a cgroup namespace, else a bind of the container's own
 * cgroup in that hierarchy), plus cpu -> cpu,cpuacct style symlinks; the
 * tmpfs is made read-only at the end when the mount asks for "ro".
 */
#ifndef BERTH_MOUNT_CGROUP_H
#define BERTH_MOUNT_CGROUP_H

#include "util/error.h"
#include "mount.h"

int berth_mount_cgroup(int rootfd, const struct berth_mount_step *step,
                       const struct berth_mount_env *env, berth_error_t *err);

#endif
