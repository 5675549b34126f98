/* cgroup-fs.c: reading and writing cgroup control files through a
 * directory fd (see cgroup-internal.h for why everything takes a dirfd). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup-internal.h"
#include "spec/spec.h"
#include "util/cleanup.h"

int cg_write(int dirfd, const char *file, const char *value, berth_error_t *err)
{
    _cleanup_error_ berth_error_t ignored = NULL;
    _cleanup_close_ int fd = -1;
    size_t len = strlen(value);
    ssize_t n;

    if (!err)
        err = &ignored;

    /* O_NOFOLLOW: a fake or hostile tree must not redirect a write.
     * O_TRUNC: cgroupfs ignores it; a fake file in a test needs it. */
    fd = openat(dirfd, file, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return berth_error_errno(err, "write `%s` = `%s`", file, value);
    do
        n = write(fd, value, len);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return berth_error_errno(err, "write `%s` = `%s`", file, value);
    if ((size_t)n != len)
        return berth_error_make(err, EIO, "write `%s` = `%s`: short write", file, value);
    return 0;
}

int cg_writef(int dirfd, const char *file, berth_error_t *err, const char *fmt, ...)
{
    _cleanup_free_ char *value = NULL;
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vasprintf(&value, fmt, ap);
    va_end(ap);
    if (r < 0)
        return berth_error_make(err, ENOMEM, "write `%s`", file);
    return cg_write(dirfd, file, value, err);
}

int cg_read_frozen(const struct cg_ops *ops, int dirfd, const char *dir, bool *ret,
                   berth_error_t *err)
{
    _cleanup_close_ int fd = -1;
    char path[PATH_MAX], text[32];
    ssize_t n;

    *ret = false;
    if (snprintf(path, sizeof(path), "%s/%s", dir, ops->frozen_file) >= (int)sizeof(path))
        return berth_error_make(err, ENAMETOOLONG, "read `%s/%s`", dir, ops->frozen_file);
    fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
    if (n < 0)
        return berth_error_errno(err, "read `%s`", path);
    if (n == 0)
        return berth_error_make(err, EIO, "read `%s`: empty", path);
    text[n] = '\0';
    *ret = ops->frozen_text(text);
    return 0;
}

