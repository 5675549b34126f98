/* mount-fd.c: the mount primitives on fds that the mount plan, the
 * devices, the cgroup mount and the rootfs share (mount-fd.h). Below all
 * of them: the plan (mount-apply.c) uses the cgroup mount (mount-cgroup.c),
 * and both use these. */
#include "mount-fd.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>

#include "util/cleanup.h"
#include "util/path-util.h"

int berth_mount_setattr_fd(int fd, bool recursive, uint64_t set, uint64_t clr,
                           unsigned long propagation, berth_error_t *err)
{
    struct mount_attr attr = {
        .attr_set = set,
        .attr_clr = clr,
        .propagation = propagation & ~(unsigned long)MS_REC,
    };
    unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);

    if (mount_setattr(fd, "", flags, &attr, sizeof(attr)) < 0)
        return berth_error_errno(err, "mount_setattr");
    return 0;
}

int berth_mount_bind_fd(int source_fd, const char *source, int destfd, bool recursive,
                        uint64_t attr_set, uint64_t attr_clr, berth_error_t *err)
{
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
    _cleanup_close_ int tree = -1;
    int r;

    tree = source ? open_tree(AT_FDCWD, source, flags)
                  : open_tree(source_fd, "", flags | AT_EMPTY_PATH);
    if (tree < 0)
        return berth_error_errno(err, "open_tree `%s`", source ? source : "fd");
    if (attr_set || attr_clr) {
        r = berth_mount_setattr_fd(tree, recursive, attr_set, attr_clr, 0, err);
        if (r < 0)
            return r;
    }
    if (move_mount(tree, "", destfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        return berth_error_errno(err, "move_mount");
    return 0;
}

int berth_mount_fs_fd(const char *source, int destfd, const char *type, unsigned long flags,
                      const char *data, berth_error_t *err)
{
    char target[BERTH_PROC_FD_PATH_MAX];

    if (mount(source, berth_proc_fd_path(destfd, target), type, flags, data) < 0)
        return berth_error_errno(err, "mount(2)");
    return 0;
}

int berth_mount_ro_tmpfs_fd(int destfd, berth_error_t *err)
{
    _cleanup_close_ int fs = -1, mnt = -1;

    /* As runc masks a directory: an empty tmpfs, read-only down to its
     * superblock, named "tmpfs" in mountinfo (nosuid, nodev, noexec would
     * add nothing to an empty read-only filesystem). */
    fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
    if (fs < 0)
        return berth_error_errno(err, "fsopen tmpfs");
    if (fsconfig(fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0) < 0 ||
        fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0 ||
        fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return berth_error_errno(err, "create tmpfs");
    mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
    if (mnt < 0)
        return berth_error_errno(err, "fsmount tmpfs");
    if (move_mount(mnt, "", destfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        return berth_error_errno(err, "move_mount tmpfs");
    return 0;
}
