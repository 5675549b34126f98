/* mount-cgroup.c: the cgroup filesystem inside the container; see
 * mount-cgroup.h for the layout. Host hierarchies are read from
 * /proc/self/mountinfo (entries under /sys/fs/cgroup); the container's own
 * cgroup directories come from the cgroup create made (the init joins them
 * only after the rootfs is prepared, init.c), or from /proc/self/cgroup
 * without one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "mount-cgroup.h"
#include "mount-fd.h"
#include "mount-flags.h"
#include "util/path-util.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define HOST_CGROUP "/sys/fs/cgroup"

struct hierarchy {
    char *mountpoint; /* /sys/fs/cgroup/cpu,cpuacct */
    char *root;       /* mountinfo root field, "/" on the host */
    char *fstype;     /* cgroup or cgroup2 */
    char *options;    /* super options: rw,cpu,cpuacct */
};

static void hierarchy_free(struct hierarchy *h)
{
    free(h->mountpoint);
    free(h->root);
    free(h->fstype);
    free(h->options);
}

/* True when every comma-separated item of `items` is in `set`. */
static bool items_in(const char *items, const char *set)
{
    _cleanup_free_ char *copy = strdup(items);
    char *save = NULL;

    if (!copy)
        return false;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        size_t n = strlen(t);
        const char *p = set;
        bool found = false;

        while (!found && (p = strstr(p, t))) {
            found = (p == set || p[-1] == ',') && (p[n] == ',' || p[n] == '\0');
            p += n;
        }
        if (!found)
            return false;
    }
    return true;
}

/* /proc/self/cgroup, read once for all hierarchies. */
static int read_self_cgroup(char **ret, berth_error_t *err)
{
    _cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
    size_t len = 0;
    FILE *m;

    if (!f)
        return berth_error_errno(err, "open /proc/self/cgroup");
    *ret = NULL;
    m = open_memstream(ret, &len);
    if (!m)
        return berth_error_make(err, ENOMEM, "read /proc/self/cgroup");
    for (int c; (c = getc_unlocked(f)) != EOF;)
        putc_unlocked(c, m);
    if (ferror(f) || fclose(m) != 0) {
        free(*ret);
        *ret = NULL;
        return berth_error_make(err, EIO, "read /proc/self/cgroup");
    }
    return 0;
}

/* Path of this process's cgroup in hierarchy h, from the text of
 * /proc/self/cgroup ("id:controllers:path" lines). */
static int own_cgroup(const struct hierarchy *h, const char *self, char **ret, berth_error_t *err)
{
    _cleanup_free_ char *copy = strdup(self);
    bool v2 = strcmp(h->fstype, "cgroup2") == 0;
    char *save = NULL;

    if (!copy)
        return berth_error_make(err, ENOMEM, "cgroup path");
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *ctrls = strchr(line, ':'), *path;

        if (!ctrls || !(path = strchr(++ctrls, ':')))
            continue;
        *path++ = '\0';
        if (v2 ? *ctrls != '\0' : (*ctrls == '\0' || !items_in(ctrls, h->options)))
            continue;
        /* In a nested cgroup namespace the mount root is not "/". */
        size_t rl = strlen(h->root);
        if (strcmp(h->root, "/") != 0 && strncmp(path, h->root, rl) == 0)
            path += rl;
        *ret = strdup(path);
        return *ret ? 0 : berth_error_make(err, ENOMEM, "cgroup path");
    }
    return berth_error_make(err, ENOENT, "no cgroup of this process in `%s`", h->mountpoint);
}

static int parse_mountinfo_line(char *line, struct hierarchy *h)
{
    char *sep = strstr(line, " - ");

    if (!sep)
        return -1;
    if (sscanf(line, "%*s %*s %*s %ms %ms", &h->root, &h->mountpoint) != 2)
        return -1;
    if (sscanf(sep + 3, "%ms %*s %ms", &h->fstype, &h->options) != 2)
        return -1;
    return 0;
}

