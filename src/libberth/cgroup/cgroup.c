/* cgroup.c: layout detection, path computation and the dispatch of the
 * cgroup driver (see cgroup.h). The only place that knows whether the host
 * is v1, hybrid or v2; the per-hierarchy work is in cgroup-v1.c and
 * cgroup-v2.c behind struct cg_ops. */
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup-internal.h"
#include "cgroup-join.h"
#include "cgroup-v1.h"
#include "cgroup-v2.h"
#include "util/cleanup.h"

#define FREEZE_TIMEOUT_MS  5000
#define DESTROY_TIMEOUT_MS 5000

/* The v1 hierarchies berth creates a directory in: every controller, and
 * the named hierarchy of systemd, as runc does. Without the latter the
 * container would sit in (and see, through its /sys/fs/cgroup/systemd)
 * the cgroup of whoever called berth; systemd in a container, and hosts'
 * tools that find a container by its name=systemd path, need its own. It
 * has no files to write: resources never name it. */
static const char *const v1_controllers[] = {
    "cpu",   "cpuacct",    "cpuset",  "memory", "devices", "freezer", "net_cls",      "net_prio",
    "blkio", "perf_event", "hugetlb", "pids",   "rdma",    "misc",    "name=systemd",
};
#define N_V1 (sizeof(v1_controllers) / sizeof(v1_controllers[0]))

/* ---- layout ------------------------------------------------------------- */

bool berth_cgroup_hier_has(const struct berth_cgroup_hier *h, const char *controller)
{
    return h->controllers && cg_list_has(h->controllers, controller, h->v2 ? ' ' : ',');
}

void berth_cgroup_layout_free(struct berth_cgroup_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->h[i].mount);
        free(l->h[i].root);
        free(l->h[i].controllers);
        free(l->h[i].own);
    }
    free(l->h);
    free(l);
}

/* The known controllers among a v1 mount's super options, "cpu,cpuacct". */
static char *v1_controller_list(const char *superopts)
{
    char *out = calloc(1, strlen(superopts) + 1);

    if (!out)
        return NULL;
    for (size_t i = 0; i < N_V1; i++)
        if (cg_list_has(superopts, v1_controllers[i], ',')) {
            if (*out)
                strcat(out, ",");
            strcat(out, v1_controllers[i]);
        }
    return out;
}

/* The cgroup of hierarchy h in /proc/self/cgroup ("N:ctrls:/path"). */
static const char *own_cgroup(const char *self, const struct berth_cgroup_hier *h, size_t *len)
{
    for (const char *line = self; line && *line;) {
        const char *nl = strchr(line, '\n');
        const char *c1 = strchr(line, ':');
        const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        bool match = false;

        if (c2 && (!nl || c2 < nl)) {
            size_t clen = (size_t)(c2 - c1 - 1);
            if (h->v2) {
                match = clen == 0;
            } else {
                _cleanup_free_ char *ctrls = strndup(c1 + 1, clen);
                const char *first = h->controllers;
                size_t flen = strcspn(first, ",");
                _cleanup_free_ char *f = strndup(first, flen);

                match = ctrls && f && cg_list_has(ctrls, f, ',');
            }
            if (match) {
                *len = nl ? (size_t)(nl - c2 - 1) : strlen(c2 + 1);
                return c2 + 1;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    return NULL;
}

static int add_hier(struct berth_cgroup_layout *l, bool v2, const char *mount, const char *root,
                    char *controllers, const char *self)
{
    struct berth_cgroup_hier *nh = realloc(l->h, (l->n + 1) * sizeof(*nh));
    struct berth_cgroup_hier *h;
    const char *own;
    size_t olen = 0;

    if (!nh) {
        free(controllers);
        return -ENOMEM;
    }
    l->h = nh;
    h = &l->h[l->n];
    memset(h, 0, sizeof(*h));
    h->v2 = v2;
    h->controllers = controllers;
    h->mount = strdup(mount);
    h->root = strdup(root);
    l->n++;
    if (!h->mount || !h->root)
        return -ENOMEM;
    own = own_cgroup(self, h, &olen);
    /* A mount of a subtree (root != "/") shows our cgroup relative to it. */
    if (own && strcmp(root, "/") != 0 && strncmp(own, root, strlen(root)) == 0 &&
        olen >= strlen(root)) {
        own += strlen(root);
        olen -= strlen(root);
    }
    h->own = own && olen ? strndup(own, olen) : strdup("/");
    return h->own ? 0 : -ENOMEM;
}

static bool mount_seen(const struct berth_cgroup_layout *l, bool v2, const char *controllers)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->h[i].v2 == v2 && (v2 || strcmp(l->h[i].controllers, controllers) == 0))
            return true;
    return false;
}

int berth_cgroup_layout_parse(const char *mountinfo, const char *self_cgroup,
                              struct berth_cgroup_layout **ret, berth_error_t *err)
{
    struct berth_cgroup_layout *l = calloc(1, sizeof(*l));
    bool v2_at_root = false, any_v1 = false, any_v2 = false;
    _cleanup_free_ char *copy = strdup(mountinfo);
    char *save = NULL;

    if (!l || !copy) {
        free(l);
        return berth_error_make(err, ENOMEM, "parse mountinfo");
    }
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char root[4096], mnt[4096], fstype[64], super[1024];
        char *sep = strstr(line, " - ");
        bool v2;
        int r;

        if (!sep || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2 ||
            sscanf(sep + 3, "%63s %*s %1023s", fstype, super) != 2)
            continue;
        v2 = strcmp(fstype, "cgroup2") == 0;
        if (!v2 && strcmp(fstype, "cgroup") != 0)
            continue;
        /* Only the standard place: other mounts of the same hierarchy
         * (bind mounts into containers) would give the same cgroups. */
        if (strncmp(mnt, "/sys/fs/cgroup", 14) != 0 || (mnt[14] != '\0' && mnt[14] != '/'))
            continue;
        if (v2) {
            if (mount_seen(l, true, NULL))
                continue;
            v2_at_root |= strcmp(mnt, "/sys/fs/cgroup") == 0;
            any_v2 = true;
            r = add_hier(l, true, mnt, root, NULL, self_cgroup);
        } else {
            char *ctrls = v1_controller_list(super);

            if (!ctrls)
                r = -ENOMEM;
            else if (!*ctrls || mount_seen(l, false, ctrls)) {
                free(ctrls);
                continue;
            } else {
                any_v1 = true;
                r = add_hier(l, false, mnt, root, ctrls, self_cgroup);
            }
        }
        if (r < 0) {
            berth_cgroup_layout_free(l);
            return berth_error_make(err, -r, "parse mountinfo");
        }
    }
    if (v2_at_root) {
        /* Unified: a v1 hierarchy mounted beside it is not ours to use. */
        size_t k = 0;

        for (size_t i = 0; i < l->n; i++) {
            if (l->h[i].v2) {
                l->h[k++] = l->h[i];
            } else {
                free(l->h[i].mount);
                free(l->h[i].root);
                free(l->h[i].controllers);
                free(l->h[i].own);
            }
        }
        l->n = k;
        l->mode = BERTH_CGROUP_UNIFIED;
    } else if (any_v1) {
        l->mode = any_v2 ? BERTH_CGROUP_HYBRID : BERTH_CGROUP_LEGACY;
    } else {
        l->mode = BERTH_CGROUP_NONE;
    }
    *ret = l;
    return 0;
}

