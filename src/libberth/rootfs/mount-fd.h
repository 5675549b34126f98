/* mount-fd.h: mount primitives on O_PATH fds (mount-fd.c), shared by the
 * mount plan (mount-apply.c), devices (dev.c), the cgroup mount
 * (mount-cgroup.c) and the rootfs (rootfs.c). */
#ifndef BERTH_MOUNT_FD_H
#define BERTH_MOUNT_FD_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

/* Bind-mounts host path `source` (or fd `source_fd` with source NULL) onto
 * the O_PATH fd `destfd`, with `attr_set`/`attr_clr` (MOUNT_ATTR_*) on the
 * new mount (recursively applied when `recursive`). */
int berth_mount_bind_fd(int source_fd, const char *source, int destfd, bool recursive,
                        uint64_t attr_set, uint64_t attr_clr, berth_error_t *err);

/* Mounts a fresh filesystem onto the O_PATH fd `destfd` via mount(2) on
 * /proc/self/fd/N (the host /proc, before pivot_root). */
int berth_mount_fs_fd(const char *source, int destfd, const char *type, unsigned long flags,
                      const char *data, berth_error_t *err);

/* Mounts a new read-only, empty tmpfs onto destfd with the new mount API
 * (no /proc needed: usable after pivot_root). */
int berth_mount_ro_tmpfs_fd(int destfd, berth_error_t *err);

/* Sets MOUNT_ATTR_* on the mount at the root of O_PATH fd `fd`. */
int berth_mount_setattr_fd(int fd, bool recursive, uint64_t set, uint64_t clr,
                           unsigned long propagation, berth_error_t *err);

#endif
