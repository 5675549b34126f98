/* rootfs.c: orchestration of the container's filesystem view (rootfs.h):
 * propagation of /, the rootfs bind, mounts[], /dev, pivot_root, and the
 * finishing steps (readonlyPaths, maskedPaths, root.readonly, final
 * propagation). Mount mechanics live in mount*.c, devices in dev.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/io.h"
#include "dev.h"
#include "mount-fd.h"
#include "mount.h"
#include "util/path-util.h"
#include "rootfs.h"

#ifndef SELINUX_MAGIC
#define SELINUX_MAGIC 0xf97cff8c
#endif

int berth_rootfs_resolve_path(const oci_config *cfg, const char *bundle, char **ret,
                              berth_error_t *err)
{
    _cleanup_free_ char *joined = NULL;
    const char *p;
    struct stat st;

    if (!cfg->root || !cfg->root->path)
        return berth_error_make(err, 0, "root.path: missing");
    p = cfg->root->path;
    /* config.md "Root": path is absolute or relative to the bundle. */
    if (p[0] != '/') {
        if (asprintf(&joined, "%s/%s", bundle ? bundle : ".", p) < 0)
            return berth_error_make(err, ENOMEM, "root.path");
        p = joined;
    }
    /* pivot_root and the self-bind need the canonical path. */
    *ret = realpath(p, NULL);
    if (!*ret)
        return berth_error_errno(err, "root.path `%s`", p);
    /* config.md "Root": a directory MUST exist at the path. */
    if (stat(*ret, &st) < 0 || !S_ISDIR(st.st_mode)) {
        free(*ret);
        *ret = NULL;
        return berth_error_make(err, ENOTDIR, "root.path `%s`", p);
    }
    return 0;
}

static const char *propagation_of(const struct berth_rootfs *r)
{
    const oci_linux *l = r->config->linux;
    const char *p = l && l->rootfsPropagation ? l->rootfsPropagation : "private";

    return p[0] == 'r' ? p + 1 : p; /* accept runc's rshared, rslave, ... */
}

/* The first step, before anything is mounted: every mount of the new
 * namespace becomes private (or a slave for "slave" and "shared"), so no
 * mount we make below the rootfs can propagate back to the host. "shared"
 * gets its new peer group only after pivot_root (finalize), as in runc:
 * making the host-copied / shared here would leak our mounts to the host. */
static int isolate_root(const struct berth_rootfs *r, berth_error_t *err)
{
    const char *p = propagation_of(r);
    unsigned long flags = MS_REC | MS_PRIVATE;

    if (strcmp(p, "slave") == 0 || strcmp(p, "shared") == 0)
        flags = MS_REC | MS_SLAVE;
    else if (strcmp(p, "private") != 0 && strcmp(p, "unbindable") != 0)
        return berth_error_make(err, 0, "linux.rootfsPropagation: unknown value `%s`",
                                r->config->linux->rootfsPropagation);
    if (mount(NULL, "/", NULL, flags, NULL) < 0)
        return berth_error_errno(err, "make / %s", flags & MS_SLAVE ? "rslave" : "rprivate");
    return 0;
}

/* selinuxfs mounted: the host runs SELinux (what libselinux checks too). */
static bool selinux_enabled(void)
{
    struct statfs sfs;

    return statfs("/sys/fs/selinux", &sfs) == 0 && sfs.f_type == SELINUX_MAGIC;
}

static int apply_mounts(int rootfd, const struct berth_rootfs *r, bool *ret_dev_bind,
                        berth_error_t *err)
{
    struct berth_mount_plan plan = {0};
    struct berth_mount_env env;
    const struct berth_mount_step *dev;
    int ret = 0;

    berth_mount_env_init(&env, r->config, r->bundle, r->userns);
    env.idmap_trees = r->idmap_trees;
    env.mount_sources = r->mount_sources;
    env.cgroup_dirs = r->cgroup_dirs;
    env.ncgroup_dirs = r->ncgroup_dirs;
    env.await_cgroup = r->await_cgroup;
    env.await_data = r->await_data;
    if (!selinux_enabled())
        env.mount_label = NULL;
    ret = berth_mount_plan_build(r->config, &env, &plan, err);
    if (ret < 0)
        return ret;
    for (size_t i = 0; ret >= 0 && i < plan.len; i++)
        ret = berth_mount_apply(rootfd, &plan.steps[i], &env, err);
    /* A /dev bound from the host already has its nodes and links (runc
     * skips device setup in that case too). */
    dev = berth_mount_plan_find(&plan, "/dev");
    *ret_dev_bind = dev && dev->kind == BERTH_MOUNT_BIND;
    berth_mount_plan_free(&plan);
    return ret;
}

