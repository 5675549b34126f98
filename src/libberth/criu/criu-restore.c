/* criu-restore.c: `berth restore` (runc's flags; criu restore).
 *
 * Like create, restore makes a new container from a bundle: the id and the
 * bundle are validated, the state dir (with the config.json copy) and the
 * cgroup (resources applied) are made first; but the processes come from
 * criu's images instead of a clone:
 *
 *   - criu (`criu swrk`, its RPC: criu-rpc.c) runs in its own mount
 *     namespace (a slave of ours, so nothing
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
 *     ours (inherit_fd), so the caller (conmon, containerd) gets the
 *     output as after create;
 *   - a terminal (process.terminal): criu restores the slave with a new
 *     master it passes us (orphan-pts-master), which goes to
 *     --console-socket as after create, or to our own tty in the
 *     foreground;
 *   - the namespaces (pid, mount, uts, ipc, net, cgroup) are criu's.
 *
 * On any failure everything made is removed again. Not supported:
 * namespaces joined by path, signal forwarding in the foreground.
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "util/cleanup.h"
#include "util/fd-pass.h"
#include "util/path-util.h"
#include "util/pid-file.h"
#include "container/container.h"
#include "hooks/hooks.h"
#include "oci.h"
#include "process/process.h"
#include "rootfs/rootfs.h"
#include "state/state.h"
#include "spec/spec.h"
#include "terminal/terminal.h"

struct restore_job {
    const struct berth_context *ctx;
    const struct berth_criu_opts *o;
    const char *id;
    oci_config *config;
    char *bundle, *rootfs, *img, *work, *log, *criu_root;
    struct berth_cgroup *cgroup;
    struct berth_pb opts;
    int dirfd, lockfd;
    int dirs[2];      /* criu's child sends the images and work dirs here */
    int dir_fds[2];   /* and they are kept open until criu is done */
    int stdio[3];     /* dups of our stdio for criu's inherit_fd */
    int go[2];        /* criu's child waits here for its cgroup */
    int console_sock; /* --console-socket, connected before anything is made */
    int master;       /* the restored pty's master, for a foreground restore */
    bool pty_restored, hooks_ran;
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
        /* before the state dir: what was made is recorded there */
        if (j->dirfd >= 0 && berth_resctrl_destroy(j->dirfd, &ignored) < 0)
            berth_warn(j->ctx, "remove the resctrl group of %s: %s", j->id, ignored->msg);
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
    safe_close(j->console_sock);
    safe_close(j->master);
    safe_close(j->dirs[0]);
    safe_close(j->dirs[1]);
    safe_close(j->dir_fds[0]);
    safe_close(j->dir_fds[1]);
    safe_close(j->lockfd);
    safe_close(j->dirfd);
    oci_config_free(j->config);
    free(j->bundle);
    free(j->rootfs);
    free(j->img);
    free(j->work);
    free(j->log);
    free(j->criu_root);
    berth_pb_free(&j->opts);
}

static bool terminal(const struct restore_job *j)
{
    return j->config->process && j->config->process->terminal;
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
    /* as create: the engine or a foreground restore holds the master */
    r = berth_terminal_check_socket(terminal(j), j->o->create->detach, j->o->create->console_socket,
                                    err);
    if (r < 0)
        return r;
    return berth_rootfs_resolve_path(j->config, j->bundle, &j->rootfs, err);
}

static int paths(struct restore_job *j, berth_error_t *err)
{
    const struct berth_criu_opts *o = j->o;
    int r;

    j->img = berth_path_absolute(o->image_path ? o->image_path : "checkpoint");
    j->work = o->work_path ? berth_path_absolute(o->work_path) : (j->img ? strdup(j->img) : NULL);
    if (!j->img || !j->work || asprintf(&j->log, "%s/restore.log", j->work) < 0 ||
        asprintf(&j->criu_root, "%s/%s/criu-root", j->ctx->root, j->id) < 0)
        return berth_error_make(err, ENOMEM, "restore");
    if (access(j->img, R_OK | X_OK) < 0)
        return berth_error_errno(err, "image path `%s`", j->img);
    (void)unlink(j->log);
    if ((r = berth_criu_mkdirs(j->work, err)) < 0)
        return r;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, j->dirs) < 0)
        return berth_error_errno(err, "socketpair");
    return 0;
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
    /* cgroupfs: the directories and the resources now. systemd: the unit
     * needs a process to hold, so it starts with criu's child. Either way
     * the child waits on go until it is in (cgroup_spawned). */
    if (pipe2(j->go, O_CLOEXEC) < 0)
        return berth_error_errno(err, "pipe");
    if (j->ctx->systemd_cgroup) {
        r = berth_cgroup_plan(j->ctx, lx ? lx->cgroupsPath : NULL, j->id, &j->cgroup, err);
        if (r >= 0)
            r = berth_cgroup_unit_annotations(j->cgroup, &j->config->annotations, err);
    } else {
        r = berth_cgroup_create(j->ctx, lx ? lx->cgroupsPath : NULL, j->id, &j->cgroup, err);
        if (r >= 0)
            r = berth_cgroup_apply(j->cgroup, lx ? lx->resources : NULL, true, err);
    }
    return r < 0 ? berth_error_wrap(err, "cgroup") : 0;
}

