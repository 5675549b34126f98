/* resctrl-root.h: where the resctrl filesystem (Intel RDT, AMD QoS) is
 * mounted, as runc finds it: /sys/fs/resctrl when resctrl is mounted
 * there, else the first resctrl mount of /proc/self/mountinfo. */
#ifndef BERTH_RESCTRL_ROOT_H
#define BERTH_RESCTRL_ROOT_H

#include "error.h"

/* override (the context's resctrl_root: BERTH_RESCTRL_ROOT, for tests
 * against a resctrl-shaped directory) wins when set. *ret is malloc'd.
 * -ENOENT "no resctrl filesystem is mounted on this host". */
int berth_resctrl_root(const char *override, char **ret, berth_error_t *err);

#endif
