/* exe-seal.c: berth's executable out of the container's reach (exe-seal.h). */
#include "exe-seal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cleanup.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

/* The seals that make a memfd immutable; F_SEAL_SEAL keeps anyone from
 * lifting or changing them. */
#define BERTH_MEMFD_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

int berth_exe_inspect(struct berth_exe_id *ret_id, berth_error_t *err)
{
    _cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    struct statfs sfs;
    struct stat st;
    int seals;

    if (fd < 0)
        return berth_error_errno(err, "open /proc/self/exe");
    if (fstat(fd, &st) < 0)
        return berth_error_errno(err, "stat /proc/self/exe");
    *ret_id = (struct berth_exe_id){st.st_dev, st.st_ino};
    /* F_GET_SEALS fails (EINVAL) on anything but a memfd. */
    seals = fcntl(fd, F_GET_SEALS);
    if (seals >= 0)
        return (seals & BERTH_MEMFD_SEALS) == BERTH_MEMFD_SEALS ? BERTH_EXE_SEALED_MEMFD
                                                                : BERTH_EXE_WRITABLE;
    /* Read-only mount or superblock: our overlay, or a host that installs
     * berth on a read-only mount. A container cannot make a host mount
     * writable (mount changes need the mount in the caller's namespace),
     * and our overlay has no upper layer to write to. */
    if (fstatfs(fd, &sfs) < 0)
        return berth_error_errno(err, "statfs /proc/self/exe");
    return (sfs.f_flags & ST_RDONLY) ? BERTH_EXE_READ_ONLY : BERTH_EXE_WRITABLE;
}

/* overlayfs separates layers with ':' and escapes with '\'. */
static char *escape_lowerdir(const char *dir)
{
    char *out = malloc(2 * strlen(dir) + 1), *p = out;

    if (!out)
        return NULL;
    for (; *dir; dir++) {
        if (*dir == ':' || *dir == '\\')
            *p++ = '\\';
        *p++ = *dir;
    }
    *p = '\0';
    return out;
}

static int overlay_mount(const char *lowerdir)
{
    _cleanup_close_ int fs = fsopen("overlay", FSOPEN_CLOEXEC);

    if (fs < 0)
        return -errno;
    if (fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lowerdir, 0) < 0)
        return -errno;
    /* Not needed here, and when the layers sit on different filesystems
     * the kernel would log about it on every call. */
    (void)fsconfig(fs, FSCONFIG_SET_STRING, "xino", "off", 0);
    if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return -errno;
    /* Detached (never in any mount namespace, so no mount events) and
     * dissolved when our fd closes; MOUNT_ATTR_RDONLY on top of the
     * superblock's own read-only state. */
    int mnt =
        fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID);
    return mnt >= 0 ? mnt : -errno;
}

/* The binary through a read-only overlay of its directory: no copy.
 * overlayfs wants two layers when there is no upper one; the second is the
 * state root (as runc uses its state dir), below the binary's directory,
 * which stays on top: an entry of the same name in the root cannot mask the
 * binary. Nothing but the binary is reachable through the overlay (the
 * handle is a file, never a directory), so the root's contents stay out of
 * the container's reach. The root is not made here (a failed command must
 * leave nothing behind): before the first container exists the overlay
 * fails with ENOENT and the sealed copy serves. */