/* Where criu puts the tasks (cgroup_root.path): the cgroup2 path of
 * criu's child, now in the container's cgroup; "/" without one. */
static int cgroup_root(struct restore_job *j, pid_t pid, berth_error_t *err)
{
    _cleanup_(berth_pb_free) struct berth_pb root = {0};
    _cleanup_free_ char *line = NULL;
    _cleanup_fclose_ FILE *f = NULL;
    char path[64];
    size_t cap = 0;
    bool found = false;

    snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
    f = fopen(path, "re");
    if (!f)
        return berth_error_errno(err, "open `%s`", path);
    while (!found && getline(&line, &cap, f) > 0)
        found = strncmp(line, "0::", 3) == 0;
    if (found)
        line[strcspn(line, "\n")] = '\0';
    berth_pb_string(&root, 2, found ? line + 3 : "/");
    berth_pb_message(&j->opts, CRIU_OPT_CG_ROOT, &root);
    return 0;
}

/* The images and work directories as criu's child opened them in its
 * mount namespace: criu reaches them through /proc/<berth>/fd, and a dir
 * of ours (the host's namespace) as its cwd would have it fail to mount
 * its cgroup yard there (EINVAL). EOF: the child failed (its reason is in
 * its output). */
static int receive_dirs(struct restore_job *j, berth_error_t *err)
{
    int r;

    j->dirs[1] = safe_close(j->dirs[1]);
    r = berth_fds_recv(j->dirs[0], NULL, 0, j->dir_fds, 2, "criu's directories", err);
    if (r < 0)
        return r == -EPIPE ? (berth_error_release(err), 0) : r;
    berth_pb_int(&j->opts, CRIU_OPT_IMAGES_DIR_FD, j->dir_fds[0]);
    berth_pb_int(&j->opts, CRIU_OPT_WORK_DIR_FD, j->dir_fds[1]);
    return 0;
}

/* In the parent, criu's child forked and waiting on go: it goes into the
 * container's cgroup (with the systemd driver the unit starts holding it,
 * the resources as properties, systemd's job waited for, then the files)
 * and resctrl group, criu is told that cgroup, and the child goes on. */
static int cgroup_spawned(void *data, pid_t pid, berth_error_t *err)
{
    struct restore_job *j = data;
    const oci_resources *res = j->config->linux ? j->config->linux->resources : NULL;
    int r = 0;

    if (j->ctx->systemd_cgroup) {
        r = berth_cgroup_after_clone(j->cgroup, j->id, pid, res, err);
        if (r >= 0)
            r = berth_cgroup_apply(j->cgroup, res, true, err);
    }
    if (r >= 0)
        r = berth_cgroup_enter(j->cgroup, pid, err);
    if (r < 0)
        return berth_error_wrap(err, "cgroup");
    /* intelRdt: criu's process in the resctrl group (its schemata first),
     * so that the tree it restores is there from its first instruction,
     * as runc (criuApplyCgroups) */
    if ((r = berth_resctrl_apply(j->ctx, j->config->linux ? j->config->linux->intelRdt : NULL,
                                 j->id, pid, j->dirfd, err)) < 0)
        return r;
    if ((r = cgroup_root(j, pid, err)) < 0)
        return r;
    if (write(j->go[1], "g", 1) != 1)
        return berth_error_errno(err, "restore: release criu");
    j->go[1] = safe_close(j->go[1]);
    return receive_dirs(j, err);
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
static int external_opts(struct restore_job *j, berth_error_t *err)
{
    struct berth_criu_external *ext = NULL;
    size_t n = 0;
    int r = berth_criu_doc_read(j->img, BERTH_CRIU_EXTERNALS, (void **)&ext, &n, err);

    for (size_t i = 0; r == 0 && i < n; i++) {
        const struct berth_criu_external *e = &ext[i];
        _cleanup_free_ char *src = strcmp(e->source, BERTH_CRIU_CGROUP2) == 0
                                       ? cgroup2_dir(j)
                                       : bundle_source(j, e->destination);

        berth_pb_stringf(&j->opts, CRIU_OPT_EXTERNAL, "mnt[%s]:%s", e->destination,
                         src ? src : e->source);
    }
    berth_criu_doc_free(BERTH_CRIU_EXTERNALS, ext, n);
    return r;
}

/* The init's stdio pipes and outside files become ours (runc does the
 * same with the pipes the engine passed to `restore`). */
static int stdio_opts(struct restore_job *j, berth_error_t *err)
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
        {
            _cleanup_(berth_pb_free) struct berth_pb inherit = {0};

            berth_pb_string(&inherit, 1, fds[fd]);
            berth_pb_int(&inherit, 2, j->stdio[fd]);
            berth_pb_message(&j->opts, CRIU_OPT_INHERIT_FD, &inherit);
        }
    }
    berth_criu_doc_free(BERTH_CRIU_DESCRIPTORS, fds, n);
    return r;
}

