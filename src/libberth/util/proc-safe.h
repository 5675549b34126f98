/* proc-safe.h: writes to procfs files that a container cannot redirect.
 *
 * Threat (CVE-2019-16884, CVE-2025-52881): the path "/proc/..." inside a
 * container is only as trustworthy as the mounts of the container. A config
 * mount, a fake procfs or a bind mount over /proc/sys/x or /proc/self/attr/x
 * can send a runtime's write (sysctl values, LSM labels) to an arbitrary
 * file, on the host or in the rootfs. Every such write therefore goes
 * through a procfs root that is verified (or private), and is resolved
 * below it with openat2 RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS | RESOLVE_BENEATH: no mount, no symlink may be
 * crossed on the way to the file, and the opened file itself is checked to
 * be on procfs. */
#ifndef BERTH_PROC_SAFE_H
#define BERTH_PROC_SAFE_H

#include <stddef.h>

#include "error.h"

/* An O_PATH fd of a procfs root: a private procfs instance of our pid
 * namespace (fsopen/fsmount, nothing can be mounted over it) when the
 * kernel allows it, else the mount at /proc, accepted only if it is the
 * root (inode 1) of a procfs (f_type PROC_SUPER_MAGIC). */
int berth_proc_root_open(berth_error_t *err);

/* Opens `rel` (e.g. "sys/kernel/hostname", "thread-self/attr/exec") below
 * the procfs root `procfd` with `flags`, refusing any mount crossing,
 * symlink or non-procfs result. Returns the fd or -errno (err set). */
int berth_proc_open(int procfd, const char *rel, int flags, berth_error_t *err);

/* Opens `rel` O_WRONLY as above and writes `value` in one write(2). */
int berth_proc_write(int procfd, const char *rel, const char *value, size_t len,
                     berth_error_t *err);

#endif