static int seal_overlay(const char *state_root, berth_error_t *err)
{
    char path[PATH_MAX], *slash;
    _cleanup_free_ char *bindir = NULL, *scratch = NULL, *lower = NULL;
    _cleanup_close_ int mnt = -1;
    ssize_t n;
    int fd;

    n = readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (n < 0)
        return berth_error_errno(err, "readlink /proc/self/exe");
    path[n] = '\0';
    /* Replaced or removed since we started (an upgrade): only a copy of
     * what we run can be had. */
    if (path[0] != '/' || (n > 10 && strcmp(path + n - 10, " (deleted)") == 0))
        return berth_error_make(err, ENOENT, "`%s` is no longer on disk", path);
    slash = strrchr(path, '/');
    *slash = '\0';
    bindir = escape_lowerdir(slash == path ? "/" : path);
    scratch = escape_lowerdir(state_root);
    if (!bindir || !scratch || asprintf(&lower, "%s:%s", bindir, scratch) < 0)
        return berth_error_make(err, ENOMEM, "overlay lowerdir");
    mnt = overlay_mount(lower);
    if (mnt < 0)
        return berth_error_make(err, -mnt, "overlay of `%s` and `%s`", path, state_root);
    fd = openat(mnt, slash + 1, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return berth_error_errno(err, "open `%s` in its overlay", slash + 1);
    return fd;
}

static int copy_exe(int dst, berth_error_t *err)
{
    _cleanup_close_ int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    struct stat st;
    off_t done = 0;

    if (src < 0)
        return berth_error_errno(err, "open /proc/self/exe");
    if (fstat(src, &st) < 0)
        return berth_error_errno(err, "stat /proc/self/exe");
    while (done < st.st_size) {
        ssize_t n = sendfile(dst, src, NULL, (size_t)(st.st_size - done));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return berth_error_errno(err, "copy /proc/self/exe");
        if (n == 0)
            return berth_error_make(err, EIO, "copy /proc/self/exe: %jd of %jd bytes",
                                    (intmax_t)done, (intmax_t)st.st_size);
        done += n;
    }
    return 0;
}

/* A copy in a memfd, sealed so that nobody can change it any more. */
static int seal_memfd(berth_error_t *err)
{
    /* MFD_EXEC: executable even under vm.memfd_noexec=1 (kernel 6.3+;
     * EINVAL before, then the flag is not needed). */
    _cleanup_close_ int fd =
        memfd_create("berth-sealed", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    int r;

    if (fd < 0 && errno == EINVAL)
        fd = memfd_create("berth-sealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return berth_error_errno(err, "memfd_create");
    r = copy_exe(fd, err);
    if (r < 0)
        return r;
    if (fchmod(fd, 0555) < 0)
        return berth_error_errno(err, "chmod memfd");
    /* Also freeze the mode bits where the kernel knows this seal (6.3). */
    (void)fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC);
    if (fcntl(fd, F_ADD_SEALS, BERTH_MEMFD_SEALS) < 0)
        return berth_error_errno(err, "seal memfd");
    return TAKE_FD(fd);
}

int berth_exe_seal(const char *state_root, const char **ret_method, berth_error_t *err)
{
    _cleanup_error_ berth_error_t overlay_err = NULL;
    _cleanup_error_ berth_error_t memfd_err = NULL;
    int fd;

    fd = seal_overlay(state_root, &overlay_err);
    if (fd >= 0) {
        *ret_method = "overlayfs";
        return fd;
    }
    fd = seal_memfd(&memfd_err);
    if (fd >= 0) {
        *ret_method = "memfd";
        return fd;
    }
    return berth_error_make(err, memfd_err->status,
                            "protect berth's executable from the container (CVE-2019-5736): "
                            "read-only overlay: %s; sealed copy: %s",
                            overlay_err->msg, memfd_err->msg);
}

int berth_exe_prepare(const char *state_root, const char *came_from,
                      struct berth_exe_id *ret_origin, int *ret_fd, const char **ret_method,
                      berth_error_t *err)
{
    int r = berth_exe_inspect(ret_origin, err);

    *ret_fd = -1;
    if (r < 0)
        return r;
    if (came_from) {
        if (!berth_exe_id_parse(came_from, ret_origin))
            return berth_error_make(err, EINVAL, "%s: bad value `%s`", BERTH_EXE_ORIGIN_ENV,
                                    came_from);
        /* no second attempt: it would loop */
        if (r == BERTH_EXE_WRITABLE)
            return berth_error_make(err, EPERM,
                                    "re-executed from a sealed handle, but /proc/self/exe is "
                                    "still writable (CVE-2019-5736)");
        return 0;
    }
    if (r != BERTH_EXE_WRITABLE)
        return 0;
    r = berth_exe_seal(state_root, ret_method, err);
    if (r < 0)
        return r;
    *ret_fd = r;
    return 0;
}

static int check_fd(const struct berth_exe_id *origin, int fd, berth_error_t *err)
{
    struct stat st;

    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return 0; /* closed, or not a file */
    if (st.st_dev == origin->dev && st.st_ino == origin->ino)
        return berth_error_make(err, EPERM,
                                "fd %d is berth's own executable: refusing to pass it into the "
                                "container, which could reopen it for writing (CVE-2019-5736)",
                                fd);
    return 0;
}

int berth_exe_check_inherited_fds(const struct berth_exe_id *origin, int nextra, berth_error_t *err)
{
    int r;

    if (origin->dev == 0 && origin->ino == 0)
        return 0;
    for (int fd = 0; fd < 3 + nextra; fd++) {
        int flags = fcntl(fd, F_GETFD);

        /* berth's own fds are close-on-exec and never reach the container */
        if (flags < 0 || (fd >= 3 && (flags & FD_CLOEXEC)))
            continue;
        r = check_fd(origin, fd, err);
        if (r < 0)
            return r;
    }
    return 0;
}

int berth_exe_id_format(const struct berth_exe_id *id, char *buf, size_t size)
{
    return snprintf(buf, size, "%ju:%ju", (uintmax_t)id->dev, (uintmax_t)id->ino);
}

bool berth_exe_id_parse(const char *s, struct berth_exe_id *ret_id)
{
    uintmax_t dev, ino;
    int end = 0;

    if (!s || sscanf(s, "%ju:%ju%n", &dev, &ino, &end) != 2 || s[end] != '\0')
        return false;
    *ret_id = (struct berth_exe_id){(dev_t)dev, (ino_t)ino};
    return true;
}
