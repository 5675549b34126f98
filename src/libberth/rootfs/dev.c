/* dev.c: device nodes and /dev symlinks; see dev.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "dev.h"
#include "mount-fd.h"
#include "mount.h"
#include "util/path-util.h"

/* config-linux.md "Default Devices". */
static const struct berth_device default_devices[] = {
    {"/dev/null", 'c', 1, 3, 0666, 0, 0},    {"/dev/zero", 'c', 1, 5, 0666, 0, 0},
    {"/dev/full", 'c', 1, 7, 0666, 0, 0},    {"/dev/random", 'c', 1, 8, 0666, 0, 0},
    {"/dev/urandom", 'c', 1, 9, 0666, 0, 0}, {"/dev/tty", 'c', 5, 0, 0666, 0, 0},
};

static mode_t type_bits(char type)
{
    switch (type) {
    case 'b':
        return S_IFBLK;
    case 'p':
        return S_IFIFO;
    default: /* c and u (unbuffered character device) */
        return S_IFCHR;
    }
}

/* config-linux.md "Devices": a file already at `path` that does not match the
 * requested device MUST be an error. */
static int check_existing(const struct stat *st, const struct berth_device *d, const char *what,
                          berth_error_t *err)
{
    bool same = (st->st_mode & S_IFMT) == type_bits(d->type) &&
                (d->type == 'p' || st->st_rdev == makedev(d->major, d->minor));

    if (!same)
        return berth_error_make(
            err, EEXIST, "%s: `%s` already exists and is not the requested device", what, d->path);
    return 0;
}

static int dev_mknod(int parent, const char *name, const struct berth_device *d, const char *what,
                     berth_error_t *err)
{
    dev_t dev = d->type == 'p' ? 0 : makedev(d->major, d->minor);

    if (mknodat(parent, name, type_bits(d->type) | (d->mode & 07777), dev) < 0)
        return berth_error_errno(err, "%s: mknod `%s`", what, d->path);
    /* mknod honours the umask; set the exact mode, then the owner. The node
     * was just created by us and nothing runs in the rootfs yet. */
    if (fchmodat(parent, name, d->mode & 07777, 0) < 0)
        return berth_error_errno(err, "%s: chmod `%s`", what, d->path);
    if (fchownat(parent, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
        return berth_error_errno(err, "%s: chown `%s`", what, d->path);
    return 0;
}

/* Inside a user namespace mknod of a device is refused: bind the host's
 * node of the same path instead (config-linux.md "Devices" allows any way). */
static int dev_bind(int rootfd, const struct berth_device *d, const char *what, berth_error_t *err)
{
    _cleanup_close_ int dest = -1;
    int r;

    dest = berth_path_touch_in_root(rootfd, d->path, 0000, err);
    if (dest < 0)
        return berth_error_wrap(err, "%s", what);
    r = berth_mount_bind_fd(-1, d->path, dest, false, 0, 0, err);
    return r < 0 ? berth_error_wrap(err, "%s: bind host `%s`", what, d->path) : 0;
}

int berth_dev_create(int rootfd, const struct berth_device *d, bool userns, const char *what,
                     berth_error_t *err)
{
    _cleanup_close_ int parent = -1;
    _cleanup_free_ char *name = NULL;
    struct stat st;

    parent = berth_path_open_parent_in_root(rootfd, d->path, &name, err);
    if (parent < 0)
        return berth_error_wrap(err, "%s", what);
    if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        /* In a user namespace an empty regular file is a mount point left
         * for a bind of the host device. */
        if (userns && S_ISREG(st.st_mode) && st.st_size == 0 && d->type != 'p')
            return dev_bind(rootfd, d, what, err);
        return check_existing(&st, d, what, err);
    }
    if (errno != ENOENT)
        return berth_error_errno(err, "%s: stat `%s`", what, d->path);
    if (userns && d->type != 'p')
        return dev_bind(rootfd, d, what, err);
    return dev_mknod(parent, name, d, what, err);
}

static void from_oci(const oci_device *o, struct berth_device *d)
{
    *d = (struct berth_device){
        .path = o->path,
        .type = o->type && o->type[0] ? o->type[0] : 'c',
        .major = o->major_present ? (unsigned)o->major : 0,
        .minor = o->minor_present ? (unsigned)o->minor : 0,
        /* config-linux.md: fileMode is the decimal mode; runc's default. */
        .mode = o->fileMode_present ? (mode_t)o->fileMode : 0666,
        .uid = o->uid_present ? o->uid : 0,
        .gid = o->gid_present ? o->gid : 0,
    };
}

static bool configured(const oci_config *cfg, const char *path)
{
    if (!cfg->linux)
        return false;
    for (size_t i = 0; i < cfg->linux->devices_len; i++)
        if (cfg->linux->devices[i].path && strcmp(cfg->linux->devices[i].path, path) == 0)
            return true;
    return false;
}

int berth_dev_create_all(int rootfd, const oci_config *cfg, bool userns, berth_error_t *err)
{
    char what[48];
    int r;

    for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++) {
        if (configured(cfg, default_devices[i].path))
            continue;
        r = berth_dev_create(rootfd, &default_devices[i], userns, "default device", err);
        if (r < 0)
            return r;
    }
    for (size_t i = 0; cfg->linux && i < cfg->linux->devices_len; i++) {
        struct berth_device d;

        from_oci(&cfg->linux->devices[i], &d);
        snprintf(what, sizeof(what), "linux.devices[%zu]", i);
        r = berth_dev_create(rootfd, &d, userns, what, err);
        if (r < 0)
            return r;
    }
    return 0;
}

static const struct {
    const char *target, *name;
} dev_links[] = {
    /* runtime-linux.md "Dev symbolic links". */
    {"/proc/self/fd", "fd"},
    {"/proc/self/fd/0", "stdin"},
    {"/proc/self/fd/1", "stdout"},
    {"/proc/self/fd/2", "stderr"},
    /* Not in the spec; runc and crun add it, and core-dump tooling expects it. */
    {"/proc/kcore", "core"},
};

/* runtime-linux.md: the links are made "if the source file exists after
 * processing mounts", i.e. when the container has a procfs at /proc
 * (/proc/kcore may be absent or masked later; the link is made anyway, as
 * runc does). */
static bool have_proc_fd(int rootfd)
{
    _cleanup_error_ berth_error_t ign = NULL;
    int fd = berth_path_open_in_root(rootfd, "/proc/self/fd", O_PATH, &ign);

    safe_close(fd);
    return fd >= 0;
}

int berth_dev_symlinks(int rootfd, berth_error_t *err)
{
    _cleanup_close_ int dev = berth_path_mkdir_in_root(rootfd, "/dev", 0755, err);
    bool links = have_proc_fd(rootfd);

    if (dev < 0)
        return dev;
    for (size_t i = 0; links && i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
        if (symlinkat(dev_links[i].target, dev, dev_links[i].name) < 0 && errno != EEXIST)
            return berth_error_errno(err, "symlink /dev/%s", dev_links[i].name);
    /* config-linux.md "Default Devices": /dev/ptmx is a symlink to the
     * container's pts/ptmx, so ptys come from its own devpts instance. */
    if (unlinkat(dev, "ptmx", 0) < 0 && errno != ENOENT)
        return berth_error_errno(err, "remove /dev/ptmx");
    if (symlinkat("pts/ptmx", dev, "ptmx") < 0)
        return berth_error_errno(err, "symlink /dev/ptmx");
    return 0;
}