static int read_text(const char *path, char **ret, berth_error_t *err)
{
    _cleanup_close_ int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return berth_error_errno(err, "open /");
    return cg_read(fd, path + 1, ret, err);
}

int berth_cgroup_layout_detect(struct berth_cgroup_layout **ret, berth_error_t *err)
{
    _cleanup_free_ char *mi = NULL, *self = NULL;
    struct berth_cgroup_layout *l;
    int r;

    if ((r = read_text("/proc/self/mountinfo", &mi, err)) < 0 ||
        (r = read_text("/proc/self/cgroup", &self, err)) < 0)
        return berth_error_wrap(err, "detect cgroups");
    r = berth_cgroup_layout_parse(mi, self, &l, err);
    if (r < 0)
        return r;
    for (size_t i = 0; i < l->n; i++) {
        _cleanup_close_ int fd = -1;
        char *c = NULL;

        if (!l->h[i].v2)
            continue;
        fd = open(l->h[i].mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0 && cg_read(fd, "cgroup.controllers", &c, NULL) == 0)
            c[strcspn(c, "\n")] = '\0';
        l->h[i].controllers = c ? c : strdup("");
    }
    *ret = l;
    return 0;
}

/* ---- the container's directories ---------------------------------------- */

static void cg_dir_release(struct cg_dir *d)
{
    d->fd = safe_close(d->fd);
    free(d->controllers);
    free(d->mount);
    free(d->path);
    free(d->created);
}

void berth_cgroup_free(struct berth_cgroup *cg)
{
    if (!cg)
        return;
    for (size_t i = 0; i < cg->n; i++)
        cg_dir_release(&cg->d[i]);
    for (size_t i = 0; i < cg->ngone; i++)
        cg_dir_release(&cg->gone[i]);
    free(cg->d);
    free(cg->gone);
    free(cg->path);
    berth_sd_unit_release(&cg->sd);
    berth_sd_props_release(&cg->sd_extra);
    free(cg);
}

int berth_cgroup_dir_refs(const struct berth_cgroup *cg, struct berth_cgroup_dir_ref **ret,
                          size_t *ret_n, berth_error_t *err)
{
    struct berth_cgroup_dir_ref *v = calloc(cg->n ? cg->n : 1, sizeof(*v));

    if (!v)
        return berth_error_make(err, ENOMEM, "cgroup");
    for (size_t i = 0; i < cg->n; i++)
        v[i] = (struct berth_cgroup_dir_ref){cg->d[i].mount, cg->d[i].path, cg->d[i].v2};
    *ret = v;
    *ret_n = cg->n;
    return 0;
}

void berth_cgroup_close_fds(struct berth_cgroup *cg)
{
    for (size_t i = 0; i < cg->n; i++)
        cg->d[i].fd = safe_close(cg->d[i].fd);
}

const char *berth_cgroup_path(const struct berth_cgroup *cg)
{
    return cg->path;
}

static const struct cg_dir *owner(const struct berth_cgroup *cg, const char *controller)
{
    for (size_t i = 0; i < cg->n; i++)
        if (cg_dir_has(&cg->d[i], controller))
            return &cg->d[i];
    return NULL;
}

static const struct cg_dir *v2_dir(const struct berth_cgroup *cg)
{
    for (size_t i = 0; i < cg->n; i++)
        if (cg->d[i].v2)
            return &cg->d[i];
    return NULL;
}

