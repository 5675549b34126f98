/* path-util.h: resolving paths INSIDE a container rootfs safely.
 *
 * Every destination taken from config.json is resolved relative to a root
 * directory fd with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), so a
 * symlink in the rootfs (rootfs/dev -> /etc, rootfs/mnt -> ../../..) is
 * interpreted as if the rootfs were "/" and can never name a host path.
 * This is what protects mounts against the CVE-2021-30465 class of attacks:
 * callers mount onto the returned O_PATH fd (move_mount or
 * /proc/self/fd/N), never onto a string path that the kernel would resolve
 * again.
 */
#ifndef BERTH_PATH_UTIL_H
#define BERTH_PATH_UTIL_H

#include <sys/types.h>

#include "error.h"

/* "/proc/self/fd/" + INT_MAX + NUL */
#define BERTH_PROC_FD_PATH_MAX 32

/* Skips the leading slashes of a container path: "/dev/pts" -> "dev/pts",
 * "/" -> "". */
const char *berth_path_rel(const char *path);

/* path made absolute against the current directory (malloc'd), or NULL
 * with errno set (getcwd's, or ENOMEM). A path given on the command line
 * (--pid-file, --image-path) means the same after we chdir or fork. */
char *berth_path_absolute(const char *path);

/* Formats "/proc/self/fd/<fd>" into buf. */
char *berth_proc_fd_path(int fd, char buf[BERTH_PROC_FD_PATH_MAX]);

/* Opens `path` inside rootfd with `flags` (O_CLOEXEC is added). Returns the
 * fd, or <0 with *err set ("open `/dev` in rootfs: ..."). */
int berth_path_open_in_root(int rootfd, const char *path, int flags, berth_error_t *err);

/* mkdir -p of `path` inside rootfd (every component resolved in the root);
 * returns an O_PATH|O_DIRECTORY fd of the final directory. */
int berth_path_mkdir_in_root(int rootfd, const char *path, mode_t mode, berth_error_t *err);

/* Makes sure `path` exists inside rootfd, creating missing parent
 * directories and an empty regular file when absent (a mount point for a
 * file bind mount); returns an O_PATH fd of it. An existing non-directory of
 * any type is accepted; an existing directory is accepted too (the caller's
 * mount then fails with a clear ENOTDIR-ish error). */
int berth_path_touch_in_root(int rootfd, const char *path, mode_t mode, berth_error_t *err);

/* Splits `path` into the O_PATH fd of its parent directory inside rootfd
 * (created when missing) and its last component, copied to *ret_name.
 * Fails with EINVAL for "/" or a path ending in "." or "..". */
int berth_path_open_parent_in_root(int rootfd, const char *path, char **ret_name,
                                   berth_error_t *err);

#endif
