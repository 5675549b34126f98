/* criu-dump.c: `berth checkpoint` (runc's flags; criu dump or pre-dump).
 *
 * The container must be running. Before criu runs we record what restore
 * needs and criu does not keep: the init's stdio (pipes are re-bound on
 * restore) and the mounts criu cannot dump itself (binds from outside the
 * container: config.json bind mounts, masked files, bound devices), which
 * criu gets as external mounts. A failed dump leaves the container as it
 * was (criu resumes the tasks); a full dump without --leave-running ends
 * the container, which is then deleted as runc does.
 */
#include "criu-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/path-util.h"
#include "container/container.h"
#include "hooks/hooks.h"
#include "state/state.h"

static bool is_bind(const oci_mount *m)
{
    if (m->type && strcmp(m->type, "bind") == 0)
        return true;
    for (size_t i = 0; i < m->options_len; i++)
        if (strcmp(m->options[i], "bind") == 0 || strcmp(m->options[i], "rbind") == 0)
            return true;
    return false;
}

/* The host path that provides a mount criu must treat as external. */
static char *host_source(const oci_config *c, const char *bundle, const char *mnt, const char *root,
                         const char *fstype)
{
    char *ret = NULL;

    for (size_t i = 0; i < c->mounts_len; i++) {
        const oci_mount *m = &c->mounts[i];
        if (!is_bind(m) || !m->source || strcmp(m->destination, mnt) != 0)
            continue;
        if (m->source[0] == '/')
            return strdup(m->source);
        return asprintf(&ret, "%s/%s", bundle, m->source) < 0 ? NULL : ret;
    }
    /* cgroup2 without a cgroup namespace: the container's own cgroup dir,
     * which restore replaces by the new container's (runc does the same) */
    if (strcmp(fstype, "cgroup2") == 0)
        return strdup(BERTH_CRIU_CGROUP2);
    /* masked files and bound devices come from the host's devtmpfs */
    if (strcmp(fstype, "devtmpfs") == 0)
        return asprintf(&ret, "/dev%s", root) < 0 ? NULL : ret;
    return strdup(mnt);
}

/* Unescapes mountinfo's octal escapes (\040) in place. */
static void unescape(char *s)
{
    char *w = s;

    for (; *s; s++, w++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] && s[3]) {
            *w = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
            s += 3;
        } else {
            *w = *s;
        }
    }
    *w = '\0';
}

struct mnt {
    int id;
    char root[PATH_MAX], path[PATH_MAX], fstype[64], dev[32];
};

/* Whether another mount of the container shows a directory of the same
 * filesystem that contains m's root: then m is a bind criu resolves
 * inside the container (masked paths bound from the container's /dev,
 * read-only binds of /proc/sys, ...). */
static bool bind_of_inner(const struct mnt *all, size_t n, const struct mnt *m)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(all[i].root);
        if (&all[i] == m || strcmp(all[i].dev, m->dev) != 0 || strcmp(all[i].path, "/") == 0)
            continue;
        if (strcmp(all[i].root, "/") == 0 ||
            (strncmp(m->root, all[i].root, len) == 0 && (m->root[len] == '/' || !m->root[len])))
            return true;
    }
    return false;
}

/* A mount is external when criu cannot rebuild it from the container
 * alone: a config.json bind mount, or a mount of a part of a filesystem
 * (root not "/") no other mount of the container contains (a bind from the
 * host, a cgroup2 mount without a cgroup namespace). The container's root
 * mount is not: criu restores it from --root. */
static bool external_mount(const oci_config *c, const struct mnt *all, size_t n,
                           const struct mnt *m)
{
    if (strcmp(m->path, "/") == 0)
        return false;
    for (size_t i = 0; i < c->mounts_len; i++)
        if (is_bind(&c->mounts[i]) && strcmp(c->mounts[i].destination, m->path) == 0)
            return true;
    return strcmp(m->root, "/") != 0 && !bind_of_inner(all, n, m);
}