/* config-linux.md "Cgroups Path": "Runtimes MAY consider certain
 * cgroupsPath values to be invalid, and MUST generate an error". berth
 * refuses ".." (it would leave the hierarchy), control characters (the
 * state file is line based) and the root cgroup itself. Returns the
 * normalised path (no duplicate or trailing slashes). */
static int normalise_path(const char *in, char **ret, berth_error_t *err)
{
    char *out = malloc(strlen(in) + 2), *o = out;

    if (!out)
        return berth_error_make(err, ENOMEM, "cgroupsPath");
    for (const char *p = in; *p; p++) {
        if ((unsigned char)*p < 0x20) {
            free(out);
            return berth_error_make(err, EINVAL, "invalid cgroupsPath `%s`: control character", in);
        }
        if (*p == '/' && o > out && o[-1] == '/')
            continue;
        *o++ = *p;
    }
    while (o > out + 1 && o[-1] == '/')
        o--;
    *o = '\0';
    for (const char *c = out; (c = strstr(c, "..")); c += 2)
        if ((c == out || c[-1] == '/') && (c[2] == '\0' || c[2] == '/')) {
            free(out);
            return berth_error_make(err, EINVAL, "invalid cgroupsPath `%s`: `..` component", in);
        }
    if (*out == '\0' || strcmp(out, "/") == 0) {
        free(out);
        return berth_error_make(err, EINVAL,
                                "invalid cgroupsPath `%s`: a container needs its own cgroup, "
                                "not the root",
                                in);
    }
    *ret = out;
    return 0;
}

/* The usual case on v1: the parent exists (the /berth of an earlier
 * container) and the leaf does not: one mkdir instead of a walk from the
 * mount point. 1 when done, 0 when the walk must do it: v2 enables the
 * controllers level by level, and v1 cpuset fills empty cpus/mems of every
 * level (a parent made by someone else may have none). */
static int make_leaf(struct cg_dir *d, berth_error_t *err)
{
    if (d->v2 || cg_dir_has(d, "cpuset") || mkdir(d->path, 0755) < 0)
        return 0; /* or ENOENT, EEXIST: the walk knows what to do */
    if (!(d->created = strdup(d->path)))
        return berth_error_make(err, ENOMEM, "create cgroup");
    d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (d->fd < 0)
        return berth_error_errno(err, "open cgroup `%s`", d->path);
    return 1;
}

/* mkdir -p of d->path below d->mount, recording the first directory made.
 * v1 cpuset: each level gets its parent's cpus/mems. v2: each level enables
 * the controllers it has for its children. */
static int make_dirs(struct cg_dir *d, berth_error_t *err)
{
    _cleanup_close_ int fd = open(d->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const char *rel = d->path + strlen(d->mount);
    bool cpuset = !d->v2 && cg_dir_has(d, "cpuset");

    if (fd < 0)
        return berth_error_errno(err, "open cgroup mount `%s`", d->mount);
    while (*rel) {
        _cleanup_free_ char *name = NULL;
        size_t n;
        int sub, r;

        while (*rel == '/')
            rel++;
        n = strcspn(rel, "/");
        if (n == 0)
            break;
        name = strndup(rel, n);
        if (!name)
            return berth_error_make(err, ENOMEM, "create cgroup");
        if (d->v2)
            (void)berth_cgv2_enable_all(fd);
        if (mkdirat(fd, name, 0755) == 0) {
            if (!d->created && !(d->created = strndup(d->path, (size_t)(rel + n - d->path))))
                return berth_error_make(err, ENOMEM, "create cgroup");
        } else if (errno != EEXIST) {
            return berth_error_errno(err, "create cgroup `%.*s`", (int)(rel + n - d->path),
                                     d->path);
        }
        sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0)
            return berth_error_errno(err, "open cgroup `%.*s`", (int)(rel + n - d->path), d->path);
        if (cpuset && (r = berth_cgv1_cpuset_init(fd, sub, err)) < 0) {
            close(sub);
            return berth_error_wrap(err, "cgroup `%.*s`", (int)(rel + n - d->path), d->path);
        }
        close(fd);
        fd = sub;
        rel += n;
    }
    d->fd = TAKE_FD(fd);
    return 0;
}

/* rmdir of every directory below fd's directory, deepest first. */
static void remove_children(int fd, int depth)
{
    _cleanup_closedir_ DIR *dir = NULL;
    struct dirent *de;
    int dfd;

    if (depth > 64 || (dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return;
    if (!(dir = fdopendir(dfd))) {
        close(dfd);
        return;
    }
    while ((de = readdir(dir))) {
        _cleanup_close_ int sub = -1;

        if (de->d_type != DT_DIR || de->d_name[0] == '.')
            continue;
        sub = openat(fd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub >= 0)
            remove_children(sub, depth + 1);
        (void)unlinkat(fd, de->d_name, AT_REMOVEDIR);
    }
}

/* rmdir with a bounded wait: the last processes of a killed container can
 * take a moment to leave (EBUSY); never loop for ever (crun#868). */
static int rmdir_wait(const char *path, bool wait, berth_error_t *err)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 10 * 1000000};

    for (int waited = 0;; waited += 10) {
        if (rmdir(path) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY || !wait || waited >= DESTROY_TIMEOUT_MS)
            return berth_error_errno(err, "remove cgroup `%s`", path);
        nanosleep(&ts, NULL);
    }
}

