/* pidns.h: the processes of a pid namespace, from /proc. */
#ifndef BERTH_PIDNS_H
#define BERTH_PIDNS_H

#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

/* The pids (as this /proc sees them, sorted) of every process in the pid
 * namespace of `init`: how a container without a cgroup (rootless) shows
 * its processes. -EINVAL when that namespace is berth's own (it would list
 * the host's processes); the errno of /proc/INIT/ns/pid (ENOENT) when init
 * is gone. */
int berth_pidns_pids(pid_t init, pid_t **ret, size_t *ret_n, berth_error_t *err);

#endif
