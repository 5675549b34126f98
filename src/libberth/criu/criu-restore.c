/* criu-restore.c: `berth restore` (runc's flags; criu restore).
 *
 * Like create, restore makes a new container from a bundle: the id and the
 * bundle are validated, the state dir (with the config.json copy) and the
 * cgroup (resources applied) are made first; but the processes come from
 * criu's images instead of a clone:
 *
 *   - criu runs in its own mount namespace (a slave of ours, so nothing
 *     leaks to the host) where the bundle's rootfs is bind-mounted on
 *     <state>/criu-root, its --root: criu rebuilds the container's mount
 *     namespace on it;
 *   - mounts recorded as external at dump time are bound from the host
 *     (config.json bind mounts from the NEW bundle's sources);
 *   - criu runs inside the container's cgroup and restores the tasks there
 *     (--cgroup-root; --manage-cgroups=ignore keeps them where criu is).
 *     With the systemd driver the unit needs a process to hold before
 *     anything else can join it: criu's own process, started with the unit
 *     while it waits, as runc does (criuApplyCgroups);
 *   - the init's stdio (pipes, and files from outside the container such
 *     as the caller's /dev/null, dumped as external files) is replaced by
 *     ours (--inherit-fd), so the caller (conmon, containerd) gets the
 *     output as after create;
 *   - the namespaces (pid, mount, uts, ipc, net, cgroup) are criu's.
 *
 * On any failure everything made is removed again. Not supported:
 * process.terminal (the pty is not handed to --console-socket), namespaces
 * joined by path, signal forwarding in the foreground.
 */
#include "criu-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "util/cleanup.h"
#include "util/path-util.h"
#include "util/pid-file.h"
#include "container/container.h"
#include "hooks/hooks.h"
#include "oci.h"
#include "process/process.h"
#include "rootfs/rootfs.h"
#include "state/state.h"
#include "spec/spec.h"

struct restore_job {
    const struct berth_context *ctx;
    const struct berth_criu_opts *o;
    const char *id;
    oci_config *config;
    char *bundle, *rootfs, *img, *work, *log, *pidfile, *criu_root;
    struct berth_cgroup *cgroup;
    struct berth_argv argv;
    size_t cgroup_arg; /* index of the --cgroup-root slot */
    int dirfd, lockfd;
    int stdio[3]; /* dups of our stdio for --inherit-fd */
    int go[2];    /* systemd driver: criu's child waits here for its unit */
    pid_t pid;
    bool state_dir_made, done;
};

static void restore_job_release(struct restore_job *j)
{
    berth_error_t ignored = NULL;

    if (!j->done) {
        if (j->pid > 0)
            berth_process_kill_reap(j->pid);
        if (j->cgroup && berth_cgroup_destroy(j->cgroup, &ignored) < 0)
            berth_warn(j->ctx, "remove the cgroup of %s: %s", j->id, ignored->msg);
        berth_error_release(&ignored);
        if (j->state_dir_made)
            (void)berth_state_dir_remove(j->ctx->root, j->id, &ignored);
        berth_error_release(&ignored);
    }
    if (j->cgroup)
        berth_cgroup_free(j->cgroup);
    for (int i = 0; i < 3; i++)
        safe_close(j->stdio[i]);
    safe_close(j->go[0]);
    safe_close(j->go[1]);
    safe_close(j->lockfd);
    safe_close(j->dirfd);
    oci_config_free(j->config);
    free(j->bundle);
    free(j->rootfs);
    free(j->img);
    free(j->work);
    free(j->log);
    free(j->pidfile);
    free(j->criu_root);
    berth_argv_free(&j->argv);
}