static int destroy_dir(struct cg_dir *d, berth_error_t *err)
{
    _cleanup_free_ char *p = NULL;
    _cleanup_close_ int fd = -1;
    size_t top;
    int r;

    /* runtime.md "Delete": only what this container created. */
    if (!d->created)
        return 0;
    /* Usually empty by now: one rmdir. Busy: children or dying tasks. */
    if (rmdir(d->path) < 0 && errno != ENOENT) {
        fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return errno == ENOENT ? 0 : berth_error_errno(err, "open cgroup `%s`", d->path);
        /* Cgroups the container made inside its own are part of it. */
        remove_children(fd, 0);
        r = rmdir_wait(d->path, true, err);
        if (r < 0)
            return r;
    }
    /* The parents berth created for it, up to the recorded top; one that
     * another container still uses stays (ENOTEMPTY/EBUSY). */
    p = strdup(d->path);
    if (!p)
        return 0;
    top = strlen(d->created);
    for (char *s = strrchr(p, '/'); s && (size_t)(s - p) >= top; s = strrchr(p, '/')) {
        *s = '\0';
        if (rmdir(p) < 0)
            break;
    }
    return 0;
}

/* A create killed before its final record left a planned one: each
 * directory may exist or not, made by it or not. Only the container's own
 * leaves go, once the init (killed with its parent) has left them; the
 * parents stay, as runc leaves them always. Best effort: a leaf that stays
 * busy or is not ours to remove was not the container's alone. */
static void destroy_planned(struct berth_cgroup *cg)
{
    for (size_t i = 0; i < cg->n; i++) {
        berth_error_t ignored = NULL;

        if (rmdir_wait(cg->d[i].path, true, &ignored) < 0)
            berth_debug(cg->ctx, "planned cgroup left: %s", ignored->msg);
        berth_error_release(&ignored);
    }
}

int berth_cgroup_destroy(struct berth_cgroup *cg, berth_error_t *err)
{
    int ret = 0;

    /* systemd removes the directories of its unit; berth's own (the v1
     * controllers systemd does not manage) go after it, below */
    if (cg->sd.name)
        ret = cg_sd_stop(cg, err);
    if (cg->planned) {
        destroy_planned(cg);
        return ret;
    }
    for (size_t i = 0; i < cg->n; i++) {
        berth_error_t e = NULL;

        if (destroy_dir(&cg->d[i], &e) < 0) {
            if (ret == 0) {
                ret = berth_error_ret(&e);
                *err = e;
                e = NULL;
            }
            berth_error_release(&e);
        }
    }
    return ret;
}

static int add_dir(struct berth_cgroup *cg, const struct berth_cgroup_hier *h, const char *path,
                   bool abs)
{
    struct cg_dir *nd = realloc(cg->d, (cg->n + 1) * sizeof(*nd));
    struct cg_dir *d;
    int r;

    if (!nd)
        return -ENOMEM;
    cg->d = nd;
    d = &cg->d[cg->n++];
    memset(d, 0, sizeof(*d));
    d->fd = -1;
    d->v2 = h->v2;
    d->ops = h->v2 ? &berth_cg_ops_v2 : &berth_cg_ops_v1;
    d->controllers = strdup(h->controllers ? h->controllers : "");
    d->mount = strdup(h->mount);
    if (abs)
        r = asprintf(&d->path, "%s%s", h->mount, path);
    else
        r = asprintf(&d->path, "%s%s/%s", h->mount, strcmp(h->own, "/") == 0 ? "" : h->own, path);
    if (r < 0)
        d->path = NULL;
    return d->controllers && d->mount && d->path ? 0 : -ENOMEM;
}

/* True when berth made the container's own directory (in every
 * hierarchy), so nobody else's processes or settings can be in it. */
static bool leaf_created(const struct berth_cgroup *cg)
{
    for (size_t i = 0; i < cg->n; i++)
        if (!cg->d[i].created)
            return false;
    return true;
}

static bool layout_has_v1(const struct berth_cgroup_layout *l, const char *controller)
{
    for (size_t i = 0; i < l->n; i++)
        if (!l->h[i].v2 && berth_cgroup_hier_has(&l->h[i], controller))
            return true;
    return false;
}

int berth_cgroup_plan_in(const struct berth_context *ctx, const struct berth_cgroup_layout *layout,
                         const char *cgroups_path, const char *id, struct berth_cgroup **ret,
                         berth_error_t *err)
{
    _cleanup_cgroup_ struct berth_cgroup *cg = NULL;
    _cleanup_free_ char *given = NULL, *path = NULL;
    int r;

    if (layout->mode == BERTH_CGROUP_NONE || layout->n == 0)
        return berth_error_make(err, ENOENT, "no cgroup filesystem is mounted at /sys/fs/cgroup");
    cg = calloc(1, sizeof(*cg));
    if (!cg)
        return berth_error_make(err, ENOMEM, "cgroup");
    cg->ctx = ctx;
    cg->sd_quota = -2;
    cg->may_drop =
        ctx && ctx->rootless && !ctx->systemd_cgroup && (!cgroups_path || !*cgroups_path);
    if (ctx && ctx->systemd_cgroup) {
        /* "slice:prefix:name": the unit's cgroup, absolute */
        r = cg_sd_plan(cg, cgroups_path, id, layout->mode == BERTH_CGROUP_UNIFIED, &given, err);
        if (r < 0)
            return r;
    } else if (!cgroups_path || !*cgroups_path) {
        if (asprintf(&given, "/berth/%s", id) < 0)
            return berth_error_make(err, ENOMEM, "cgroup path");
    } else if (!(given = strdup(cgroups_path))) {
        return berth_error_make(err, ENOMEM, "cgroup path");
    }
    r = normalise_path(given, &path, err);
    if (r < 0)
        return r;
    cg->path = TAKE_PTR(path);
    for (size_t i = 0; i < layout->n; i++) {
        if (add_dir(cg, &layout->h[i], cg->path, cg->path[0] == '/') < 0)
            return berth_error_make(err, ENOMEM, "cgroup");
        if (cg->d[cg->n - 1].v2) {
            cg->d[cg->n - 1].devices = !layout_has_v1(layout, "devices");
            cg->d[cg->n - 1].freezer = !layout_has_v1(layout, "freezer");
        }
    }
    *ret = TAKE_PTR(cg);
    return 0;
}

