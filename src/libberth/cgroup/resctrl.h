/* resctrl.h: linux.intelRdt (config-linux.md "IntelRdt") on the resctrl
 * filesystem, as runc 1.4's intelrdt manager:
 *
 *   group    <root>/<closID>, or <root>/<container id> without one ("/" is
 *            the root group); made when missing, and then removed at
 *            delete; a closID group is never removed (others may share it);
 *            a closID without any schema must already exist (the spec: the
 *            CLOS is pre-configured);
 *   schemata l3CacheSchema, memBwSchema and the schemata lines, in one
 *            write of the group's `schemata`; l3CacheSchema needs CAT
 *            (info/L3), memBwSchema MBA (info/MB);
 *   tasks    the init's pid (then every exec'd process's), in the group and,
 *            with enableMonitoring, in mon_groups/<container id>.
 *
 * What create made is recorded in the state directory (`resctrl`), which
 * exec, update and delete read. Errors carry the kernel's
 * info/last_cmd_status, as runc's. The root is the context's resctrl_root
 * (BERTH_RESCTRL_ROOT: tests run against a resctrl-shaped directory) or the
 * host's mount (resctrl-root.h). */
#ifndef BERTH_RESCTRL_H
#define BERTH_RESCTRL_H

#include <sys/types.h>

#include "util/context.h"
#include "util/error.h"
#include "oci-types.h"

/* create: the group, its schemata and the init in it; recorded in the
 * state directory state_dirfd. A no-op without intelRdt. On failure
 * nothing is left (what was made is removed). */
int berth_resctrl_apply(const struct berth_context *ctx, const oci_intel_rdt *r, const char *id,
                        pid_t pid, int state_dirfd, berth_error_t *err);

/* exec: pid into the container's group (and monitoring group); a no-op for
 * a container without one. */
int berth_resctrl_join(int state_dirfd, pid_t pid, berth_error_t *err);

/* update --l3-cache-schema / --mem-bw-schema (either may be NULL). */
int berth_resctrl_update(int state_dirfd, const char *l3, const char *mb, berth_error_t *err);

/* delete (and a failed create): the groups create made. */
int berth_resctrl_destroy(int state_dirfd, berth_error_t *err);

#endif