static int read_mounts(pid_t pid, struct mnt **ret, size_t *ret_n, berth_error_t *err)
{
    _cleanup_free_ char *mi = NULL, *line = NULL;
    _cleanup_fclose_ FILE *f = NULL;
    struct mnt *all = NULL;
    size_t cap = 0, n = 0;

    if (asprintf(&mi, "/proc/%d/mountinfo", (int)pid) < 0)
        return berth_error_make(err, ENOMEM, "checkpoint");
    f = fopen(mi, "re");
    if (!f)
        return berth_error_errno(err, "open `%s`", mi);
    while (getline(&line, &cap, f) > 0) {
        const char *dash = strstr(line, " - ");
        struct mnt *grown = realloc(all, (n + 1) * sizeof(*all)), *m;

        if (!grown) {
            free(all);
            return berth_error_make(err, ENOMEM, "checkpoint");
        }
        all = grown;
        m = &all[n];
        if (!dash ||
            sscanf(line, "%d %*s %31s %4095s %4095s", &m->id, m->dev, m->root, m->path) != 4 ||
            sscanf(dash + 3, "%63s", m->fstype) != 1)
            continue;
        unescape(m->root);
        unescape(m->path);
        n++;
    }
    *ret = all;
    *ret_n = n;
    return 0;
}

static int save_stdio(pid_t pid, const struct mnt *all, size_t n, const char *img,
                      struct berth_pb *b, berth_error_t *err);

/* Records the external mounts (berth-external.json) and asks criu to
 * take each as external (mnt[M]:M). */
static int plan_externals(pid_t pid, const oci_config *c, const char *bundle, const char *img,
                          struct berth_pb *b, berth_error_t *err)
{
    _cleanup_free_ struct mnt *all = NULL;
    struct berth_criu_external *ext;
    size_t n = 0, next = 0;
    int r = read_mounts(pid, &all, &n, err);

    if (r < 0 || (r = save_stdio(pid, all, n, img, b, err)) < 0)
        return r;
    ext = calloc(n ? n : 1, sizeof(*ext));
    if (!ext)
        return berth_error_make(err, ENOMEM, "checkpoint");
    for (size_t i = 0; i < n; i++) {
        struct berth_criu_external *e;

        if (!external_mount(c, all, n, &all[i]))
            continue;
        e = &ext[next++];
        e->destination = strdup(all[i].path);
        e->source = host_source(c, bundle, all[i].path, all[i].root, all[i].fstype);
        if (!e->destination || !e->source) {
            berth_criu_doc_free(BERTH_CRIU_EXTERNALS, ext, next);
            return berth_error_make(err, ENOMEM, "checkpoint");
        }
        berth_pb_stringf(b, CRIU_OPT_EXTERNAL, "mnt[%s]:%s", all[i].path, all[i].path);
    }
    r = berth_criu_doc_write(img, BERTH_CRIU_EXTERNALS, ext, next, err);
    berth_criu_doc_free(BERTH_CRIU_EXTERNALS, ext, next);
    return r;
}

/* The mount id of an fd of pid (fdinfo "mnt_id:"), -1 when unknown. */
static int fd_mnt_id(pid_t pid, int fd)
{
    char path[64], line[256];
    _cleanup_fclose_ FILE *f = NULL;
    int id = -1;

    snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
    f = fopen(path, "re");
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "mnt_id: %d", &id) == 1)
            break;
    return id;
}

/* What the init's fds 0-2 were: "pipe:[123]" is kept as is; a file from
 * outside the container's mounts (the caller's /dev/null, a fifo) cannot
 * be dumped by criu, so it is dumped as external "file[MNT:INODE]"; both
 * are bound to restore's own stdio (criu's inherit_fd). A pty slave is
 * kept by its path: criu restores it with a new master (orphan_pts_master). */
static int save_stdio(pid_t pid, const struct mnt *all, size_t n, const char *img,
                      struct berth_pb *b, berth_error_t *err)
{
    char targets[3][PATH_MAX];
    char *fds[3];

