/* mount.h: the mount plan of a container and its application.
 *
 * Building the plan is pure (config -> array of steps, no syscalls), so every
 * option-parsing and classification rule is unit tested without root
 * (tests/unit/test-mount.c). Applying the plan is the only part that mounts,
 * always onto fds resolved inside the rootfs (path-util.h).
 */
#ifndef BERTH_MOUNT_H
#define BERTH_MOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "idmap.h"
#include "mount-sources.h"
#include "cgroup/cgroup.h"
#include "oci-types.h"

enum berth_mount_kind {
    BERTH_MOUNT_FS,     /* a new filesystem instance: mount(2) with type + data */
    BERTH_MOUNT_BIND,   /* bind/rbind: open_tree(OPEN_TREE_CLONE) + move_mount */
    BERTH_MOUNT_CGROUP, /* type "cgroup"/"cgroup2": expanded by mount-cgroup.c */
};

struct berth_mount_step {
    enum berth_mount_kind kind;
    size_t index;              /* position in mounts[], for error messages */
    char *source;              /* bind: absolute host path (bundle-relative resolved) */
    char *destination;         /* as written in the config, for messages */
    char *type;                /* NULL for binds without a type */
    unsigned long flags;       /* MS_* to pass to mount(2) (FS) */
    unsigned long clear;       /* MS_* explicitly cleared (rw, suid, ...) */
    unsigned long propagation; /* MS_SHARED/SLAVE/PRIVATE/UNBINDABLE [|MS_REC], 0 = none */
    bool recursive;            /* rbind */
    uint64_t rattr_set;        /* mount_setattr(AT_RECURSIVE) attributes (rro, rnosuid, ...) */
    uint64_t rattr_clr;
    char *data;  /* filesystem-specific options joined by ',', NULL if none */
    bool copyup; /* tmpcopyup: fill the new tmpfs with what it covers */
    /* idmap/ridmap or per-mount uid/gidMappings: the bind uses the detached
     * idmapped tree the parent made (idmap.h, env->idmap_trees). */
    bool idmap;
    bool idmap_recursive; /* ridmap */
};

struct berth_mount_plan {
    struct berth_mount_step *steps;
    size_t len;
};

/* Facts about the container that change how a mount is done. */
struct berth_mount_env {
    const char *bundle; /* absolute; base of relative bind sources */
    bool netns;         /* the config asks for a network namespace */
    bool cgroupns;      /* the config asks for a cgroup namespace */
    bool userns;        /* in a user namespace (new, or berth's own) */
    /* linux.mountLabel, only when SELinux is enabled on the host (the
     * caller clears it otherwise): becomes context="..." in the data of new
     * filesystems other than proc, sysfs and mqueue, as runc does. */
    const char *mount_label;
    /* Detached idmapped trees by mounts[] index (idmap.h), or NULL. */
    const struct berth_idmap_trees *idmap_trees;
    const struct berth_mount_sources *mount_sources; /* mount-sources.h, or NULL */
    /* The container's cgroup directories (cgroup.h), the sources of the
     * cgroup binds: the init may not have joined them yet (init.c), so
     * /proc/self/cgroup does not tell. None: read /proc/self/cgroup. */
    const struct berth_cgroup_dir_ref *cgroup_dirs;
    size_t ncgroup_dirs;
    /* When not NULL, called before the cgroup directories are bound: they
     * may still be in the making (berth create). */
    int (*await_cgroup)(void *data, berth_error_t *err);
    void *await_data;
};

/* Fills env from the config's namespaces. */
void berth_mount_env_init(struct berth_mount_env *env, const oci_config *cfg, const char *bundle,
                          bool userns);

/* Parses one mount's options into step (flags, clear, propagation, bind,
 * recursive attrs, data). `what` names the mount in errors ("mounts[2]"). */
int berth_mount_parse_options(char *const *options, size_t n, const char *what,
                              struct berth_mount_step *step, berth_error_t *err);

/* Builds the plan of cfg->mounts in order. */
int berth_mount_plan_build(const oci_config *cfg, const struct berth_mount_env *env,
                           struct berth_mount_plan *ret, berth_error_t *err);
void berth_mount_plan_free(struct berth_mount_plan *plan);

/* Returns the step whose destination is `path` (e.g. "/dev"), the last one
 * when several, or NULL. */
/* Whether mounts[i] asks for "ro" but is mounted writable and made
 * read-only only at the end (berth_rootfs_finalize), as runc does for /dev:
 * /dev (device nodes, /dev/pts, /dev/shm, the console and links are made
 * in it afterwards) and any mount that a later mount sits under (its mount
 * point may have to be created). Nothing of the container runs before the
 * end, so the writable window is berth's own. */
bool berth_mount_ro_late(const oci_config *cfg, size_t i);

const struct berth_mount_step *berth_mount_plan_find(const struct berth_mount_plan *plan,
                                                     const char *path);

/* Applies one step under rootfd (the rootfs, before pivot_root). */
int berth_mount_apply(int rootfd, const struct berth_mount_step *step,
                      const struct berth_mount_env *env, berth_error_t *err);

#endif
