/* copy-tree.c: see copy-tree.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "copy-tree.h"

static int copy_data(int in, int out, const char *name, berth_error_t *err)
{
    char buf[65536];
    ssize_t n;

    while ((n = read(in, buf, sizeof(buf))) > 0) {
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0)
                return berth_error_errno(err, "copy up `%s`", name);
            off += w;
        }
    }
    return n < 0 ? berth_error_errno(err, "copy up `%s`", name) : 0;
}

static int copy_file(int src, int dst, const char *name, const struct stat *st, berth_error_t *err)
{
    _cleanup_close_ int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    _cleanup_close_ int out = -1;

    if (in < 0)
        return berth_error_errno(err, "copy up: open `%s`", name);
    out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0)
        return berth_error_errno(err, "copy up: create `%s`", name);
    return copy_data(in, out, name, err);
}

static int copy_link(int src, int dst, const char *name, berth_error_t *err)
{
    char target[PATH_MAX];
    ssize_t n = readlinkat(src, name, target, sizeof(target) - 1);

    if (n < 0)
        return berth_error_errno(err, "copy up: readlink `%s`", name);
    target[n] = '\0';
    if (symlinkat(target, dst, name) < 0)
        return berth_error_errno(err, "copy up: symlink `%s`", name);
    return 0;
}

static int copy_dir(int src, int dst, const char *name, berth_error_t *err)
{
    _cleanup_close_ int in = -1, out = -1;

    if (mkdirat(dst, name, 0700) < 0)
        return berth_error_errno(err, "copy up: mkdir `%s`", name);
    in = openat(src, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    out = openat(dst, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0 || out < 0)
        return berth_error_errno(err, "copy up: open `%s`", name);
    return berth_copy_tree(in, out, err);
}

/* Owner, then mode (chown clears set-id bits), never through a link. */
static int copy_attrs(int dst, const char *name, const struct stat *st, berth_error_t *err)
{
    if (fchownat(dst, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
        return berth_error_errno(err, "copy up: chown `%s`", name);
    if (!S_ISLNK(st->st_mode) && fchmodat(dst, name, st->st_mode & 07777, 0) < 0)
        return berth_error_errno(err, "copy up: chmod `%s`", name);
    return 0;
}

static int copy_entry(int src, int dst, const char *name, berth_error_t *err)
{
    struct stat st;
    int r;

    if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return berth_error_errno(err, "copy up: stat `%s`", name);
    if (S_ISDIR(st.st_mode))
        r = copy_dir(src, dst, name, err);
    else if (S_ISREG(st.st_mode))
        r = copy_file(src, dst, name, &st, err);
    else if (S_ISLNK(st.st_mode))
        r = copy_link(src, dst, name, err);
    else if (mknodat(dst, name, st.st_mode, st.st_rdev) < 0)
        r = berth_error_errno(err, "copy up: mknod `%s`", name);
    else
        r = 0;
    return r < 0 ? r : copy_attrs(dst, name, &st, err);
}

int berth_copy_tree(int src, int dst, berth_error_t *err)
{
    /* "." from the fd of an over-mounted directory stays on the covered
     * directory: no mount is crossed when resolving ".". */
    int fd = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    _cleanup_closedir_ DIR *d = NULL;
    struct dirent *e;

    if (fd < 0)
        return berth_error_errno(err, "copy up: open directory");
    d = fdopendir(fd);
    if (!d) {
        safe_close(fd);
        return berth_error_errno(err, "copy up: read directory");
    }
    while ((errno = 0, e = readdir(d))) {
        int r;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        r = copy_entry(dirfd(d), dst, e->d_name, err);
        if (r < 0)
            return r;
    }
    return errno ? berth_error_errno(err, "copy up: read directory") : 0;
}