static int load_bundle(struct restore_job *j, berth_error_t *err)
{
    struct berth_validate_opts opts;
    struct oci_diags diags = {0};
    const char *b = j->o->create->bundle ? j->o->create->bundle : ".";
    int r;

    j->bundle = realpath(b, NULL);
    if (!j->bundle)
        return berth_error_errno(err, "bundle `%s`", b);
    opts = berth_container_validate_opts(j->ctx, j->bundle);
    r = berth_validate_bundle_opts(&opts, &diags, &j->config, err);
    for (size_t i = 0; i < diags.len; i++)
        if (diags.items[i].level == OCI_DIAG_WARNING)
            berth_warn(j->ctx, "%s: %s", diags.items[i].pointer, diags.items[i].message);
    oci_diags_clear(&diags);
    if (r < 0)
        return r;
    if (j->config->process && j->config->process->terminal)
        return berth_error_make(err, ENOTSUP,
                                "restore of a container with process.terminal is not supported");
    /* The restored tree would run outside the resctrl group the config
     * asks for: refused rather than dropped. */
    if (j->config->linux && j->config->linux->intelRdt)
        return berth_error_make(err, ENOTSUP,
                                "restore of a container with linux.intelRdt is not supported");
    return berth_rootfs_resolve_path(j->config, j->bundle, &j->rootfs, err);
}

static int paths(struct restore_job *j, berth_error_t *err)
{
    const struct berth_criu_opts *o = j->o;

    j->img = berth_path_absolute(o->image_path ? o->image_path : "checkpoint");
    j->work = o->work_path ? berth_path_absolute(o->work_path) : (j->img ? strdup(j->img) : NULL);
    if (!j->img || !j->work || asprintf(&j->log, "%s/restore.log", j->work) < 0 ||
        asprintf(&j->pidfile, "%s/restore.pid", j->work) < 0 ||
        asprintf(&j->criu_root, "%s/%s/criu-root", j->ctx->root, j->id) < 0)
        return berth_error_make(err, ENOMEM, "restore");
    if (access(j->img, R_OK | X_OK) < 0)
        return berth_error_errno(err, "image path `%s`", j->img);
    (void)unlink(j->pidfile);
    (void)unlink(j->log);
    return berth_criu_mkdirs(j->work, err);
}

static int make_state_and_cgroup(struct restore_job *j, berth_error_t *err)
{
    const oci_linux *lx = j->config->linux;
    int r;

    r = berth_state_dir_claim(j->ctx->root, j->id, j->config, &j->dirfd, &j->lockfd, err);
    j->state_dir_made = j->dirfd >= 0;
    if (r < 0)
        return r;
    if (mkdirat(j->dirfd, "criu-root", 0700) < 0)
        return berth_error_errno(err, "mkdir `%s`", j->criu_root);
    /* cgroupfs: the directories and the resources now, and criu's child
     * joins them. systemd: the unit needs a process to hold, so it starts
     * with criu's child (cgroup_spawned), which waits for it on go. */
    if (j->ctx->systemd_cgroup) {
        if (pipe2(j->go, O_CLOEXEC) < 0)
            return berth_error_errno(err, "pipe");
        r = berth_cgroup_plan(j->ctx, lx ? lx->cgroupsPath : NULL, j->id, &j->cgroup, err);
    } else {
        r = berth_cgroup_create(j->ctx, lx ? lx->cgroupsPath : NULL, j->id, &j->cgroup, err);
        if (r >= 0)
            r = berth_cgroup_apply(j->cgroup, lx ? lx->resources : NULL, true, err);
    }
    return r < 0 ? berth_error_wrap(err, "cgroup") : 0;
}

/* In the parent, criu's child forked and waiting: with the systemd driver
 * the unit starts holding it (the resources as properties, systemd's job
 * waited for), then the files; then the child goes on. */
static int cgroup_spawned(void *data, pid_t pid, berth_error_t *err)
{
    struct restore_job *j = data;
    const oci_resources *res = j->config->linux ? j->config->linux->resources : NULL;
    int r;

    if (j->go[1] < 0)
        return 0;
    r = berth_cgroup_after_clone(j->cgroup, j->id, pid, res, err);
    if (r >= 0)
        r = berth_cgroup_apply(j->cgroup, res, true, err);
    if (r < 0)
        return berth_error_wrap(err, "cgroup");
    if (write(j->go[1], "g", 1) != 1)
        return berth_error_errno(err, "restore: release criu");
    j->go[1] = safe_close(j->go[1]);
    return 0;
}