static int open_rootfs(const struct berth_rootfs *r, berth_error_t *err)
{
    int fd = open(r->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);

    return fd >= 0 ? fd : berth_error_errno(err, "open rootfs `%s`", r->rootfs);
}

/* Everything below changes propagation and mounts: in the host's mount
 * namespace that would rewrite the host's mount table. Refuse without a
 * mount namespace in the config, and when we visibly share pid 1's (often
 * unknowable: no access to /proc/1/ns in a user namespace or a sandbox;
 * then the caller's contract holds). */
static int check_own_mntns(const struct berth_rootfs *r, berth_error_t *err)
{
    const oci_linux *l = r->config->linux;
    struct stat self, init;
    char me[16] = "";
    bool mntns = false;

    for (size_t i = 0; l && i < l->namespaces_len; i++)
        mntns |= strcmp(l->namespaces[i].type, "mount") == 0;
    if (!mntns)
        return berth_error_make(err, 0, "linux.namespaces: the rootfs needs a mount namespace");

    /* /proc is still the host's here: /proc/1 is the host's init (unless we
     * are it, then nothing can be compared). */
    if (readlink("/proc/self", me, sizeof(me) - 1) < 0 || strcmp(me, "1") == 0)
        return 0;
    if (stat("/proc/self/ns/mnt", &self) < 0 || stat("/proc/1/ns/mnt", &init) < 0)
        return 0;
    if (self.st_dev == init.st_dev && self.st_ino == init.st_ino)
        return berth_error_make(err, 0,
                                "rootfs: refusing to set up mounts in the host mount "
                                "namespace (no mount namespace)");
    return 0;
}

