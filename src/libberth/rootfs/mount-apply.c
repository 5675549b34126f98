/* mount-apply.c: performs mount plan steps inside the rootfs.
 *
 * Destinations are always O_PATH fds resolved with RESOLVE_IN_ROOT
 * (path-util.h). Bind mounts use the new mount API: open_tree(OPEN_TREE_CLONE)
 * gives a detached copy whose attributes are set with mount_setattr(2) before
 * move_mount() attaches it to the destination fd. mount_setattr only touches
 * the attributes the config names, so flags the kernel locks in a user
 * namespace (nosuid, nodev, ro of a host mount) are kept without a
 * statvfs() dance. Idmapped binds move the tree the parent prepared
 * (idmap.h) instead of cloning the source. New filesystems use mount(2) onto /proc/self/fd/N, which
 * the kernel resolves to exactly the fd's dentry.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "util/cleanup.h"
#include "util/copy-tree.h"
#include "mount-cgroup.h"
#include "mount-fd.h"
#include "mount-flags.h"
#include "mount.h"
#include "util/path-util.h"

/* Mount point for a bind of `tree`: a directory for a directory, an empty
 * file for anything else (file binds, device binds). */
static int bind_dest(int rootfd, int tree, const char *dest, berth_error_t *err)
{
    struct stat st;

    if (fstat(tree, &st) < 0)
        return berth_error_errno(err, "stat source");
    if (S_ISDIR(st.st_mode))
        return berth_path_mkdir_in_root(rootfd, dest, 0755, err);
    return berth_path_touch_in_root(rootfd, dest, 0644, err);
}