/* A config.json bind mount of the new bundle overrides the dump's source. */
static char *bundle_source(const struct restore_job *j, const char *dest)
{
    char *ret = NULL;

    for (size_t i = 0; i < j->config->mounts_len; i++) {
        const oci_mount *m = &j->config->mounts[i];
        if (!m->source || strcmp(m->destination, dest) != 0 || !m->type ||
            strcmp(m->type, "bind") != 0)
            continue;
        if (m->source[0] == '/')
            return strdup(m->source);
        return asprintf(&ret, "%s/%s", j->bundle, m->source) < 0 ? NULL : ret;
    }
    return NULL;
}

/* The new container's cgroup2 directory, as its state records it. */
static char *cgroup2_dir(const struct restore_job *j)
{
    _cleanup_(berth_cgroup_record_freep) struct berth_cgroup_record *rec = NULL;
    berth_error_t err = NULL;

    if (berth_cgroup_record(j->cgroup, &rec, &err) < 0) {
        berth_error_release(&err);
        return NULL;
    }
    for (size_t i = 0; i < rec->ndirs; i++)
        if (rec->dirs[i].v2)
            return strdup(rec->dirs[i].path);
    return NULL;
}

/* Each external mount recorded at checkpoint gets its source again: the
 * bundle's bind source as the config now says, the new container's
 * cgroup2 directory, or the recorded host path. */
static int external_args(struct restore_job *j, berth_error_t *err)
{
    struct berth_criu_external *ext = NULL;
    size_t n = 0;
    int r = berth_criu_doc_read(j->img, BERTH_CRIU_EXTERNALS, (void **)&ext, &n, err);

    for (size_t i = 0; r == 0 && i < n; i++) {
        const struct berth_criu_external *e = &ext[i];
        _cleanup_free_ char *src = strcmp(e->source, BERTH_CRIU_CGROUP2) == 0
                                       ? cgroup2_dir(j)
                                       : bundle_source(j, e->destination);

        berth_argv_add(&j->argv, "--external");
        berth_argv_add(&j->argv, "mnt[%s]:%s", e->destination, src ? src : e->source);
    }
    berth_criu_doc_free(BERTH_CRIU_EXTERNALS, ext, n);
    return r;
}

/* The init's stdio pipes and outside files become ours (runc does the
 * same with the pipes the engine passed to `restore`). */
static int stdio_args(struct restore_job *j, berth_error_t *err)
{
    char **fds = NULL;
    size_t n = 0;
    int r = berth_criu_doc_read(j->img, BERTH_CRIU_DESCRIPTORS, (void **)&fds, &n, err);

    for (size_t fd = 0; r == 0 && fd < 3 && fd < n; fd++) {
        if (strncmp(fds[fd], "pipe:", 5) != 0 && strncmp(fds[fd], "file[", 5) != 0)
            continue;
        j->stdio[fd] = fcntl((int)fd, F_DUPFD_CLOEXEC, 10);
        if (j->stdio[fd] < 0) {
            r = berth_error_errno(err, "dup fd %zu", fd);
            break;
        }
        berth_argv_add(&j->argv, "--inherit-fd");
        berth_argv_add(&j->argv, "fd[%d]:%s", j->stdio[fd], fds[fd]);
    }
    berth_criu_doc_free(BERTH_CRIU_DESCRIPTORS, fds, n);
    return r;
}