/* The host's cgroup hierarchies mounted below /sys/fs/cgroup/. */
static int host_hierarchies(struct hierarchy **ret, size_t *ret_len, berth_error_t *err)
{
    _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
    _cleanup_free_ char *line = NULL;
    struct hierarchy *v = NULL;
    size_t n = 0, cap = 0;

    if (!f)
        return berth_error_errno(err, "open /proc/self/mountinfo");
    while (getline(&line, &cap, f) > 0) {
        struct hierarchy h = {0};

        if (parse_mountinfo_line(line, &h) == 0 &&
            strncmp(h.mountpoint, HOST_CGROUP "/", sizeof(HOST_CGROUP)) == 0 &&
            !strchr(h.mountpoint + sizeof(HOST_CGROUP), '/') &&
            (strcmp(h.fstype, "cgroup") == 0 || strcmp(h.fstype, "cgroup2") == 0)) {
            struct hierarchy *nv = realloc(v, (n + 1) * sizeof(*v));
            if (nv) {
                v = nv;
                v[n++] = h;
                continue;
            }
        }
        hierarchy_free(&h);
    }
    *ret = v;
    *ret_len = n;
    return 0;
}

/* Options of a fresh v1 mount: the super options without rw/ro. */
static char *fresh_options(const char *options)
{
    const char *o = options;

    if (strncmp(o, "rw", 2) == 0 || strncmp(o, "ro", 2) == 0)
        o += 2;
    if (*o == ',')
        o++;
    return strdup(o);
}

/* The host directory to bind for hierarchy h: the container's cgroup as
 * create made it, else (a hierarchy it has no directory in) ours from
 * /proc/self/cgroup, read once into *self. */
static int bind_source(const struct hierarchy *h, const struct berth_mount_env *env, char **self,
                       char **ret, berth_error_t *err)
{
    _cleanup_free_ char *own = NULL;
    const char *dir = NULL;
    int r;

    for (size_t i = 0; !dir && i < env->ncgroup_dirs; i++)
        if (strcmp(env->cgroup_dirs[i].mount, h->mountpoint) == 0)
            dir = env->cgroup_dirs[i].path;
    if (dir) {
        *ret = strdup(dir);
        return *ret ? 0 : berth_error_make(err, ENOMEM, "cgroup source");
    }
    if (!*self && (r = read_self_cgroup(self, err)) < 0)
        return r;
    if ((r = own_cgroup(h, *self, &own, err)) < 0)
        return r;
    if (asprintf(ret, "%s%s", h->mountpoint, own) < 0)
        return berth_error_make(err, ENOMEM, "cgroup source");
    return 0;
}

static int mount_hierarchy(int dirfd, const struct hierarchy *h, char **self,
                           const struct berth_mount_step *s, const struct berth_mount_env *env,
                           berth_error_t *err)
{
    _cleanup_free_ char *src = NULL, *data = NULL;
    bool v2 = strcmp(h->fstype, "cgroup2") == 0;
    uint64_t set, clr;
    int r;

    if (env->cgroupns) {
        data = v2 ? NULL : fresh_options(h->options);
        return berth_mount_fs_fd(h->fstype, dirfd, h->fstype, s->flags & ~MS_REMOUNT, data, err);
    }
    r = bind_source(h, env, self, &src, err);
    if (r < 0)
        return r;
    berth_mount_flags_to_attr(s->flags, s->clear, &set, &clr);
    return berth_mount_bind_fd(-1, src, dirfd, false, set, clr, err);
}

/* cpu,cpuacct -> links cpu and cpuacct, as every cgroup v1 host has. */
static void comount_links(int tmpfd, const char *name)
{
    _cleanup_free_ char *copy = strdup(name);
    char *save = NULL;

    if (!copy || !strchr(name, ','))
        return;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        (void)symlinkat(name, tmpfd, t);
}