static int restore_opts(struct restore_job *j, berth_error_t *err)
{
    const struct berth_criu_opts *o = j->o;
    struct berth_pb *b = &j->opts;
    int r;

    r = berth_criu_common_opts(b, o, j->config, "restore.log", err);
    if (r < 0)
        return r;
    berth_pb_string(b, CRIU_OPT_ROOT, j->criu_root);
    if (o->tcp_close)
        berth_pb_int(b, CRIU_OPT_TCP_CLOSE, 1);
    if (o->lsm_profile)
        berth_pb_string(b, CRIU_OPT_LSM_PROFILE, o->lsm_profile);
    if (o->lsm_mount_context)
        berth_pb_string(b, CRIU_OPT_LSM_MOUNT_CONTEXT, o->lsm_mount_context);
    if ((r = external_opts(j, err)) < 0 || (r = stdio_opts(j, err)) < 0)
        return r;
    if (b->failed)
        return berth_error_make(err, ENOMEM, "restore");
    return 0;
}

static void child_fail(const char *what)
{
    dprintf(2, "Error (berth): %s: %s\n", what, strerror(errno));
    _exit(125);
}

static int send_dirs(const struct restore_job *j)
{
    int fds[2] = {open(j->img, O_RDONLY | O_DIRECTORY | O_CLOEXEC),
                  open(j->work, O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    berth_error_t e = NULL;

    if (fds[0] < 0 || fds[1] < 0 || berth_fds_send(j->dirs[1], "dirs", fds, 2, "dirs", &e) < 0) {
        berth_error_release(&e);
        return -1;
    }
    close(fds[0]);
    close(fds[1]);
    return 0;
}

/* In the forked child, before exec criu: once in the cgroup (go), a
 * private mount namespace, the rootfs on criu-root, our stdio dups
 * inheritable. */
static void pre_exec(void *data)
{
    struct restore_job *j = data;
    char c;
    ssize_t n;

    /* EOF: the parent gave up, nothing to restore */
    close(j->go[1]);
    while ((n = read(j->go[0], &c, 1)) < 0 && errno == EINTR)
        ;
    if (n != 1)
        _exit(125);
    if (unshare(CLONE_NEWNS) < 0)
        child_fail("unshare(CLONE_NEWNS)");
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
        child_fail("make / a slave");
    if (mount(j->rootfs, j->criu_root, NULL, MS_BIND | MS_REC, NULL) < 0)
        child_fail("bind the rootfs on criu-root");
    close(j->dirs[0]);
    if (send_dirs(j) < 0)
        child_fail("send criu's directories");
    close(j->dirs[1]);
    for (int i = 0; i < 3; i++)
        if (j->stdio[i] >= 0 && fcntl(j->stdio[i], F_SETFD, 0) < 0)
            child_fail("inherit fd");
}

/* criu's notifications. setup-namespaces: the tree's namespaces exist and
 * its tasks have not run: prestart and createRuntime hooks with the init's
 * pid, where runc runs them. orphan-pts-master: the restored pty's master
 * to --console-socket as create sends it, or kept for the foreground. */
static int notified(void *data, const char *script, pid_t pid, int fd, berth_error_t *err)
{
    struct restore_job *j = data;
    int r;

    if (strcmp(script, "setup-namespaces") == 0) {
        safe_close(fd);
        if (pid <= 0)
            return berth_error_make(err, 0, "setup-namespaces without a pid");
        j->pid = pid;
        j->hooks_ran = true;
        return berth_hooks_run_create_runtime(j->config, j->id, pid, j->bundle, err);
    }
    if (strcmp(script, "orphan-pts-master") != 0 || fd < 0) {
        safe_close(fd);
        return 0;
    }
    if (!terminal(j) || j->pty_restored) {
        safe_close(fd);
        return berth_error_make(err, 0, "a pty master nobody asked for");
    }
    j->pty_restored = true;
    if (j->console_sock < 0) {
        j->master = fd;
        return 0;
    }
    r = berth_terminal_send_master(j->console_sock, fd, j->o->create->console_socket, err);
    safe_close(fd);
    if (r < 0)
        return r;
    j->console_sock = safe_close(j->console_sock);
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
                             pid_t *ret_pid, int *ret_master, berth_error_t *err)
{
    _cleanup_(restore_job_release) struct restore_job j = {.ctx = ctx,
                                                           .o = o,
                                                           .id = o->create->id,
                                                           .dirfd = -1,
                                                           .lockfd = -1,
                                                           .dirs = {-1, -1},
                                                           .dir_fds = {-1, -1},
                                                           .stdio = {-1, -1, -1},
                                                           .go = {-1, -1},
                                                           .console_sock = -1,
                                                           .master = -1};
    pid_t pid = 0;
    int r;

    if ((r = berth_id_validate(j.id, err)) < 0 || (r = load_bundle(&j, err)) < 0)
        return r;
    /* before anything is made: nobody listening fails with no side effect */
    if (terminal(&j) && o->create->console_socket) {
        j.console_sock = berth_console_socket_connect(o->create->console_socket, err);
        if (j.console_sock < 0)
            return j.console_sock;
    }
    if ((r = paths(&j, err)) < 0 || (r = make_state_and_cgroup(&j, err)) < 0 ||
        (r = restore_opts(&j, err)) < 0)
        return r;
    r = berth_criu_rpc(o->criu,
                       &(struct berth_criu_call){
                           .what = "restore",
                           .type = BERTH_CRIU_REQ_RESTORE,
                           .opts = &j.opts,
                           .log_path = j.log,
                           .status_fd = o->status_fd,
                           .hooks = &(struct berth_criu_hooks){pre_exec, cgroup_spawned, &j},
                           .notify = notified,
                       },
                       &pid, err);
    if (r < 0)
        return r;
    j.pid = pid;
    if (terminal(&j) && !j.pty_restored)
        return berth_error_make(err, 0, "criu restored no terminal: the checkpoint has none");
    if (!j.hooks_ran &&
        (r = berth_hooks_run_create_runtime(j.config, j.id, j.pid, j.bundle, err)) < 0)
        return r;
    if ((r = write_state(&j, err)) < 0)
        return r;
    if (o->create->pid_file && (r = write_pid_file(o->create->pid_file, j.pid, err)) < 0)
        return r;
    r = berth_hooks_run_kind(j.config->hooks, BERTH_HOOK_POSTSTART, j.id, j.pid, j.bundle,
                             &j.config->annotations, err);
    if (r < 0)
        return r;
    j.done = true;
    *ret_pid = j.pid;
    *ret_master = TAKE_FD(j.master);
    return 0;
}

int berth_container_restore(const struct berth_context *ctx, const struct berth_criu_opts *o,
                            int *ret_status, berth_error_t *err)
{
    const struct berth_create_opts *c = o->create;
    struct berth_terminal_proxy *proxy = NULL;
    _cleanup_close_ int master = -1;
    pid_t pid = 0;
    int r;

    *ret_status = 0;
    /* runc's order: the options, then criu */
    if ((r = berth_criu_opts_check(o, err)) < 0 || (r = berth_criu_check(o->criu, err)) < 0)
        return berth_error_wrap(err, "restore");
    /* foreground: the restored init is reparented to us when criu exits */
    if (!c->detach && !c->no_subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        return berth_error_errno(err, "prctl(PR_SET_CHILD_SUBREAPER)");
    r = restore_container(ctx, o, &pid, &master, err);
    if (r < 0)
        return berth_error_wrap(err, "restore");
    if (c->detach)
        return 0;
    /* a terminal without --console-socket: ours, as `run` does */
    if (master >= 0 && (r = berth_terminal_proxy_start(TAKE_FD(master), &proxy, err)) < 0)
        return r;
    r = wait_foreground(pid, ret_status, err);
    if (proxy)
        berth_terminal_proxy_finish(proxy, r < 0 ? 0 : 1000);
    if (r < 0)
        return r;
    return berth_container_delete(ctx, c->id, false, err);
}
