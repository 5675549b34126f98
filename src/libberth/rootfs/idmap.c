/* idmap.c: detached idmapped bind trees made by the parent; see idmap.h. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "idmap.h"
#include "mount-flags.h"
#include "ns/ns.h"

struct idmap_req {
    bool wanted, recursive, rbind;
};

/* Which idmap the entry asks for (mount.c applies the same rules to the
 * plan; config.md "Mounts"). */
static struct idmap_req idmap_request(const oci_mount *m)
{
    struct idmap_req q = {.wanted = m->uidMappings_len || m->gidMappings_len};

    for (size_t i = 0; i < m->options_len; i++) {
        const struct berth_mount_opt *o = berth_mount_opt_find(m->options[i]);

        if (o && o->kind == BERTH_MOPT_IDMAP) {
            q.wanted = true;
            q.recursive |= (o->flag & MS_REC) != 0;
        } else if (o && o->kind == BERTH_MOPT_BIND) {
            q.rbind |= (o->flag & MS_REC) != 0;
        }
    }
    return q;
}

static bool has_userns(const oci_linux *l)
{
    for (size_t i = 0; l && i < l->namespaces_len; i++)
        if (strcmp(l->namespaces[i].type, "user") == 0)
            return true;
    return false;
}

/* config.md "Mounts", idmap: the mount's own mappings when given (both
 * MUST be), else the container's user namespace mappings, else an error. */
static int pick_maps(const oci_config *cfg, const oci_mount *m, const char *what, oci_linux *ret,
                     berth_error_t *err)
{
    const oci_linux *l = cfg->linux;

    if (m->uidMappings_len || m->gidMappings_len) {
        if (!m->uidMappings_len || !m->gidMappings_len)
            return berth_error_make(err, EINVAL,
                                    "%s: uidMappings and gidMappings must be given together", what);
        ret->uidMappings = m->uidMappings;
        ret->uidMappings_len = m->uidMappings_len;
        ret->gidMappings = m->gidMappings;
        ret->gidMappings_len = m->gidMappings_len;
        return 0;
    }
    if (!has_userns(l) || !l->uidMappings_len || !l->gidMappings_len)
        return berth_error_make(err, EINVAL,
                                "%s: idmap needs uidMappings/gidMappings on the mount or a user "
                                "namespace with mappings",
                                what);
    ret->uidMappings = l->uidMappings;
    ret->uidMappings_len = l->uidMappings_len;
    ret->gidMappings = l->gidMappings;
    ret->gidMappings_len = l->gidMappings_len;
    return 0;
}

/* The throwaway child: unshare a user namespace, report, wait for the
 * parent to close `hold`, exit. Only async-signal-safe calls. */
static _Noreturn void holder(int ready, int hold)
{
    char c = 0;

    if (unshare(CLONE_NEWUSER) < 0)
        _exit(1);
    if (write(ready, &c, 1) != 1)
        _exit(1);
    (void)!read(hold, &c, 1);
    _exit(0);
}

/* A user namespace with `maps` (uid_map/gid_map written by us, root on the
 * host), returned as an O_RDONLY fd of /proc/CHILD/ns/user. */
static int userns_fd(const oci_linux *maps, berth_error_t *err)
{
    _cleanup_close_ int ready_r = -1, ready_w = -1, hold_r = -1, hold_w = -1;
    int p[2], fd = -1, r = 0, status;
    char path[64], c;
    pid_t pid;

    if (pipe2(p, O_CLOEXEC) < 0)
        return berth_error_errno(err, "idmap: pipe");
    ready_r = p[0], ready_w = p[1];
    if (pipe2(p, O_CLOEXEC) < 0)
        return berth_error_errno(err, "idmap: pipe");
    hold_r = p[0], hold_w = p[1];
    pid = fork();
    if (pid < 0)
        return berth_error_errno(err, "idmap: fork");
    if (pid == 0) {
        /* Our copy of hold_w would keep the read below from seeing EOF. */
        close(hold_w);
        close(ready_r);
        holder(ready_w, hold_r);
    }
    ready_w = safe_close(ready_w);
    hold_r = safe_close(hold_r);
    if (read(ready_r, &c, 1) != 1)
        r = berth_error_make(err, EPERM, "idmap: the helper could not create a user namespace");
    if (r == 0)
        r = berth_userns_write_maps(pid, maps, err);
    if (r == 0) {
        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            r = berth_error_errno(err, "idmap: open `%s`", path);
    }
    hold_w = safe_close(hold_w); /* the helper exits; the fd keeps the namespace */
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return r < 0 ? r : fd;
}