/* The container's directories may still be in the making (berth create
 * makes them while the init sets itself up): everything that does not
 * need them comes first, the wait (env->await_cgroup) only before the
 * first bind. */
static int await_dirs(const struct berth_mount_env *env, berth_error_t *err)
{
    return env->await_cgroup ? env->await_cgroup(env->await_data, err) : 0;
}

static int mount_v1_tree(int destfd, const struct berth_mount_step *s,
                         const struct berth_mount_env *env, berth_error_t *err)
{
    _cleanup_free_ char *self = NULL;
    struct hierarchy *hs = NULL;
    int *subs = NULL;
    size_t n = 0;
    int r = host_hierarchies(&hs, &n, err);

    if (r >= 0 && !(subs = calloc(n ? n : 1, sizeof(*subs))))
        r = berth_error_make(err, ENOMEM, "cgroup hierarchies");
    for (size_t i = 0; r >= 0 && i < n; i++) {
        const char *name = hs[i].mountpoint + sizeof(HOST_CGROUP);

        subs[i] = r = berth_path_mkdir_in_root(destfd, name, 0755, err);
        if (r < 0)
            berth_error_wrap(err, "cgroup hierarchy %s", name);
    }
    if (r >= 0)
        r = await_dirs(env, err);
    for (size_t i = 0; r >= 0 && i < n; i++) {
        const char *name = hs[i].mountpoint + sizeof(HOST_CGROUP);

        r = mount_hierarchy(subs[i], &hs[i], &self, s, env, err);
        if (r < 0)
            berth_error_wrap(err, "cgroup hierarchy %s", name);
        else
            comount_links(destfd, name);
    }
    for (size_t i = 0; i < n; i++) {
        if (subs && subs[i] > 0)
            close(subs[i]);
        hierarchy_free(&hs[i]);
    }
    free(subs);
    free(hs);
    return r;
}

static int mount_hybrid(int rootfd, const struct berth_mount_step *s,
                        const struct berth_mount_env *env, berth_error_t *err)
{
    unsigned long tflags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    _cleanup_close_ int dest = -1, top = -1;
    int r;

    dest = berth_path_mkdir_in_root(rootfd, s->destination, 0755, err);
    if (dest < 0)
        return dest;
    r = berth_mount_fs_fd("tmpfs", dest, "tmpfs", tflags, "mode=755", err);
    if (r < 0)
        return r;
    top = berth_path_open_in_root(rootfd, s->destination, O_PATH | O_DIRECTORY, err);
    if (top < 0)
        return top;
    r = mount_v1_tree(top, s, env, err);
    if (r < 0)
        return r;
    if (s->flags & MS_RDONLY)
        return berth_mount_setattr_fd(top, false, MOUNT_ATTR_RDONLY, 0, 0, err);
    return 0;
}

static int mount_unified(int rootfd, const struct berth_mount_step *s,
                         const struct berth_mount_env *env, berth_error_t *err)
{
    struct hierarchy h = {
        .mountpoint = HOST_CGROUP, .root = "/", .fstype = "cgroup2", .options = ""};
    _cleanup_free_ char *self = NULL;
    _cleanup_close_ int dest = -1;

    int r;

    dest = berth_path_mkdir_in_root(rootfd, s->destination, 0755, err);
    if (dest < 0)
        return dest;
    if ((r = await_dirs(env, err)) < 0)
        return r;
    return mount_hierarchy(dest, &h, &self, s, env, err);
}

int berth_mount_cgroup(int rootfd, const struct berth_mount_step *s,
                       const struct berth_mount_env *env, berth_error_t *err)
{
    struct statfs sfs;

    if (statfs(HOST_CGROUP, &sfs) < 0)
        return berth_error_errno(err, "statfs %s", HOST_CGROUP);
    if (sfs.f_type == CGROUP2_SUPER_MAGIC)
        return mount_unified(rootfd, s, env, err);
    return mount_hybrid(rootfd, s, env, err);
}