static int apply_bind(int rootfd, const struct berth_mount_step *s,
                      const struct berth_mount_env *env, berth_error_t *err)
{
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (s->recursive ? AT_RECURSIVE : 0);
    _cleanup_close_ int tree = -1, dest = -1;
    uint64_t set, clr;
    int r;

    if (s->idmap) {
        /* The parent made the idmapped tree (idmap.h): only it could. Take
         * our copy of the fd: a detached tree is attached once. */
        int fd = berth_idmap_tree(env->idmap_trees, s->index);

        if (fd < 0)
            return berth_error_make(err, EINVAL, "idmap: no idmapped tree was prepared");
        tree = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (tree < 0)
            return berth_error_errno(err, "idmap: dup tree fd");
    } else if (berth_mount_source(env->mount_sources, s->index) >= 0) {
        /* Opened by berth create with the host's credentials, in our
         * mount namespace (mount-sources.h): no path walk as our root. */
        tree =
            open_tree(berth_mount_source(env->mount_sources, s->index), "", flags | AT_EMPTY_PATH);
    } else {
        tree = open_tree(AT_FDCWD, s->source, flags);
    }
    if (tree < 0)
        return berth_error_errno(err, "open_tree");
    dest = bind_dest(rootfd, tree, s->destination, err);
    if (dest < 0)
        return dest;
    /* Per-mount flags (ro, nosuid, ...) apply to the top mount only, as
     * with mount(8); the r* options apply to the whole tree. */
    berth_mount_flags_to_attr(s->flags, s->clear, &set, &clr);
    if ((set || clr) && (r = berth_mount_setattr_fd(tree, false, set, clr, 0, err)) < 0)
        return r;
    if ((s->rattr_set || s->rattr_clr) &&
        (r = berth_mount_setattr_fd(tree, true, s->rattr_set, s->rattr_clr, 0, err)) < 0)
        return r;
    if (move_mount(tree, "", dest, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        return berth_error_errno(err, "move_mount");
    /* Propagation can only be changed on an attached mount; `tree` now is
     * the root of the new mount. */
    if (s->propagation)
        return berth_mount_setattr_fd(tree, s->propagation & MS_REC, 0, 0, s->propagation, err);
    return 0;
}

/* After mount(2) the fd of the mount point (`covered`) still names the
 * covered directory; re-resolve the destination to reach the new mount's
 * root. */
static int fs_post_mount(int rootfd, int covered, const struct berth_mount_step *s,
                         berth_error_t *err)
{
    _cleanup_close_ int fd = -1;
    int r = 0;

    if (!s->propagation && !s->rattr_set && !s->rattr_clr && !s->copyup)
        return 0;
    fd = berth_path_open_in_root(rootfd, s->destination, O_PATH, err);
    if (fd < 0)
        return fd;
    if (s->copyup && (r = berth_copy_tree(covered, fd, err)) < 0)
        return r;
    if (s->rattr_set || s->rattr_clr)
        r = berth_mount_setattr_fd(fd, true, s->rattr_set, s->rattr_clr, 0, err);
    if (r == 0 && s->propagation)
        r = berth_mount_setattr_fd(fd, s->propagation & MS_REC, 0, 0, s->propagation, err);
    return r;
}

static int apply_fs(int rootfd, const struct berth_mount_step *s, berth_error_t *err)
{
    _cleanup_close_ int dest = -1;
    const char *source = s->source ? s->source : s->type;
    int r;

    if (s->flags & MS_REMOUNT)
        dest = berth_path_open_in_root(rootfd, s->destination, O_PATH, err);
    else
        dest = berth_path_mkdir_in_root(rootfd, s->destination, 0755, err);
    if (dest < 0)
        return dest;
    r = berth_mount_fs_fd(source, dest, s->type, s->flags, s->data, err);
    if (r < 0)
        return r;
    return fs_post_mount(rootfd, dest, s, err);
}

/* runc's CVE-2019-19921 hardening: procfs and sysfs go on a directory of
 * the image, never where the image put a symlink or a file: resolved in
 * the root, `/proc -> /x` would put procfs elsewhere and `/sys -> /` would
 * cover the whole root. The last component is looked at without following
 * it; one that does not exist yet is made as a directory. */
static int check_ordinary_dir(int rootfd, const struct berth_mount_step *s, berth_error_t *err)
{
    _cleanup_free_ char *dest = strdup(s->destination);
    _cleanup_close_ int parent = -1;
    struct stat st;
    char *slash;

    if (!dest)
        return berth_error_make(err, ENOMEM, "mount destination");
    for (size_t n = strlen(dest); n > 1 && dest[n - 1] == '/'; n--)
        dest[n - 1] = '\0';
    slash = strrchr(dest, '/');
    if (!slash || !slash[1])
        return 0; /* the root itself: a directory */
    *slash = '\0';
    /* /proc and /sys are right below the root: one fstatat, no open */
    if (dest[0]) {
        parent = berth_path_open_in_root(rootfd, dest, O_PATH | O_DIRECTORY, err);
        if (parent == -ENOENT) {
            berth_error_release(err);
            return 0;
        }
        if (parent < 0)
            return parent;
    }
    if (fstatat(dest[0] ? parent : rootfd, slash + 1, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? 0 : berth_error_errno(err, "stat `%s`", s->destination);
    if (!S_ISDIR(st.st_mode))
        return berth_error_make(err, ENOTDIR,
                                "filesystem \"%s\" must be mounted on ordinary directory", s->type);
    return 0;
}

static int apply_step(int rootfd, const struct berth_mount_step *s,
                      const struct berth_mount_env *env, berth_error_t *err)
{
    int r = 0;

    if (s->type && (strcmp(s->type, "proc") == 0 || strcmp(s->type, "sysfs") == 0))
        r = check_ordinary_dir(rootfd, s, err);
    if (r < 0)
        return r;
    switch (s->kind) {
    case BERTH_MOUNT_BIND:
        return apply_bind(rootfd, s, env, err);
    case BERTH_MOUNT_CGROUP:
        return berth_mount_cgroup(rootfd, s, env, err);
    default:
        return apply_fs(rootfd, s, err);
    }
}

int berth_mount_apply(int rootfd, const struct berth_mount_step *s,
                      const struct berth_mount_env *env, berth_error_t *err)
{
    int r = apply_step(rootfd, s, env, err);

    if (r >= 0)
        return 0;
    if (s->kind != BERTH_MOUNT_BIND && s->type)
        return berth_error_wrap(err, "mounts[%zu]: mount %s to %s (type %s)", s->index,
                                s->source ? s->source : s->type, s->destination, s->type);
    return berth_error_wrap(err, "mounts[%zu]: mount %s to %s", s->index,
                            s->source ? s->source : "none", s->destination);
}
