/* path-util.c: safe resolution and creation of paths inside a rootfs. See
 * path-util.h for why everything goes through openat2(RESOLVE_IN_ROOT). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "path-util.h"

const char *berth_path_rel(const char *path)
{
    while (*path == '/')
        path++;
    return path;
}

char *berth_path_absolute(const char *path)
{
    char cwd[PATH_MAX], *ret = NULL;

    if (path[0] == '/')
        return strdup(path);
    if (!getcwd(cwd, sizeof(cwd)))
        return NULL;
    if (asprintf(&ret, "%s/%s", cwd, path) < 0) {
        errno = ENOMEM;
        return NULL;
    }
    return ret;
}

char *berth_proc_fd_path(int fd, char buf[BERTH_PROC_FD_PATH_MAX])
{
    snprintf(buf, BERTH_PROC_FD_PATH_MAX, "/proc/self/fd/%d", fd);
    return buf;
}

/* openat2 scoped to rootfd; returns fd or -errno without touching err. */
static int openat2_in_root(int rootfd, const char *path, int flags)
{
    struct open_how how = {
        .flags = (unsigned long long)(flags | O_CLOEXEC),
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    const char *rel = berth_path_rel(path);
    int fd;

    if (*rel == '\0')
        rel = ".";
    /* RESOLVE_IN_ROOT returns EAGAIN when a concurrent rename could have
     * let ".." escape; nothing else runs in the rootfs yet, but retry a few
     * times as the kernel documents. */
    for (int i = 0; i < 16; i++) {
        fd = (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
        if (fd >= 0 || errno != EAGAIN)
            break;
    }
    return fd >= 0 ? fd : -errno;
}

int berth_path_open_in_root(int rootfd, const char *path, int flags, berth_error_t *err)
{
    int fd = openat2_in_root(rootfd, path, flags);

    if (fd < 0)
        return berth_error_make(err, -fd, "open `%s` in rootfs", path);
    return fd;
}

/* Longest chain of dangling symlinks followed while creating directories,
 * as the kernel's own limit (ELOOP). */
#define MAX_SYMLINKS 40

static int mkdir_in_root(int rootfd, const char *path, mode_t mode, int depth, berth_error_t *err);

/* `prefix` ends in `name`, a dangling symlink. Creates its target instead
 * (as mkdir -p through a symlink does), resolved inside the root like
 * everything else, then the `rest` of the path below it. */
static int mkdir_via_link(int rootfd, int parentfd, const char *prefix, const char *name,
                          const char *rest, mode_t mode, int depth, berth_error_t *err)
{
    _cleanup_free_ char *path = NULL;
    char target[PATH_MAX];
    ssize_t n;
    int len = (int)(name - prefix);

    if (depth >= MAX_SYMLINKS)
        return berth_error_make(err, ELOOP, "mkdir `/%s` in rootfs", prefix);
    n = readlinkat(parentfd, name, target, sizeof(target) - 1);
    if (n < 0)
        return berth_error_errno(err, "mkdir `/%s` in rootfs", prefix);
    target[n] = '\0';
    /* A relative target is relative to the link's directory. */
    if (asprintf(&path, "%.*s%s/%s", target[0] == '/' ? 0 : len, prefix, target, rest) < 0)
        return berth_error_make(err, ENOMEM, "mkdir `/%s`", prefix);
    return mkdir_in_root(rootfd, path, mode, depth + 1, err);
}

/* Creates `name` under the directory `parentfd` (already resolved in the
 * root), then reopens `prefix` from the root so that a name that turned out
 * to be a symlink is still followed inside the root only. `rest` is the
 * part of the path below `name`: a dangling symlink creates it all. */
static int mkdir_component(int rootfd, int parentfd, const char *prefix, const char *name,
                           const char *rest, mode_t mode, int depth, bool *ret_done,
                           berth_error_t *err)
{
    int fd;

    if (mkdirat(parentfd, name, mode) < 0 && errno != EEXIST)
        return berth_error_errno(err, "mkdir `/%s` in rootfs", prefix);
    fd = openat2_in_root(rootfd, prefix, O_PATH | O_DIRECTORY);
    if (fd == -ENOENT) {
        *ret_done = true;
        return mkdir_via_link(rootfd, parentfd, prefix, name, rest, mode, depth, err);
    }
    if (fd < 0)
        return berth_error_make(err, -fd, "open `/%s` in rootfs", prefix);
    return fd;
}

static int mkdir_in_root(int rootfd, const char *path, mode_t mode, int depth, berth_error_t *err)
{
    _cleanup_free_ char *prefix = strdup(berth_path_rel(path));
    _cleanup_close_ int fd = -1;
    char *p;

    if (!prefix)
        return berth_error_make(err, ENOMEM, "mkdir `%s`", path);
    fd = openat2_in_root(rootfd, "", O_PATH | O_DIRECTORY);
    if (fd < 0)
        return berth_error_make(err, -fd, "open rootfs");
    p = prefix;
    while (*p) {
        char *name = p, saved;
        int next;

        p += strcspn(p, "/");
        saved = *p;
        *p = '\0';
        if (*name != '\0') {
            next = openat2_in_root(rootfd, prefix, O_PATH | O_DIRECTORY);
            if (next == -ENOENT) {
                const char *rest = berth_path_rel(path) + (p - prefix);
                bool done = false;

                next = mkdir_component(rootfd, fd, prefix, name, rest, mode, depth, &done, err);
                if (next >= 0 && done)
                    return next;
            } else if (next < 0) {
                next = berth_error_make(err, -next, "open `/%s` in rootfs", prefix);
            }
            if (next < 0)
                return next;
            safe_close(fd);
            fd = next;
        }
        *p = saved;
        while (*p == '/')
            p++;
    }
    return TAKE_FD(fd);
}

int berth_path_mkdir_in_root(int rootfd, const char *path, mode_t mode, berth_error_t *err)
{
    return mkdir_in_root(rootfd, path, mode, 0, err);
}

int berth_path_open_parent_in_root(int rootfd, const char *path, char **ret_name,
                                   berth_error_t *err)
{
    _cleanup_free_ char *copy = strdup(berth_path_rel(path));
    char *slash, *name;
    size_t len;
    int fd;

    if (!copy)
        return berth_error_make(err, ENOMEM, "resolve `%s`", path);
    len = strlen(copy);
    while (len > 0 && copy[len - 1] == '/')
        copy[--len] = '\0';
    slash = strrchr(copy, '/');
    name = slash ? slash + 1 : copy;
    if (*name == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return berth_error_make(err, EINVAL, "resolve `%s` in rootfs: not a file name", path);
    if (slash)
        *slash = '\0';
    fd = berth_path_mkdir_in_root(rootfd, slash ? copy : "", 0755, err);
    if (fd < 0)
        return fd;
    *ret_name = strdup(name);
    if (!*ret_name) {
        safe_close(fd);
        return berth_error_make(err, ENOMEM, "resolve `%s`", path);
    }
    return fd;
}

int berth_path_touch_in_root(int rootfd, const char *path, mode_t mode, berth_error_t *err)
{
    _cleanup_close_ int parent = -1;
    _cleanup_free_ char *name = NULL;
    int fd;

    fd = openat2_in_root(rootfd, path, O_PATH);
    if (fd != -ENOENT)
        return fd >= 0 ? fd : berth_error_make(err, -fd, "open `%s` in rootfs", path);
    parent = berth_path_open_parent_in_root(rootfd, path, &name, err);
    if (parent < 0)
        return parent;
    /* O_EXCL|O_NOFOLLOW: never write through a symlink planted at `name`. */
    fd = openat(parent, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, mode);
    if (fd < 0 && errno != EEXIST)
        return berth_error_errno(err, "create `%s` in rootfs", path);
    safe_close(fd);
    fd = openat2_in_root(rootfd, path, O_PATH);
    if (fd < 0)
        return berth_error_make(err, -fd, "open `%s` in rootfs", path);
    return fd;
}