int berth_cgroup_plan(const struct berth_context *ctx, const char *cgroups_path, const char *id,
                      struct berth_cgroup **ret, berth_error_t *err)
{
    struct berth_cgroup_layout *l = NULL;
    int r;

    /* runc's check and wording (cgroups/manager/new.go) */
    if (ctx && ctx->systemd_cgroup && !berth_cgroup_systemd_running())
        return berth_error_make(err, 0,
                                "systemd not running on this host, cannot use systemd cgroups "
                                "manager");
    r = berth_cgroup_layout_detect(&l, err);
    if (r < 0)
        return r;
    r = berth_cgroup_plan_in(ctx, l, cgroups_path, id, ret, err);
    berth_cgroup_layout_free(l);
    return r;
}

/* Rootless without a cgroupsPath (runc's fs/fs2 managers): a directory
 * berth has no permission to make is left out, and the container lives
 * without that hierarchy; a resource that needs it fails later, at
 * cg_rows_placeable, naming why. */
static bool drop_dir(struct berth_cgroup *cg, size_t i, int r, berth_error_t *err)
{
    berth_error_t ignored = NULL;
    struct cg_dir *grown;

    if (!cg->may_drop || (r != -EACCES && r != -EPERM && r != -EROFS))
        return false;
    grown = realloc(cg->gone, (cg->ngone + 1) * sizeof(*grown));
    if (!grown)
        return false; /* the permission error stands */
    cg->gone = grown;
    berth_debug(cg->ctx, "rootless: no cgroup %s (%s)", cg->d[i].path, (*err)->msg);
    berth_error_release(err);
    (void)destroy_dir(&cg->d[i], &ignored); /* a parent made before the refusal */
    berth_error_release(&ignored);
    cg->d[i].fd = safe_close(cg->d[i].fd);
    cg->gone[cg->ngone++] = cg->d[i];
    memmove(&cg->d[i], &cg->d[i + 1], (cg->n - i - 1) * sizeof(cg->d[0]));
    cg->n--;
    return true;
}

int berth_cgroup_make(struct berth_cgroup *cg, bool v2, berth_error_t *err)
{
    bool frozen = false;
    int r;

    /* i moves on only past a kept directory: a dropped one's slot holds
     * the next */
    for (size_t i = 0; i < cg->n;) {
        if (cg->d[i].v2 != v2) {
            i++;
            continue;
        }
        r = make_leaf(&cg->d[i], err);
        if (r == 0)
            r = make_dirs(&cg->d[i], err);
        if (r < 0 && drop_dir(cg, i, r, err))
            continue;
        if (r < 0)
            return r;
        i++;
    }
    if (v2)
        return 0;
    /* config-linux.md "Control groups": a runtime MAY refuse a frozen
     * cgroup and MUST error when such a check fails. Joining a frozen
     * cgroup would leave the container hanging in create. Checked once
     * every directory exists (the v2 ones are made first). */
    if (!leaf_created(cg)) {
        r = berth_cgroup_is_frozen(cg, &frozen, err);
        /* runc's wording (factory_linux.go) */
        if (r == 0 && frozen)
            r = berth_error_make(err, 0, "container's cgroup unexpectedly frozen");
        if (r < 0)
            return r;
    }
    return 0;
}

int berth_cgroup_before_clone(struct berth_cgroup *cg, struct berth_cgroup_join *join,
                              berth_error_t *err)
{
    int r;

    if (cg->sd.name)
        return 0;
    r = berth_cgroup_make(cg, true, err);
    /* Rootless, the v1 directories too: which of them exist decides what
     * the init binds at /sys/fs/cgroup (its own cgroup where berth could
     * make none), and it learns that from what it inherits at the clone. */
    if (r >= 0 && cg->may_drop)
        r = berth_cgroup_make(cg, false, err);
    return r < 0 ? r : berth_cgroup_join_prepare(cg, true, join, err);
}

int berth_cgroup_after_clone(struct berth_cgroup *cg, const char *id, pid_t pid,
                             const oci_resources *res, berth_error_t *err)
{
    int r = 0;

    if (cg->sd.name) {
        r = cg_sd_start(cg, id, pid, res, err);
        /* the cgroup2 directory is systemd's now; what berth makes there
         * is only the parents' controller delegation */
        if (r >= 0)
            r = berth_cgroup_make(cg, true, err);
    }
    if (r < 0 || cg->may_drop) /* made before the clone */
        return r;
    return berth_cgroup_make(cg, false, err);
}

static int create_all(struct berth_cgroup *cg, berth_error_t *err)
{
    int r = berth_cgroup_make(cg, true, err);

    if (r >= 0)
        r = berth_cgroup_make(cg, false, err);
    if (r < 0) {
        berth_error_t e = NULL;
        (void)berth_cgroup_destroy(cg, &e);
        berth_error_release(&e);
    }
    return r;
}