static int restore_args(struct restore_job *j, berth_error_t *err)
{
    const struct berth_criu_opts *o = j->o;
    struct berth_argv *a = &j->argv;
    int r;

    berth_argv_add(a, "%s", berth_criu_bin(o->criu));
    berth_argv_add(a, "restore");
    berth_argv_add(a, "--images-dir=%s", j->img);
    berth_argv_add(a, "--work-dir=%s", j->work);
    berth_argv_add(a, "--log-file=restore.log");
    berth_argv_add(a, "-v4");
    berth_argv_add(a, "--root=%s", j->criu_root);
    berth_argv_add(a, "--restore-detached");
    berth_argv_add(a, "--pidfile=%s", j->pidfile);
    berth_criu_common_args(a, o);
    j->cgroup_arg = a->n;
    berth_argv_add(a, "--cgroup-root=/"); /* set in the child, once in its cgroup */
    if (o->tcp_close)
        berth_argv_add(a, "--tcp-close");
    if (o->lsm_profile)
        berth_argv_add(a, "--lsm-profile=%s", o->lsm_profile);
    if (o->lsm_mount_context)
        berth_argv_add(a, "--lsm-mount-context=%s", o->lsm_mount_context);
    if (o->empty_ns)
        berth_argv_add(a, "--empty-ns=%s",
                       strcmp(o->empty_ns, "network") == 0 ? "net" : o->empty_ns);
    if ((r = external_args(j, err)) < 0 || (r = stdio_args(j, err)) < 0)
        return r;
    if (a->failed)
        return berth_error_make(err, ENOMEM, "restore");
    return 0;
}

static void child_fail(const char *what)
{
    dprintf(2, "Error (berth): %s: %s\n", what, strerror(errno));
    _exit(125);
}

/* In the forked child, before exec criu: into the cgroup, a private mount
 * namespace, the rootfs on criu-root, our stdio dups inheritable. */
static void pre_exec(void *data)
{
    struct restore_job *j = data;
    berth_error_t e = NULL;
    char line[PATH_MAX + 64] = "";
    FILE *f;

    /* the systemd driver's unit first (cgroup_spawned); EOF: the parent
     * gave up, nothing to restore */
    if (j->go[0] >= 0) {
        char c;
        ssize_t n;

        close(j->go[1]);
        while ((n = read(j->go[0], &c, 1)) < 0 && errno == EINTR)
            ;
        if (n != 1)
            _exit(125);
    }
    if (berth_cgroup_enter(j->cgroup, getpid(), &e) < 0) {
        dprintf(2, "Error (berth): enter the cgroup: %s\n", e->msg);
        _exit(125);
    }
    /* criu puts the tasks at --cgroup-root: the cgroup we are in now */
    f = fopen("/proc/self/cgroup", "re");
    while (f && fgets(line, sizeof(line), f) && strncmp(line, "0::", 3) != 0)
        ;
    if (f && strncmp(line, "0::", 3) == 0 && j->argv.v[j->cgroup_arg]) {
        line[strcspn(line, "\n")] = '\0';
        free(j->argv.v[j->cgroup_arg]);
        if (asprintf(&j->argv.v[j->cgroup_arg], "--cgroup-root=%s", line + 3) < 0)
            child_fail("cgroup root");
    }
    if (unshare(CLONE_NEWNS) < 0)
        child_fail("unshare(CLONE_NEWNS)");
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
        child_fail("make / a slave");
    if (mount(j->rootfs, j->criu_root, NULL, MS_BIND | MS_REC, NULL) < 0)
        child_fail("bind the rootfs on criu-root");
    for (int i = 0; i < 3; i++)
        if (j->stdio[i] >= 0 && fcntl(j->stdio[i], F_SETFD, 0) < 0)
            child_fail("inherit fd");
}

static int read_pid(struct restore_job *j, berth_error_t *err)
{
    _cleanup_fclose_ FILE *f = fopen(j->pidfile, "re");
    int pid = 0;

    if (!f || fscanf(f, "%d", &pid) != 1 || pid <= 0)
        return berth_error_make(err, EIO, "restore: no pid in `%s`", j->pidfile);
    j->pid = pid;
    return 0;
}

