/* idmap.h: idmapped bind mounts (config.md "Mounts": options idmap/ridmap,
 * per-mount uidMappings/gidMappings), prepared by the parent.
 *
 * MOUNT_ATTR_IDMAP needs CAP_SYS_ADMIN over the filesystem's user namespace
 * (the host's) and a user namespace fd carrying the mapping: inside a
 * container user namespace the init has neither. So `berth create`, root on
 * the host, makes each idmapped mount BEFORE cloning the init: a throwaway
 * child unshares a user namespace, the parent writes the mapping and opens
 * /proc/CHILD/ns/user, then open_tree(OPEN_TREE_CLONE) + mount_setattr(
 * MOUNT_ATTR_IDMAP) give a detached, idmapped copy of the source. The init
 * inherits the fds with the rest of the parent's memory (it is a clone, see
 * sync.h), and mount-apply.c move_mount()s the tree onto the destination
 * resolved in the rootfs instead of cloning the source itself.
 */
#ifndef BERTH_IDMAP_H
#define BERTH_IDMAP_H

#include <stddef.h>

#include "util/error.h"
#include "oci-types.h"

struct berth_idmap_trees {
    int *fds; /* one per mounts[] entry: a detached idmapped tree, or -1 */
    size_t len;
};

/* Builds the trees of every idmapped entry of cfg->mounts (bind sources
 * relative to `bundle`). ret->fds is NULL when there is none. */
int berth_idmap_prepare(const oci_config *cfg, const char *bundle, struct berth_idmap_trees *ret,
                        berth_error_t *err);
void berth_idmap_trees_free(struct berth_idmap_trees *t);

/* The tree for mounts[index], or -1. */
int berth_idmap_tree(const struct berth_idmap_trees *t, size_t index);

#endif