int berth_cgroup_create_in(const struct berth_context *ctx,
                           const struct berth_cgroup_layout *layout, const char *cgroups_path,
                           const char *id, struct berth_cgroup **ret, berth_error_t *err)
{
    _cleanup_cgroup_ struct berth_cgroup *cg = NULL;
    int r = berth_cgroup_plan_in(ctx, layout, cgroups_path, id, &cg, err);

    if (r < 0 || (r = create_all(cg, err)) < 0)
        return r;
    *ret = TAKE_PTR(cg);
    return 0;
}

int berth_cgroup_create(const struct berth_context *ctx, const char *cgroups_path, const char *id,
                        struct berth_cgroup **ret, berth_error_t *err)
{
    _cleanup_cgroup_ struct berth_cgroup *cg = NULL;
    int r = berth_cgroup_plan(ctx, cgroups_path, id, &cg, err);

    if (r < 0 || (r = create_all(cg, err)) < 0)
        return r;
    *ret = TAKE_PTR(cg);
    return 0;
}

int berth_cgroup_enter(struct berth_cgroup *cg, pid_t pid, berth_error_t *err)
{
    for (size_t i = 0; i < cg->n; i++) {
        _cleanup_close_ int fd = cg_dir_open(&cg->d[i], err);
        int r;

        if (fd < 0)
            return fd;
        r = cg_writef(fd, "cgroup.procs", err, "%d", (int)pid);
        if (r < 0)
            return berth_error_wrap(err, "join cgroup `%s`", cg->d[i].path);
    }
    return 0;
}

/* ---- resources ---------------------------------------------------------- */

/* config-linux.md "Unified": on a host that is not pure cgroup v2 the
 * runtime MAY convert the keys to v1 files and MUST error when it cannot.
 * berth refuses them all, as runc does ("cannot use unified on cgroup v1"):
 * a conversion would work with berth and fail with every other runtime, and
 * engines pass `unified` only when they found cgroup v2. Also on a hybrid
 * host, whose v2 hierarchy holds few controllers. docs/divergences.md. */
static int apply_unified(const struct berth_cgroup *cg, const oci_string_map *u, berth_error_t *err)
{
    const struct cg_dir *v2 = v2_dir(cg);
    _cleanup_close_ int fd = -1;

    if (!u->keys || u->len == 0)
        return 0;
    if (!v2 || cg->n != 1)
        return berth_error_make(err, EOPNOTSUPP,
                                "linux.resources.unified: cannot use unified on cgroup v1");
    for (size_t i = 0; i < u->len; i++) {
        const char *key = u->keys[i];
        size_t clen = strcspn(key, ".");
        _cleanup_free_ char *ctrl = strndup(key, clen);

        if (!ctrl)
            return berth_error_make(err, ENOMEM, "unified");
        /* config-linux.md "Unified" MUST error on a missing controller. */
        if (strcmp(ctrl, "cgroup") != 0 && !cg_dir_has(v2, ctrl))
            return berth_error_make(err, EOPNOTSUPP,
                                    "unified.%s: the cgroup controller `%s` is not available", key,
                                    ctrl);
    }
    fd = cg_dir_open(v2, err);
    if (fd < 0)
        return fd;
    return berth_cgv2_unified(fd, u, err);
}

int berth_cgroup_apply(struct berth_cgroup *cg, const oci_resources *res, bool create,
                       berth_error_t *err)
{
    static const oci_resources empty;
    oci_resources rounded;
    oci_cpu cpu;
    int64_t quota = cg->sd_quota;
    int r;

    if (!res)
        res = &empty;
    /* everything checked before the first write ("values validated
     * before anything is written"): a field no directory of this host
     * can take is an error, naming the field */
    r = cg_rows_placeable(cg->d, cg->n, cg->gone, cg->ngone, res, err);
    if (r < 0)
        return r;
    /* systemd first (at create, berth_cgroup_after_clone started it): a
     * property it refuses leaves the files as they were */
    if (cg->sd.name && !create && (r = cg_sd_update(cg, res, &quota, err)) < 0)
        return r;
    if (quota != -2 && res->cpu) {
        /* the files get the quota systemd got (its 10 ms rounding), so
         * that a systemd re-applying the unit changes nothing */
        cpu = *res->cpu;
        cpu.quota = quota;
        rounded = *res;
        rounded.cpu = &cpu;
        res = &rounded;
    }
    for (size_t i = 0; i < cg->n; i++) {
        _cleanup_close_ int fd = cg_dir_open(&cg->d[i], err);

        if (fd < 0)
            return fd;
        r = cg->d[i].ops->apply(cg, &cg->d[i], fd, res, create, err);
        if (r < 0)
            return berth_error_wrap(err, "cgroup `%s`", cg->d[i].path);
    }
    return apply_unified(cg, &res->unified, err);
}

/* ---- freezer, signals, pids --------------------------------------------- */

static const struct cg_dir *freezer(const struct berth_cgroup *cg)
{
    return owner(cg, "freezer");
}

int berth_cgroup_is_frozen(struct berth_cgroup *cg, bool *ret, berth_error_t *err)
{
    const struct cg_dir *d = freezer(cg);
    _cleanup_close_ int fd = -1;

    *ret = false;
    if (!d)
        return 0;
    fd = cg_dir_open(d, err);
    if (fd < 0)
        return fd;
    return cg_read_frozen(d->ops, fd, ".", ret, err);
}