int berth_rootfs_prepare(const struct berth_rootfs *r, berth_error_t *err)
{
    _cleanup_close_ int rootfd = -1;
    bool dev_bind = false;
    int ret;

    ret = check_own_mntns(r, err);
    if (ret < 0)
        return ret;
    ret = isolate_root(r, err);
    if (ret < 0)
        return ret;
    /* pivot_root needs the new root to be a mount point; MS_REC keeps
     * mounts that already exist below the rootfs (e.g. a bundle on
     * overlay with submounts). */
    if (mount(r->rootfs, r->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        return berth_error_errno(err, "bind rootfs `%s`", r->rootfs);
    rootfd = open_rootfs(r, err);
    if (rootfd < 0)
        return rootfd;
    ret = apply_mounts(rootfd, r, &dev_bind, err);
    if (ret < 0 || dev_bind)
        return ret;
    ret = berth_dev_create_all(rootfd, r->config, r->userns, err);
    if (ret < 0)
        return ret;
    return berth_dev_symlinks(rootfd, err);
}

/* pivot_root(".", ".") stacks the old root on top of the new one at "/";
 * unmounting it then removes exactly the old root without needing a
 * put_old directory inside the rootfs. The old root is addressed through
 * an fd taken before the pivot: "." after the pivot names the new root's
 * tree too, and an rslave on it would strip the "shared" propagation that
 * mounts[] options (or linux.rootfsPropagation) asked for. */
static int do_pivot(berth_error_t *err)
{
    _cleanup_close_ int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    _cleanup_close_ int newroot = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);

    if (oldroot < 0 || newroot < 0)
        return berth_error_errno(err, "open old and new root");
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        return berth_error_errno(err, "pivot_root");
    if (fchdir(oldroot) < 0)
        return berth_error_errno(err, "fchdir old root");
    /* Make the old root a slave before detaching it, so that the unmount
     * can never propagate to the host even if something below it was
     * made shared again. */
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        return berth_error_errno(err, "make old root rslave");
    if (umount2(".", MNT_DETACH) < 0)
        return berth_error_errno(err, "detach old root");
    if (fchdir(newroot) < 0)
        return berth_error_errno(err, "fchdir new root");
    return 0;
}

/* --no-pivot (e.g. a ramfs root where pivot_root is impossible): move the
 * rootfs over / and chroot into it. Security caveat: unlike pivot_root, the
 * old root stays reachable in this mount namespace, and chroot can be
 * escaped by a process holding CAP_SYS_CHROOT; only use it when pivot_root
 * cannot work. */
static int do_move_root(berth_error_t *err)
{
    if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
        return berth_error_errno(err, "move rootfs to /");
    if (chroot(".") < 0)
        return berth_error_errno(err, "chroot");
    return 0;
}

int berth_rootfs_pivot(const struct berth_rootfs *r, berth_error_t *err)
{
    int ret;

    if (chdir(r->rootfs) < 0)
        return berth_error_errno(err, "chdir `%s`", r->rootfs);
    ret = r->no_pivot ? do_move_root(err) : do_pivot(err);
    if (ret < 0)
        return ret;
    if (chdir("/") < 0)
        return berth_error_errno(err, "chdir /");
    return 0;
}

/* config-linux.md "Readonly Paths": bind the path onto itself and make the
 * copy read-only recursively. Missing paths are skipped, as in runc. A
 * path that resolves to the root makes the root mount read-only, as runc
 * does (and as root.readonly: non-recursive): a copy stacked on / would be
 * a mount the process, whose root is the mount below, never looks at. */
static int readonly_path(int rootfd, const char *path, berth_error_t *err)
{
    _cleanup_error_ berth_error_t ign = NULL;
    _cleanup_close_ int fd = berth_path_open_in_root(rootfd, path, O_PATH, &ign);
    int r;

    if (fd < 0)
        return fd == -ENOENT ? 0 : berth_error_make(err, -fd, "readonlyPaths: open `%s`", path);
    /* the path was "/", or a link the image made to it */
    if (berth_fd_same_file(rootfd, fd))
        r = berth_mount_setattr_fd(rootfd, false, MOUNT_ATTR_RDONLY, 0, 0, err);
    else
        r = berth_mount_bind_fd(fd, NULL, fd, true, MOUNT_ATTR_RDONLY, 0, err);
    return r < 0 ? berth_error_wrap(err, "readonlyPaths: `%s`", path) : 0;
}

/* CVE-2025-31133: the container's /dev/null (a bind of a host /dev, a
 * rootfs entry) could be a symlink to, or a file bound over, something
 * like /proc/sysrq-trigger; binding "that" over a masked path would expose
 * it writable instead of hiding it. So it is opened without following a
 * symlink and must be the char device 1:3; the bind uses this very fd. */
static int open_dev_null(int rootfd, berth_error_t *err)
{
    _cleanup_close_ int fd = berth_path_open_in_root(rootfd, "/dev/null", O_PATH | O_NOFOLLOW, err);
    struct stat st;

    if (fd < 0)
        return berth_error_wrap(err, "maskedPaths");
    if (fstat(fd, &st) < 0)
        return berth_error_errno(err, "maskedPaths: stat /dev/null");
    if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
        return berth_error_make(err, EPERM,
                                "maskedPaths: /dev/null in the container is not the null device "
                                "(char 1:3), refusing to bind it over masked paths");
    return TAKE_FD(fd);
}

/* config-linux.md "Masked Paths": an empty read-only tmpfs over a
 * directory, /dev/null over anything else. */
static int masked_path(int rootfd, int *nullfd, const char *path, berth_error_t *err)
{
    _cleanup_error_ berth_error_t ign = NULL;
    _cleanup_close_ int fd = berth_path_open_in_root(rootfd, path, O_PATH, &ign);
    struct stat st;
    int r;

    if (fd < 0)
        return fd == -ENOENT ? 0 : berth_error_make(err, -fd, "maskedPaths: open `%s`", path);
    if (fstat(fd, &st) < 0)
        return berth_error_errno(err, "maskedPaths: stat `%s`", path);
    if (S_ISDIR(st.st_mode))
        r = berth_mount_ro_tmpfs_fd(fd, err);
    else if (*nullfd < 0 && (*nullfd = open_dev_null(rootfd, err)) < 0)
        return *nullfd; /* opened once, on the first file to mask */
    else
        r = berth_mount_bind_fd(*nullfd, NULL, fd, false, 0, 0, err);
    return r < 0 ? berth_error_wrap(err, "maskedPaths: `%s`", path) : 0;
}

static int protect_paths(int rootfd, const oci_linux *l, berth_error_t *err)
{
    _cleanup_close_ int nullfd = -1;
    int r;

    for (size_t i = 0; l && i < l->readonlyPaths_len; i++)
        if ((r = readonly_path(rootfd, l->readonlyPaths[i], err)) < 0)
            return r;
    for (size_t i = 0; l && i < l->maskedPaths_len; i++)
        if ((r = masked_path(rootfd, &nullfd, l->maskedPaths[i], err)) < 0)
            return r;
    return 0;
}

/* process.cwd is made when missing (mkdir -p, 0755, root's), as runc
 * does: images whose WORKDIR is not in the layers, and engines that
 * rely on it. Before any read-only remount; inside the root only. */
static int make_cwd(int rootfd, const oci_config *c, berth_error_t *err)
{
    int fd;

    if (!c->process || !c->process->cwd || !*c->process->cwd)
        return 0;
    fd = berth_path_mkdir_in_root(rootfd, c->process->cwd, 0755, err);
    if (fd < 0)
        return berth_error_wrap(err, "process.cwd `%s`", c->process->cwd);
    close(fd);
    return 0;
}

/* The "ro" mounts that were left writable for what sits under them
 * (berth_mount_ro_late). Only the mount itself: mounts beneath keep their
 * own flags, as a remount of /dev does in runc. */
static int late_readonly(int rootfd, const oci_config *c, berth_error_t *err)
{
    for (size_t i = 0; i < c->mounts_len; i++) {
        _cleanup_close_ int fd = -1;
        int r;

        if (!berth_mount_ro_late(c, i))
            continue;
        fd = berth_path_open_in_root(rootfd, c->mounts[i].destination, O_PATH, err);
        if (fd < 0)
            return berth_error_wrap(err, "mounts[%zu]: remount %s read-only", i,
                                    c->mounts[i].destination);
        r = berth_mount_setattr_fd(fd, false, MOUNT_ATTR_RDONLY, 0, 0, err);
        if (r < 0)
            return berth_error_wrap(err, "mounts[%zu]: remount %s read-only", i,
                                    c->mounts[i].destination);
    }
    return 0;
}

/* After pivot_root, / is the container's own mount: now "shared" can get a
 * peer group of its own and "unbindable" be set without touching the
 * host. "private" and "slave" were set in isolate_root already. */
static int final_propagation(int rootfd, const struct berth_rootfs *r, berth_error_t *err)
{
    const oci_linux *l = r->config->linux;
    const char *p = propagation_of(r);
    /* "rshared" and "runbindable": every mount of the container, as runc
     * (its MS_REC); the plain values: the root mount only. */
    bool rec = l && l->rootfsPropagation && l->rootfsPropagation[0] == 'r';
    unsigned long flag = 0;
    int ret;

    if (strcmp(p, "shared") == 0)
        flag = MS_SHARED;
    else if (strcmp(p, "unbindable") == 0)
        flag = MS_UNBINDABLE;
    if (!flag)
        return 0;
    ret = berth_mount_setattr_fd(rootfd, rec, 0, 0, flag, err);
    return ret < 0 ? berth_error_wrap(err, "linux.rootfsPropagation %s", p) : 0;
}

int berth_rootfs_finalize(const struct berth_rootfs *r, berth_error_t *err)
{
    _cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    int ret;

    if (rootfd < 0)
        return berth_error_errno(err, "open /");
    ret = make_cwd(rootfd, r->config, err);
    if (ret < 0)
        return ret;
    /* The late "ro" mounts first: a maskedPaths bind of /dev/null then
     * copies the read-only flag of a read-only /dev, as in runc. */
    ret = late_readonly(rootfd, r->config, err);
    if (ret < 0)
        return ret;
    ret = protect_paths(rootfd, r->config->linux, err);
    if (ret < 0)
        return ret;
    /* config.md "Root": readonly. mount_setattr changes only MOUNT_ATTR_RDONLY
     * and keeps every other flag of the mount, which a
     * MS_BIND|MS_REMOUNT|MS_RDONLY remount would reset (and fail with EPERM
     * on flags locked in a user namespace). Non-recursive, as runc: /proc,
     * /dev, ... keep their own flags. */
    if (r->config->root && r->config->root->readonly) {
        ret = berth_mount_setattr_fd(rootfd, false, MOUNT_ATTR_RDONLY, 0, 0, err);
        if (ret < 0)
            return berth_error_wrap(err, "root.readonly: remount / read-only");
    }
    return final_propagation(rootfd, r, err);
}