    for (int fd = 0; fd < 3; fd++) {
        char link[64], *target = targets[fd];
        int mnt = fd_mnt_id(pid, fd);
        bool inside = false;
        struct stat st;
        ssize_t len;

        snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, fd);
        len = readlink(link, target, PATH_MAX - 1);
        target[len > 0 ? len : 0] = '\0';
        for (size_t i = 0; i < n; i++)
            inside = inside || all[i].id == mnt;
        if (target[0] == '/' && !inside && stat(link, &st) == 0) {
            snprintf(target, PATH_MAX, "file[%x:%lx]", (unsigned)mnt, (unsigned long)st.st_ino);
            berth_pb_string(b, CRIU_OPT_EXTERNAL, target);
        }
        fds[fd] = target;
    }
    return berth_criu_doc_write(img, BERTH_CRIU_DESCRIPTORS, fds, 3, err);
}

/* The criu_opts of a dump or pre-dump of pid. */
static int dump_opts(struct berth_pb *b, const struct berth_criu_opts *o, const oci_config *config,
                     pid_t pid, int img_fd, int work_fd, berth_error_t *err)
{
    int r = berth_criu_common_opts(b, o, config, "dump.log", err);

    if (r < 0)
        return r;
    berth_pb_int(b, CRIU_OPT_IMAGES_DIR_FD, img_fd);
    berth_pb_int(b, CRIU_OPT_WORK_DIR_FD, work_fd);
    berth_pb_int(b, CRIU_OPT_PID, pid);
    if (o->leave_running && !o->pre_dump)
        berth_pb_int(b, CRIU_OPT_LEAVE_RUNNING, 1);
    if (o->pre_dump || o->parent_path)
        berth_pb_int(b, CRIU_OPT_TRACK_MEM, 1);
    if (o->parent_path) /* relative to the images directory, checked */
        berth_pb_string(b, CRIU_OPT_PARENT_IMG, o->parent_path);
    if (o->tcp_skip_in_flight)
        berth_pb_int(b, CRIU_OPT_TCP_SKIP_IN_FLIGHT, 1);
    if (o->page_server) {
        _cleanup_(berth_pb_free) struct berth_pb ps = {0};
        struct berth_criu_page_server where;

        if ((r = berth_criu_page_server(o->page_server, &where, err)) < 0)
            return r;
        berth_pb_stringf(&ps, 1, "%.*s", (int)where.addr_len, where.addr);
        berth_pb_int(&ps, 2, where.port);
        berth_pb_message(b, CRIU_OPT_PS, &ps);
    }
    return 0;
}

struct dump_job {
    int dirfd, lockfd;
    struct berth_container_state *state;
    oci_config *config;
    char *img, *work, *log;
    int img_fd, work_fd;
    struct berth_pb opts;
};

static void dump_job_release(struct dump_job *j)
{
    safe_close(j->lockfd);
    safe_close(j->dirfd);
    berth_container_state_free(j->state);
    oci_config_free(j->config);
    free(j->img);
    free(j->work);
    free(j->log);
    safe_close(j->img_fd);
    safe_close(j->work_fd);
    berth_pb_free(&j->opts);
}

static int load_running(const struct berth_context *ctx, const char *id, struct dump_job *j,
                        berth_error_t *err)
{
    int r;

    j->dirfd = berth_state_dir_open(ctx->root, id, err);
    if (j->dirfd < 0)
        return j->dirfd;
    j->lockfd = berth_state_lock(j->dirfd, err);
    if (j->lockfd < 0)
        return j->lockfd;
    if ((r = berth_state_read(j->dirfd, &j->state, err)) < 0)
        return r == -ENOENT ? (berth_error_release(err), berth_state_error_not_exist(err, id)) : r;
    if (berth_state_status(j->dirfd, j->state) != BERTH_STATUS_RUNNING)
        return berth_error_make(err, 0, "container %s is not running (status %s)", id,
                                berth_status_name(berth_state_status(j->dirfd, j->state)));
    return berth_hooks_load_config(j->dirfd, &j->config, err);
}

/* Appends path component by component to buf (an absolute, clean path),
 * resolving "." and ".." lexically, as Go's filepath.Join: the images
 * directory need not exist yet for "../pre-dump" to name its sibling. */