int berth_cgroup_freeze(struct berth_cgroup *cg, bool frozen, berth_error_t *err)
{
    const struct cg_dir *d = freezer(cg);
    _cleanup_close_ int fd = -1;
    int r;

    if (!d)
        return berth_error_make(err, EOPNOTSUPP, "%s: no freezer cgroup on this host",
                                frozen ? "pause" : "resume");
    fd = cg_dir_open(d, err);
    if (fd < 0)
        return fd;
    r = d->ops->freeze(fd, frozen, FREEZE_TIMEOUT_MS, err);
    if (r == -ETIMEDOUT && frozen) {
        /* Never leave a half-frozen container behind. */
        berth_error_t e = NULL;
        (void)d->ops->freeze(fd, false, FREEZE_TIMEOUT_MS, &e);
        berth_error_release(&e);
    }
    return r < 0 ? berth_error_wrap(err, "cgroup `%s`", d->path) : 0;
}

static const struct cg_dir *procs_dir(const struct berth_cgroup *cg)
{
    const struct cg_dir *d = freezer(cg);

    return d ? d : (cg->n ? &cg->d[0] : NULL);
}

int berth_cgroup_pids(struct berth_cgroup *cg, pid_t **ret, size_t *ret_n, berth_error_t *err)
{
    const struct cg_dir *d = procs_dir(cg);
    _cleanup_close_ int fd = -1;

    if (!d)
        return berth_error_make(err, ENOENT, "container has no cgroup");
    fd = cg_dir_open(d, err);
    if (fd < 0)
        return fd;
    return cg_read_procs_recursive(fd, ret, ret_n, err);
}

int berth_cgroup_kill_all(struct berth_cgroup *cg, int signo, berth_error_t *err)
{
    const struct cg_dir *v2 = v2_dir(cg), *fz = freezer(cg);
    _cleanup_free_ pid_t *pids = NULL;
    bool was_frozen = false;
    size_t n = 0;
    int r;

    /* create's planned record (a create killed before its final one): no
     * process was released into it, and the init it made dies with its
     * parent (init.c); its directories may not even exist */
    if (cg->planned)
        return 0;

    if (signo == SIGKILL && v2) {
        _cleanup_close_ int fd = cg_dir_open(v2, err);

        if (fd < 0)
            return fd;
        r = v2->ops->kill(fd, err);
        if (r == 0) {
            /* v1 frozen tasks cannot die until thawed (hybrid); on v2
             * they die frozen, but a dead container is not "paused". */
            if (fz && berth_cgroup_is_frozen(cg, &was_frozen, err) == 0 && was_frozen)
                return berth_cgroup_freeze(cg, false, err);
            return 0;
        }
        if (r != -EOPNOTSUPP)
            return r;
    }
    /* Freeze while reading and signalling: nothing can fork a new process
     * or exit and have its pid reused in between. */
    if (fz) {
        r = berth_cgroup_is_frozen(cg, &was_frozen, err);
        if (r == 0 && !was_frozen)
            r = berth_cgroup_freeze(cg, true, err);
        if (r < 0)
            return r;
    }
    r = berth_cgroup_pids(cg, &pids, &n, err);
    for (size_t i = 0; r == 0 && i < n; i++)
        if (kill(pids[i], signo) < 0 && errno != ESRCH)
            r = berth_error_errno(err, "send signal %d to process %d", signo, (int)pids[i]);
    if (fz && (!was_frozen || signo == SIGKILL)) {
        berth_error_t e = NULL;
        int t = berth_cgroup_freeze(cg, false, &e);

        if (t < 0 && r == 0) {
            *err = e;
            return t;
        }
        berth_error_release(&e);
    }
    return r;
}

/* ---- systemd ------------------------------------------------------------ */

/* ---- the state's record -------------------------------------------------- */

static char *dup_or_null(const char *s, bool *oom)
{
    char *d = s ? strdup(s) : NULL;

    if (s && !d)
        *oom = true;
    return d;
}

int berth_cgroup_record(const struct berth_cgroup *cg, struct berth_cgroup_record **ret,
                        berth_error_t *err)
{
    _cleanup_(berth_cgroup_record_freep) struct berth_cgroup_record *rec = NULL;
    bool oom;

    if (cg->n == 0 && !cg->sd.name) {
        *ret = NULL;
        return 0;
    }
    rec = calloc(1, sizeof(*rec));
    oom = !rec;

    if (rec) {
        rec->dirs = calloc(cg->n ? cg->n : 1, sizeof(*rec->dirs));
        oom = !rec->dirs;
    }
    for (size_t i = 0; !oom && i < cg->n; i++) {
        const struct cg_dir *d = &cg->d[i];

        rec->dirs[i] = (struct berth_cgroup_record_dir){
            .v2 = d->v2,
            .controllers = dup_or_null(d->controllers, &oom),
            .mount = dup_or_null(d->mount, &oom),
            .path = dup_or_null(d->path, &oom),
            .created = dup_or_null(d->created, &oom),
            .devices = d->devices,
            .freezer = d->freezer,
        };
        rec->ndirs = i + 1;
    }
    if (!oom) {
        rec->path = dup_or_null(cg->path, &oom);
        rec->unit = dup_or_null(cg->sd.name, &oom);
        rec->unit_v2 = cg->unit_v2;
        rec->unit_user = cg->sd.user;
    }
    if (oom)
        return berth_error_make(err, ENOMEM, "record the cgroup of the container");
    *ret = TAKE_PTR(rec);
    return 0;
}