static int write_state(struct restore_job *j, berth_error_t *err)
{
    const oci_string_map *a = &j->config->annotations;
    _cleanup_free_ struct berth_annotation *ann = calloc(a->len + 1, sizeof(*ann));
    _cleanup_(berth_cgroup_record_freep) struct berth_cgroup_record *cgroup = NULL;
    char created[64];
    time_t now = time(NULL);
    struct tm tm;
    struct berth_container_state s = {
        .id = (char *)j->id,
        .bundle = j->bundle,
        .rootfs = j->rootfs,
        .pid = j->pid,
        .start_time = berth_proc_start_time(j->pid),
        .created = created,
        .owner = (char *)"root",
        .cgroup_path = (char *)berth_cgroup_path(j->cgroup),
        .annotations = ann,
        .annotations_len = a->len,
    };
    int r;

    gmtime_r(&now, &tm);
    strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%S.000000000Z", &tm);
    if (!ann)
        return berth_error_make(err, ENOMEM, "state of container %s", j->id);
    if ((r = berth_cgroup_record(j->cgroup, &cgroup, err)) < 0)
        return r;
    s.cgroup = cgroup;
    for (size_t i = 0; i < a->len; i++)
        ann[i] = (struct berth_annotation){a->keys[i], a->values[i]};
    return berth_state_write(j->dirfd, &s, err);
}

static int write_pid_file(const char *path, pid_t pid, berth_error_t *err)
{
    _cleanup_free_ char *abs = berth_path_absolute(path);

    if (!abs)
        return berth_error_make(err, ENOMEM, "pid file");
    return berth_pid_file_write(abs, pid, err);
}

/* The restored init was criu's child; criu exited, so (as subreaper) it is
 * ours now. Orphans are reaped along the way. */
static int wait_foreground(pid_t pid, int *ret_status, berth_error_t *err)
{
    int status;

    for (;;) {
        pid_t w = waitpid(-1, &status, 0);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return berth_error_errno(err, "wait for the restored container");
        if (w == pid)
            break;
    }
    *ret_status = berth_process_exit_code(status);
    return 0;
}

static int restore_container(const struct berth_context *ctx, const struct berth_criu_opts *o,
                             pid_t *ret_pid, berth_error_t *err)
{
    _cleanup_(restore_job_release) struct restore_job j = {.ctx = ctx,
                                                           .o = o,
                                                           .id = o->create->id,
                                                           .dirfd = -1,
                                                           .lockfd = -1,
                                                           .stdio = {-1, -1, -1},
                                                           .go = {-1, -1}};
    int r;

    if ((r = berth_id_validate(j.id, err)) < 0 || (r = load_bundle(&j, err)) < 0 ||
        (r = paths(&j, err)) < 0 || (r = make_state_and_cgroup(&j, err)) < 0 ||
        (r = restore_args(&j, err)) < 0)
        return r;
    r = berth_criu_action("restore", j.argv.v, j.log,
                          &(struct berth_criu_hooks){pre_exec, cgroup_spawned, &j}, err);
    if (r < 0)
        return r;
    if ((r = read_pid(&j, err)) < 0)
        return r;
    /* runc runs these from criu's setup-namespaces notification; with the
     * criu CLI they run once the tree is restored (documented). */
    r = berth_hooks_run_create_runtime(j.config, j.id, j.pid, j.bundle, err);
    if (r < 0 || (r = write_state(&j, err)) < 0)
        return r;
    if (o->create->pid_file && (r = write_pid_file(o->create->pid_file, j.pid, err)) < 0)
        return r;
    r = berth_hooks_run_kind(j.config->hooks, BERTH_HOOK_POSTSTART, j.id, j.pid, j.bundle,
                             &j.config->annotations, err);
    if (r < 0)
        return r;
    j.done = true;
    *ret_pid = j.pid;
    return 0;
}

int berth_container_restore(const struct berth_context *ctx, const struct berth_criu_opts *o,
                            int *ret_status, berth_error_t *err)
{
    const struct berth_create_opts *c = o->create;
    pid_t pid = 0;
    int r;

    *ret_status = 0;
    r = berth_criu_check(o->criu, err);
    if (r < 0)
        return berth_error_wrap(err, "restore");
    /* foreground: the restored init is reparented to us when criu exits */
    if (!c->detach && !c->no_subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        return berth_error_errno(err, "prctl(PR_SET_CHILD_SUBREAPER)");
    r = restore_container(ctx, o, &pid, err);
    if (r < 0)
        return berth_error_wrap(err, "restore");
    if (c->detach)
        return 0;
    r = wait_foreground(pid, ret_status, err);
    if (r < 0)
        return r;
    return berth_container_delete(ctx, c->id, false, err);
}
