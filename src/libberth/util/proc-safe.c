/* proc-safe.c: verified procfs root and writes below it (proc-safe.h). */
#include "proc-safe.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"

#define PROC_ROOT_INO 1

static bool on_procfs(int fd)
{
    struct statfs sfs;

    return fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
}

/* A new procfs instance, never attached anywhere: no container mount can
 * cover any of its files. Refused in a user namespace once paths of the
 * visible /proc are masked (mount_too_revealing); then the caller falls
 * back to the verified /proc. */
static int private_proc(void)
{
    _cleanup_close_ int fs = fsopen("proc", FSOPEN_CLOEXEC);
    int mnt;

    if (fs < 0)
        return -errno;
    if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return -errno;
    mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
    return mnt >= 0 ? mnt : -errno;
}

int berth_proc_root_open(berth_error_t *err)
{
    _cleanup_close_ int fd = private_proc();
    struct stat st;

    if (fd >= 0 && on_procfs(fd))
        return TAKE_FD(fd);
    safe_close(fd);
    fd = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return berth_error_errno(err, "open /proc");
    /* CVE-2019-16884: a tmpfs, a bind of a rootfs directory or a procfs
     * subdirectory bound at /proc would take the writes. */
    if (!on_procfs(fd) || fstat(fd, &st) < 0 || st.st_ino != PROC_ROOT_INO)
        return berth_error_make(err, EXDEV, "/proc is not the root of a procfs mount");
    return TAKE_FD(fd);
}

int berth_proc_open(int procfd, const char *rel, int flags, berth_error_t *err)
{
    struct open_how how = {
        .flags = (unsigned long long)(flags | O_NOFOLLOW | O_CLOEXEC),
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
    };
    _cleanup_close_ int fd = -1;

    while (*rel == '/')
        rel++;
    fd = (int)syscall(SYS_openat2, procfd, rel, &how, sizeof(how));
    if (fd < 0 && errno == EXDEV)
        return berth_error_make(
            err, EXDEV, "open /proc/%s: a mount covers it (refusing a redirected write)", rel);
    if (fd < 0)
        return berth_error_errno(err, "open /proc/%s", rel);
    if (!on_procfs(fd))
        return berth_error_make(err, EXDEV, "open /proc/%s: not on procfs", rel);
    return TAKE_FD(fd);
}

int berth_proc_write(int procfd, const char *rel, const char *value, size_t len, berth_error_t *err)
{
    _cleanup_close_ int fd = berth_proc_open(procfd, rel, O_WRONLY, err);
    ssize_t n;

    if (fd < 0)
        return fd;
    n = write(fd, value, len);
    if (n < 0)
        return berth_error_errno(err, "write /proc/%s", rel);
    if ((size_t)n != len)
        return berth_error_make(err, EIO, "write /proc/%s: short write", rel);
    return 0;
}