int berth_cgroup_load(const struct berth_context *ctx, const struct berth_cgroup_record *rec,
                      struct berth_cgroup **ret, berth_error_t *err)
{
    _cleanup_cgroup_ struct berth_cgroup *cg = calloc(1, sizeof(*cg));
    bool oom = !cg;

    if (!oom && rec->ndirs == 0)
        return berth_error_make(err, EINVAL, "load cgroup state: no cgroup recorded");
    if (!oom && !(cg->d = calloc(rec->ndirs, sizeof(*cg->d))))
        oom = true;
    for (size_t i = 0; !oom && i < rec->ndirs; i++) {
        const struct berth_cgroup_record_dir *r = &rec->dirs[i];
        struct cg_dir *d = &cg->d[i];

        /* Every path is opened and written as root: only absolute ones,
         * whatever a damaged state.json says. */
        if (!r->path || r->path[0] != '/' || !r->controllers || !r->mount)
            return berth_error_make(err, EINVAL, "load cgroup state: directory %zu is `%s`", i,
                                    r->path ? r->path : "(none)");
        *d = (struct cg_dir){
            .ops = r->v2 ? &berth_cg_ops_v2 : &berth_cg_ops_v1,
            .v2 = r->v2,
            .controllers = dup_or_null(r->controllers, &oom),
            .mount = dup_or_null(r->mount, &oom),
            .path = dup_or_null(r->path, &oom),
            .created = dup_or_null(r->created, &oom),
            .devices = r->devices,
            .freezer = r->freezer,
            .fd = -1,
        };
        cg->n = i + 1;
    }
    if (!oom) {
        cg->ctx = ctx;
        cg->sd_quota = -2;
        cg->path = dup_or_null(rec->path, &oom);
        cg->sd.name = dup_or_null(rec->unit, &oom);
        cg->unit_v2 = rec->unit_v2;
        cg->sd.user = rec->unit_user;
        cg->planned = rec->planned;
    }
    if (oom)
        return berth_error_make(err, ENOMEM, "load cgroup state");
    *ret = TAKE_PTR(cg);
    return 0;
}

void berth_cgroup_mount_fds_release(struct berth_cgroup_mount_fds *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->m[i].mount);
        safe_close(c->m[i].fd);
    }
    c->n = 0;
}

/* The directory below the mount's fd, or the absolute path with AT_FDCWD
 * when the cache is full, absent, or the path is not below the mount. */
static const char *below_mount(const struct berth_cgroup_record_dir *r,
                               struct berth_cgroup_mount_fds *c, int *ret_fd)
{
    size_t len = r->mount ? strlen(r->mount) : 0;
    int fd;

    *ret_fd = AT_FDCWD;
    if (!c || !len || strncmp(r->path, r->mount, len) != 0 || r->path[len] != '/')
        return r->path;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->m[i].mount, r->mount) == 0) {
            *ret_fd = c->m[i].fd;
            return r->path + len + 1;
        }
    if (c->n == BERTH_CGROUP_MOUNT_FDS)
        return r->path;
    fd = open(r->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return r->path;
    if (!(c->m[c->n].mount = strdup(r->mount))) {
        close(fd);
        return r->path;
    }
    c->m[c->n++].fd = *ret_fd = fd;
    return r->path + len + 1;
}

bool berth_cgroup_state_frozen(const struct berth_cgroup_record *rec,
                               struct berth_cgroup_mount_fds *fds, char init_state)
{
    /* Read where the record says, by the path: status derivation runs once
     * per container in list, where a directory fd or a load of the record
     * would cost more than the answer. */
    for (size_t i = 0; i < rec->ndirs; i++) {
        const struct berth_cgroup_record_dir *r = &rec->dirs[i];
        const struct cg_dir d = {.ops = r->v2 ? &berth_cg_ops_v2 : &berth_cg_ops_v1,
                                 .v2 = r->v2,
                                 .controllers = r->controllers,
                                 .freezer = r->freezer};
        berth_error_t ignored = NULL;
        bool frozen = false;
        const char *dir;
        int dirfd;

        if (!r->controllers || !r->path || r->path[0] != '/' || !cg_dir_has(&d, "freezer"))
            continue;
        if (!r->v2 && (init_state == 'S' || init_state == 'R'))
            return false;
        dir = below_mount(r, fds, &dirfd);
        if (cg_read_frozen(d.ops, dirfd, dir, &frozen, &ignored) < 0)
            berth_error_release(&ignored);
        return frozen;
    }
    return false;
}

/* ---- statistics --------------------------------------------------------- */

int berth_cgroup_stats(struct berth_cgroup *cg, struct berth_cgroup_stats *st, berth_error_t *err)
{
    memset(st, 0, sizeof(*st));
    for (size_t i = 0; i < cg->n; i++) {
        _cleanup_close_ int fd = cg_dir_open(&cg->d[i], err);
        int r;

        if (fd < 0)
            return fd;
        r = cg->d[i].ops->stats(&cg->d[i], fd, st, err);
        if (r < 0)
            return berth_error_wrap(err, "cgroup `%s`", cg->d[i].path);
    }
    return 0;
}

void berth_cgroup_stats_release(struct berth_cgroup_stats *st)
{
    free(st->percpu);
    free(st->percpu_user);
    free(st->percpu_kernel);
    free(st->cpuset.cpus);
    free(st->cpuset.mems);
    for (size_t i = 0; i < st->nraw; i++)
        free(st->raw[i].key);
    free(st->raw);
    free(st->bytes);
    free(st->ios);
    free(st->huge);
    memset(st, 0, sizeof(*st));
}
