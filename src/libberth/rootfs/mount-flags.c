/* mount-flags.c: the option table of config.md "Linux mount options". */
#include <string.h>
#include <sys/mount.h>

#include "mount-flags.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

#define FLAG(n, f)                                                                                 \
    {                                                                                              \
        n, BERTH_MOPT_FLAG, false, f, 0, 0                                                         \
    }
#define CLEAR(n, f)                                                                                \
    {                                                                                              \
        n, BERTH_MOPT_FLAG, true, f, 0, 0                                                          \
    }
#define PROP(n, f)                                                                                 \
    {                                                                                              \
        n, BERTH_MOPT_PROPAGATION, false, f, 0, 0                                                  \
    }
#define RSET(n, a)                                                                                 \
    {                                                                                              \
        n, BERTH_MOPT_RECURSIVE, false, 0, a, 0                                                    \
    }
#define RCLR(n, a)                                                                                 \
    {                                                                                              \
        n, BERTH_MOPT_RECURSIVE, false, 0, 0, a                                                    \
    }
/* mount_setattr(2): an atime change must clear the whole MOUNT_ATTR__ATIME
 * field and set one value of it. */
#define RATIME(n, a)                                                                               \
    {                                                                                              \
        n, BERTH_MOPT_RECURSIVE, false, 0, a, MOUNT_ATTR__ATIME                                    \
    }

static const struct berth_mount_opt opts[] = {
    {"defaults", BERTH_MOPT_IGNORE, false, 0, 0, 0},
    FLAG("ro", MS_RDONLY),
    CLEAR("rw", MS_RDONLY),
    CLEAR("suid", MS_NOSUID),
    FLAG("nosuid", MS_NOSUID),
    CLEAR("dev", MS_NODEV),
    FLAG("nodev", MS_NODEV),
    CLEAR("exec", MS_NOEXEC),
    FLAG("noexec", MS_NOEXEC),
    FLAG("sync", MS_SYNCHRONOUS),
    CLEAR("async", MS_SYNCHRONOUS),
    FLAG("dirsync", MS_DIRSYNC),
    FLAG("remount", MS_REMOUNT),
    FLAG("mand", MS_MANDLOCK),
    CLEAR("nomand", MS_MANDLOCK),
    CLEAR("atime", MS_NOATIME),
    FLAG("noatime", MS_NOATIME),
    CLEAR("diratime", MS_NODIRATIME),
    FLAG("nodiratime", MS_NODIRATIME),
    FLAG("relatime", MS_RELATIME),
    CLEAR("norelatime", MS_RELATIME),
    FLAG("strictatime", MS_STRICTATIME),
    CLEAR("nostrictatime", MS_STRICTATIME),
    FLAG("lazytime", MS_LAZYTIME),
    CLEAR("nolazytime", MS_LAZYTIME),
    FLAG("silent", MS_SILENT),
    CLEAR("loud", MS_SILENT),
    FLAG("iversion", MS_I_VERSION),
    CLEAR("noiversion", MS_I_VERSION),
    FLAG("nosymfollow", MS_NOSYMFOLLOW),
    CLEAR("symfollow", MS_NOSYMFOLLOW),
    {"bind", BERTH_MOPT_BIND, false, MS_BIND, 0, 0},
    {"rbind", BERTH_MOPT_BIND, false, MS_BIND | MS_REC, 0, 0},
    PROP("private", MS_PRIVATE),
    PROP("rprivate", MS_PRIVATE | MS_REC),
    PROP("shared", MS_SHARED),
    PROP("rshared", MS_SHARED | MS_REC),
    PROP("slave", MS_SLAVE),
    PROP("rslave", MS_SLAVE | MS_REC),
    PROP("unbindable", MS_UNBINDABLE),
    PROP("runbindable", MS_UNBINDABLE | MS_REC),
    RSET("rro", MOUNT_ATTR_RDONLY),
    RCLR("rrw", MOUNT_ATTR_RDONLY),
    RSET("rnosuid", MOUNT_ATTR_NOSUID),
    RCLR("rsuid", MOUNT_ATTR_NOSUID),
    RSET("rnodev", MOUNT_ATTR_NODEV),
    RCLR("rdev", MOUNT_ATTR_NODEV),
    RSET("rnoexec", MOUNT_ATTR_NOEXEC),
    RCLR("rexec", MOUNT_ATTR_NOEXEC),
    RSET("rnodiratime", MOUNT_ATTR_NODIRATIME),
    RCLR("rdiratime", MOUNT_ATTR_NODIRATIME),
    RSET("rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW),
    RCLR("rsymfollow", MOUNT_ATTR_NOSYMFOLLOW),
    /* "atime" means "not noatime": the kernel default is relatime. */
    RATIME("ratime", MOUNT_ATTR_RELATIME),
    RATIME("rnoatime", MOUNT_ATTR_NOATIME),
    RATIME("rrelatime", MOUNT_ATTR_RELATIME),
    RATIME("rnorelatime", MOUNT_ATTR_STRICTATIME),
    RATIME("rstrictatime", MOUNT_ATTR_STRICTATIME),
    RATIME("rnostrictatime", MOUNT_ATTR_RELATIME),
    {"tmpcopyup", BERTH_MOPT_COPYUP, false, 0, 0, 0},
    {"idmap", BERTH_MOPT_IDMAP, false, 0, 0, 0},
    {"ridmap", BERTH_MOPT_IDMAP, false, MS_REC, 0, 0},
};

const char *berth_mount_opt_name(size_t i)
{
    return i < sizeof(opts) / sizeof(opts[0]) ? opts[i].name : NULL;
}

const struct berth_mount_opt *berth_mount_opt_find(const char *name)
{
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
        if (strcmp(opts[i].name, name) == 0)
            return &opts[i];
    return NULL;
}

static const struct {
    unsigned long ms;
    uint64_t attr;
} ms_attr[] = {
    {MS_RDONLY, MOUNT_ATTR_RDONLY},         {MS_NOSUID, MOUNT_ATTR_NOSUID},
    {MS_NODEV, MOUNT_ATTR_NODEV},           {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
    {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
};

void berth_mount_flags_to_attr(unsigned long set, unsigned long clr, uint64_t *ret_attr_set,
                               uint64_t *ret_attr_clr)
{
    uint64_t aset = 0, aclr = 0;

    for (size_t i = 0; i < sizeof(ms_attr) / sizeof(ms_attr[0]); i++) {
        if (set & ms_attr[i].ms)
            aset |= ms_attr[i].attr;
        else if (clr & ms_attr[i].ms)
            aclr |= ms_attr[i].attr;
    }
    /* The atime family is one field: the last word wins (the plan keeps
     * only one of them in `set`); "atime"/"norelatime"/"nostrictatime"
     * fall back to the kernel default, relatime. */
    if (set & MS_NOATIME)
        aset |= MOUNT_ATTR_NOATIME, aclr |= MOUNT_ATTR__ATIME;
    else if (set & MS_STRICTATIME)
        aset |= MOUNT_ATTR_STRICTATIME, aclr |= MOUNT_ATTR__ATIME;
    else if ((set & MS_RELATIME) || (clr & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)))
        aset |= MOUNT_ATTR_RELATIME, aclr |= MOUNT_ATTR__ATIME;
    *ret_attr_set = aset;
    *ret_attr_clr = aclr;
}