int cg_read(int dirfd, const char *file, char **ret, berth_error_t *err)
{
    _cleanup_error_ berth_error_t ignored = NULL;
    _cleanup_close_ int fd = -1;
    _cleanup_free_ char *buf = NULL;
    size_t size = 0, len = 0;

    if (!err)
        err = &ignored;

    fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return berth_error_errno(err, "read `%s`", file);
    for (;;) {
        ssize_t n;

        if (len + 1 >= size) {
            char *nb;

            size = size ? size * 2 : 4096;
            if (size > (64u << 20))
                return berth_error_make(err, EFBIG, "read `%s`", file);
            nb = realloc(buf, size);
            if (!nb)
                return berth_error_make(err, ENOMEM, "read `%s`", file);
            buf = nb;
        }
        n = read(fd, buf + len, size - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return berth_error_errno(err, "read `%s`", file);
        if (n == 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    *ret = TAKE_PTR(buf);
    return 0;
}

static int parse_u64(const char *s, uint64_t *ret)
{
    char *end;
    unsigned long long v;

    while (*s == ' ' || *s == '\t')
        s++;
    if (strncmp(s, "max", 3) == 0) {
        *ret = UINT64_MAX;
        return 0;
    }
    /* v1 reports "-1" for some unlimited values (rt_runtime_us, quota). */
    if (s[0] == '-') {
        *ret = UINT64_MAX;
        return 0;
    }
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -EINVAL;
    *ret = v;
    return 0;
}

int cg_read_u64(int dirfd, const char *file, uint64_t *ret, berth_error_t *err)
{
    _cleanup_error_ berth_error_t ignored = NULL;
    _cleanup_free_ char *buf = NULL;
    int r;

    if (!err)
        err = &ignored;

    r = cg_read(dirfd, file, &buf, err);
    if (r < 0)
        return r;
    if (parse_u64(buf, ret) < 0)
        return berth_error_make(err, EINVAL, "read `%s`: not a number: `%.40s`", file, buf);
    return 0;
}

int cg_read_keyed(int dirfd, const char *file, const char *key, uint64_t *ret, berth_error_t *err)
{
    _cleanup_error_ berth_error_t ignored = NULL;
    _cleanup_free_ char *buf = NULL;
    size_t klen = strlen(key);
    int r;

    if (!err)
        err = &ignored;

    r = cg_read(dirfd, file, &buf, err);
    if (r < 0)
        return r;
    for (char *line = buf; line && *line;) {
        char *nl = strchr(line, '\n');

        if (nl)
            *nl = '\0';
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ')
            return parse_u64(line + klen + 1, ret) < 0
                       ? berth_error_make(err, EINVAL, "read `%s`: bad `%s` line", file, key)
                       : 0;
        line = nl ? nl + 1 : NULL;
    }
    return -ENOENT;
}

bool cg_has(int dirfd, const char *file)
{
    return faccessat(dirfd, file, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

void cg_fmt_mem(char *buf, size_t size, int64_t v, bool v2)
{
    if (v == -1)
        snprintf(buf, size, "%s", v2 ? "max" : "-1");
    else
        snprintf(buf, size, "%" PRId64, v);
}

int cg_write_hugetlb(int dirfd, const oci_hugepage_limit *h, size_t n, const char *limit_file,
                     const char *rsvd_file, berth_error_t *err)
{
    for (size_t i = 0; h && i < n; i++) {
        char file[96];
        uint64_t kb;
        int r;

        if (berth_page_size_kb(h[i].pageSize, &kb) < 0)
            return berth_error_make(err, EINVAL, "hugepageLimits: bad pageSize `%s`",
                                    h[i].pageSize ? h[i].pageSize : "");
        snprintf(file, sizeof(file), "hugetlb.%s.%s", h[i].pageSize, limit_file);
        if ((r = cg_writef(dirfd, file, err, "%" PRIu64, h[i].limit)) < 0)
            return r;
        snprintf(file, sizeof(file), "hugetlb.%s.%s", h[i].pageSize, rsvd_file);
        if (cg_has(dirfd, file) && (r = cg_writef(dirfd, file, err, "%" PRIu64, h[i].limit)) < 0)
            return r;
    }
    return 0;
}

struct pidvec {
    pid_t *v;
    size_t n, cap;
};

static int pidvec_add(struct pidvec *p, pid_t pid)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        pid_t *nv = realloc(p->v, cap * sizeof(*nv));

        if (!nv)
            return -ENOMEM;
        p->v = nv;
        p->cap = cap;
    }
    p->v[p->n++] = pid;
    return 0;
}

static int procs_walk(int dirfd, struct pidvec *p, int depth, berth_error_t *err)
{
    _cleanup_free_ char *buf = NULL;
    _cleanup_closedir_ DIR *d = NULL;
    struct dirent *de;
    int fd, r;

    if (depth > 64)
        return berth_error_make(err, ELOOP, "read cgroup.procs: cgroup tree too deep");
    r = cg_read(dirfd, "cgroup.procs", &buf, err);
    if (r < 0)
        return r;
    for (char *s = buf; *s;) {
        char *end;
        long pid = strtol(s, &end, 10);

        if (end == s)
            break;
        if (pid > 0 && pidvec_add(p, (pid_t)pid) < 0)
            return berth_error_make(err, ENOMEM, "read cgroup.procs");
        s = end;
        while (*s == '\n' || *s == ' ')
            s++;
    }
    fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return berth_error_errno(err, "open cgroup directory");
    d = fdopendir(fd);
    if (!d) {
        close(fd);
        return berth_error_errno(err, "open cgroup directory");
    }
    while ((de = readdir(d))) {
        _cleanup_close_ int sub = -1;

        if (de->d_type != DT_DIR || de->d_name[0] == '.')
            continue;
        sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0)
            continue; /* removed meanwhile */
        r = procs_walk(sub, p, depth + 1, err);
        if (r < 0)
            return r;
    }
    return 0;
}

int cg_read_procs_recursive(int dirfd, pid_t **ret, size_t *ret_n, berth_error_t *err)
{
    struct pidvec p = {0};
    int r;

    r = procs_walk(dirfd, &p, 0, err);
    if (r < 0) {
        free(p.v);
        return r;
    }
    *ret = p.v;
    *ret_n = p.n;
    return 0;
}

int cg_write_rdma(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                  berth_error_t *err)
{
    (void)ctx;
    for (size_t i = 0; res->rdma.keys && i < res->rdma.len; i++) {
        const oci_rdma *e = res->rdma.values[i];
        char h[32] = "", o[32] = "";
        int r;

        if (!e)
            continue;
        if (e->hcaHandles_present)
            snprintf(h, sizeof(h), " hca_handle=%" PRIu32, e->hcaHandles);
        if (e->hcaObjects_present)
            snprintf(o, sizeof(o), " hca_object=%" PRIu32, e->hcaObjects);
        r = cg_writef(dirfd, "rdma.max", err, "%s%s%s", res->rdma.keys[i], h, o);
        if (r < 0)
            return r;
    }
    return 0;
}

bool cg_list_has(const char *list, const char *item, char sep)
{
    size_t len = strlen(item);

    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, sep);
        size_t n = end ? (size_t)(end - p) : strlen(p);

        while (n && p[n - 1] == '\n')
            n--;
        if (n == len && strncmp(p, item, len) == 0)
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

bool cg_dir_has(const struct cg_dir *d, const char *controller)
{
    if (d->v2 && strcmp(controller, "devices") == 0)
        return d->devices;
    if (d->v2 && strcmp(controller, "freezer") == 0)
        return d->freezer;
    return cg_list_has(d->controllers, controller, d->v2 ? ' ' : ',');
}

int cg_dir_open(const struct cg_dir *d, berth_error_t *err)
{
    int fd = d->fd >= 0 ? fcntl(d->fd, F_DUPFD_CLOEXEC, 3)
                        : open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return berth_error_errno(err, "open cgroup `%s`", d->path);
    return fd;
}

/* See cgroup-internal.h; here, below the per-version drivers that call it. */
int cg_devices_done(const struct berth_cgroup *cg, int r, berth_error_t *err)
{
    if (r >= 0 || !cg->ctx || !cg->ctx->rootless)
        return r;
    berth_debug(cg->ctx, "rootless: device rules not applied (%s)", (*err)->msg);
    berth_error_release(err);
    return 0;
}