static int bind_source(const oci_mount *m, const char *bundle, char **ret, berth_error_t *err)
{
    if (!m->source || !*m->source)
        return berth_error_make(err, EINVAL, "bind mount without a source");
    if (m->source[0] == '/' || !bundle)
        *ret = strdup(m->source);
    else if (asprintf(ret, "%s/%s", bundle, m->source) < 0)
        *ret = NULL;
    return *ret ? 0 : berth_error_make(err, ENOMEM, "source");
}

/* One detached tree: a clone of the source (with its submounts for rbind),
 * idmapped at the top mount, or throughout for ridmap. */
static int make_tree(const oci_config *cfg, const oci_mount *m, const char *bundle,
                     struct idmap_req q, const char *what, berth_error_t *err)
{
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (q.rbind ? AT_RECURSIVE : 0);
    _cleanup_close_ int ns = -1, tree = -1;
    _cleanup_free_ char *source = NULL;
    oci_linux maps = {0};
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP};
    int r;

    r = pick_maps(cfg, m, what, &maps, err);
    if (r < 0)
        return r;
    r = bind_source(m, bundle, &source, err);
    if (r < 0)
        return berth_error_wrap(err, "%s", what);
    ns = userns_fd(&maps, err);
    if (ns < 0)
        return berth_error_wrap(err, "%s", what);
    tree = open_tree(AT_FDCWD, source, flags);
    if (tree < 0)
        return berth_error_errno(err, "%s: open_tree `%s`", what, source);
    attr.userns_fd = (uint64_t)ns;
    if (mount_setattr(tree, "", AT_EMPTY_PATH | (q.recursive ? AT_RECURSIVE : 0), &attr,
                      sizeof(attr)) < 0)
        return berth_error_errno(err, "%s: idmap `%s` (mount_setattr MOUNT_ATTR_IDMAP)", what,
                                 source);
    return TAKE_FD(tree);
}

int berth_idmap_prepare(const oci_config *cfg, const char *bundle, struct berth_idmap_trees *ret,
                        berth_error_t *err)
{
    struct berth_idmap_trees t = {0};
    char what[32];

    *ret = t;
    for (size_t i = 0; i < cfg->mounts_len; i++) {
        struct idmap_req q = idmap_request(&cfg->mounts[i]);
        int fd;

        if (!q.wanted)
            continue;
        if (!t.fds) {
            t.fds = malloc(cfg->mounts_len * sizeof(*t.fds));
            if (!t.fds)
                return berth_error_make(err, ENOMEM, "idmap");
            t.len = cfg->mounts_len;
            for (size_t k = 0; k < t.len; k++)
                t.fds[k] = -1;
        }
        snprintf(what, sizeof(what), "mounts[%zu]", i);
        fd = make_tree(cfg, &cfg->mounts[i], bundle, q, what, err);
        if (fd < 0) {
            berth_idmap_trees_free(&t);
            return fd;
        }
        t.fds[i] = fd;
    }
    *ret = t;
    return 0;
}

void berth_idmap_trees_free(struct berth_idmap_trees *t)
{
    for (size_t i = 0; t->fds && i < t->len; i++)
        safe_close(t->fds[i]);
    free(t->fds);
    t->fds = NULL;
    t->len = 0;
}

int berth_idmap_tree(const struct berth_idmap_trees *t, size_t index)
{
    return t && t->fds && index < t->len ? t->fds[index] : -1;
}
