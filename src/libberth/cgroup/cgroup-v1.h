/* cgroup-v1.h: the legacy (v1) hierarchies' writers. Each takes the fd of
 * the container's directory in that controller's hierarchy and writes only
 * what the resources object sets, in an order the kernel accepts. A file the host lacks is an error
 * naming the file and the value. */
#ifndef BERTH_CGROUP_V1_H
#define BERTH_CGROUP_V1_H

#include <stdbool.h>

#include "util/context.h"
#include "util/error.h"
#include "oci-types.h"

/* Deny everything, then the rules in order, then the defaults when
 * with_defaults (create; an update replaces the list as given). */
int berth_cgv1_devices(int dirfd, const oci_device_cgroup *d, size_t n, bool with_defaults,
                       berth_error_t *err);

/* A new cpuset cgroup starts with empty cpus and mems, and a task cannot
 * join it until they are set: copies them from the parent when empty. */
int berth_cgv1_cpuset_init(int parentfd, int dirfd, berth_error_t *err);

/* freezer.state: FROZEN / THAWED, waiting (bounded) until the kernel
 * reports the state; -ETIMEDOUT after timeout_ms. */
int berth_cgv1_freeze(int dirfd, bool frozen, int timeout_ms, berth_error_t *err);
int berth_cgv1_is_frozen(int dirfd, bool *ret, berth_error_t *err);

#endif
