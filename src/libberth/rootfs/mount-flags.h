/* mount-flags.h: the table of mount option strings berth understands
 * (config.md "Linux mount options") and what each one means: a mount(2) flag
 * to set or clear, a propagation type, a bind, or a mount_setattr(2)
 * attribute applied recursively. Strings that are not in the table are
 * filesystem-specific and go to mount(2) `data`. Pure data, no syscalls.
 */
#ifndef BERTH_MOUNT_FLAGS_H
#define BERTH_MOUNT_FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum berth_mount_opt_kind {
    BERTH_MOPT_FLAG,        /* a mount(2) MS_* flag (set, or cleared when `clear`) */
    BERTH_MOPT_PROPAGATION, /* MS_SHARED/SLAVE/PRIVATE/UNBINDABLE, maybe |MS_REC */
    BERTH_MOPT_BIND,        /* bind (flag = MS_BIND) or rbind (MS_BIND|MS_REC) */
    BERTH_MOPT_RECURSIVE,   /* mount_setattr(AT_RECURSIVE): attr_set / attr_clr */
    BERTH_MOPT_IGNORE,      /* "defaults": nothing to do */
    BERTH_MOPT_COPYUP,      /* tmpcopyup: copy the covered directory into the tmpfs */
    BERTH_MOPT_IDMAP,       /* idmap (flag 0) or ridmap (flag MS_REC): see idmap.h */
    BERTH_MOPT_UNSUPPORTED, /* recognised but not implemented: EOPNOTSUPP */
};

struct berth_mount_opt {
    const char *name;
    enum berth_mount_opt_kind kind;
    bool clear;         /* BERTH_MOPT_FLAG: clear `flag` instead of setting it */
    unsigned long flag; /* MS_* value */
    uint64_t attr_set;  /* BERTH_MOPT_RECURSIVE: MOUNT_ATTR_* to set */
    uint64_t attr_clr;  /* BERTH_MOPT_RECURSIVE: MOUNT_ATTR_* to clear */
};

/* Returns the table row for an option string, or NULL for a
 * filesystem-specific option. */
const struct berth_mount_opt *berth_mount_opt_find(const char *name);

/* The name of option i of the table, NULL past its end: every option the
 * mount code applies, which is what `berth features` lists. */
const char *berth_mount_opt_name(size_t i);

/* Translates the per-mount MS_* flags a bind mount can change (ro, nosuid,
 * nodev, noexec, atime family, nodiratime, nosymfollow) into
 * mount_setattr(2) attributes: `set` are the MS_* flags requested, `clr` the
 * ones explicitly cleared (rw, suid, ...). */
void berth_mount_flags_to_attr(unsigned long set, unsigned long clr, uint64_t *ret_attr_set,
                               uint64_t *ret_attr_clr);

#endif