static void join_clean(char *buf, size_t size, const char *path)
{
    _cleanup_free_ char *copy = strdup(path);
    char *save = NULL;

    for (char *c = copy ? strtok_r(copy, "/", &save) : NULL; c; c = strtok_r(NULL, "/", &save)) {
        size_t len = strlen(buf);

        if (strcmp(c, ".") == 0)
            continue;
        if (strcmp(c, "..") == 0) {
            char *slash = strrchr(buf, '/');
            if (slash)
                *(slash == buf ? slash + 1 : slash) = '\0';
            continue;
        }
        snprintf(buf + len, size - len, "%s%s", len > 1 ? "/" : "", c);
    }
}

/* --parent-path, as runc checks it: relative to the images directory (criu
 * takes it so), and an existing directory there. */
static int check_parent_path(const char *img, const char *parent, berth_error_t *err)
{
    char real[PATH_MAX];
    struct stat st;

    if (!parent)
        return 0;
    if (parent[0] == '/')
        return berth_error_make(err, 0, "--parent-path must be relative");
    snprintf(real, sizeof(real), "%s", img);
    join_clean(real, sizeof(real), parent);
    if (stat(real, &st) < 0)
        return berth_error_errno(err, "invalid --parent-path: stat %s", real);
    if (!S_ISDIR(st.st_mode))
        return berth_error_make(err, 0, "invalid --parent-path: %s: not a directory", real);
    return 0;
}

int berth_container_checkpoint(const struct berth_context *ctx, const char *id,
                               const struct berth_criu_opts *o, berth_error_t *err)
{
    _cleanup_(dump_job_release) struct dump_job j = {
        .dirfd = -1, .lockfd = -1, .img_fd = -1, .work_fd = -1};
    int r;

    /* runc's order: the container, then the options (a bad --parent-path
     * is an error on any host), then criu itself. */
    if ((r = load_running(ctx, id, &j, err)) < 0)
        return berth_error_wrap(err, "checkpoint");
    /* runc's default: ./checkpoint; the work dir defaults to the images */
    j.img = berth_path_absolute(o->image_path ? o->image_path : "checkpoint");
    if (j.img && ((r = check_parent_path(j.img, o->parent_path, err)) < 0 ||
                  (r = berth_criu_opts_check(o, err)) < 0))
        return berth_error_wrap(err, "checkpoint");
    if ((r = berth_criu_check(o->criu, err)) < 0)
        return berth_error_wrap(err, "checkpoint");
    j.work = o->work_path ? berth_path_absolute(o->work_path) : (j.img ? strdup(j.img) : NULL);
    if (!j.img || !j.work || asprintf(&j.log, "%s/dump.log", j.work) < 0)
        return berth_error_make(err, ENOMEM, "checkpoint");
    if ((r = berth_criu_mkdirs(j.img, err)) < 0 || (r = berth_criu_mkdirs(j.work, err)) < 0)
        return berth_error_wrap(err, "checkpoint");
    /* criu opens them again through /proc/<berth>/fd */
    j.img_fd = open(j.img, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (j.img_fd < 0)
        return berth_error_errno(err, "checkpoint: image path `%s`", j.img);
    j.work_fd = open(j.work, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (j.work_fd < 0)
        return berth_error_errno(err, "checkpoint: work path `%s`", j.work);
    if ((r = dump_opts(&j.opts, o, j.config, j.state->pid, j.img_fd, j.work_fd, err)) < 0 ||
        (r = plan_externals(j.state->pid, j.config, j.state->bundle, j.img, &j.opts, err)) < 0)
        return berth_error_wrap(err, "checkpoint");
    r = berth_criu_rpc(o->criu,
                       &(struct berth_criu_call){
                           .what = o->pre_dump ? "pre-dump" : "dump",
                           .type = o->pre_dump ? BERTH_CRIU_REQ_PRE_DUMP : BERTH_CRIU_REQ_DUMP,
                           .opts = &j.opts,
                           .log_path = j.log,
                           .status_fd = o->status_fd,
                       },
                       NULL, err);
    if (r < 0)
        return berth_error_wrap(err, "checkpoint");
    if (o->leave_running || o->pre_dump)
        return 0;
    /* criu ended the processes; the container goes as with runc. The
     * lock is ours until now: delete takes it again. */
    j.lockfd = safe_close(j.lockfd);
    return berth_container_delete(ctx, id, true, err);
}
