/* container.c: the lifecycle verbs that act on an existing container:
 * start, kill, delete, state and list (create/run live in
 * container-create.c).
 *
 * Each verb: validate the id, open the state dir, take the per-container
 * lock (mutating verbs only), read state.json, derive the status, check the
 * transition runtime.md allows, act. state and list take no lock: they only
 * read state.json, which is replaced atomically, and must not hang behind a
 * long `start` or `create`.
 *
 * delete and a failed poststart share one teardown, runtime.md steps 12
 * and 13: kill what is left, remove the cgroup, run poststop hooks, remove
 * the state.
 */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "util/cleanup.h"
#include "hooks/hooks.h"
#include "ns/ns.h"
#include "state/state.h"
#include "status.h"

/* delete --force: how long SIGKILL may take before we give up and keep the
 * state (a process in D state can outlive it; see FEATURES.md §3 item 14). */
#define DELETE_KILL_TIMEOUT_MS 10000

/* One container as a verb sees it. */
struct loaded {
    int dirfd;
    int lockfd; /* -1 when not locked */
    struct berth_container_state *state;
    enum berth_status status;
};

static void loaded_release(struct loaded *l)
{
    l->lockfd = safe_close(l->lockfd);
    l->dirfd = safe_close(l->dirfd);
    berth_container_state_free(l->state);
    l->state = NULL;
}

/* Whether <root>/<id> is still the directory of dirfd (a delete renames
 * it away before removing it). */
static bool dir_still_named(const char *root, const char *id, int dirfd)
{
    _cleanup_free_ char *path = NULL;
    struct stat a, b;

    if (berth_state_dir_is_removed(dirfd))
        return false;
    if (asprintf(&path, "%s/%s", root, id) < 0)
        return true;
    if (fstat(dirfd, &a) < 0 || lstat(path, &b) < 0)
        return false;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* A dir without state.json whose create is still running (or crashed
 * before writing it): "creating" with only the id known. */
static int synthesize_creating(const char *id, struct berth_container_state **ret,
                               berth_error_t *err)
{
    struct berth_container_state *s = calloc(1, sizeof(*s));

    if (!s || !(s->id = strdup(id))) {
        free(s);
        return berth_error_make(err, ENOMEM, "load container %s", id);
    }
    *ret = s;
    return 0;
}

/* rootfd: an fd of ctx->root (list), or -1 to open it by name. */
/* A state.json copied or moved by hand would make us act on another
 * container's init. */
static int check_owner(const struct loaded *l, const char *id, berth_error_t *err)
{
    if (strcmp(l->state->id, id) != 0)
        return berth_error_make(err, EINVAL, "load container %s: state.json belongs to `%s`", id,
                                l->state->id);
    return 0;
}

static int load_at(const struct berth_context *ctx, int rootfd, const char *id, bool lock,
                   struct loaded *l, berth_error_t *err)
{
    int r;

    l->dirfd = rootfd >= 0 ? berth_state_dir_openat(rootfd, ctx->root, id, err)
                           : berth_state_dir_open(ctx->root, id, err);
    if (l->dirfd < 0)
        return l->dirfd;
    if (lock) {
        l->lockfd = berth_state_lock(l->dirfd, err);
        if (l->lockfd == -ENOENT) {
            berth_error_release(err);
            return berth_state_error_not_exist(err, id);
        }
        if (l->lockfd < 0)
            return l->lockfd;
    }
    r = berth_state_read(l->dirfd, &l->state, err);
    if (r == -ENOENT) {
        berth_error_release(err);
        /* Deleted while we opened or waited for the lock; or a directory
         * berth did not make (create makes the lock file first thing). */
        if (!dir_still_named(ctx->root, id, l->dirfd) ||
            faccessat(l->dirfd, "lock", F_OK, AT_SYMLINK_NOFOLLOW) < 0)
            return berth_state_error_not_exist(err, id);
        r = synthesize_creating(id, &l->state, err);
    }
    if (r < 0)
        return berth_error_wrap(err, "load container %s", id);
    if ((r = check_owner(l, id, err)) < 0)
        return r;
    l->status = berth_state_status(l->dirfd, l->state);
    return 0;
}

static int load(const struct berth_context *ctx, const char *id, bool lock, struct loaded *l,
                berth_error_t *err)
{
    return load_at(ctx, -1, id, lock, l, err);
}

#define LOADED_INIT                                                                                \
    {                                                                                              \
        .dirfd = -1, .lockfd = -1                                                                  \
    }
#define _cleanup_loaded_ _cleanup_(loaded_release)

/* ---- start -------------------------------------------------------------- */

static inline void oci_config_freep(oci_config **c)
{
    if (*c)
        oci_config_free(*c);
}
#define _cleanup_config_ _cleanup_(oci_config_freep)

/* The config.json copy create took (runtime.md "Create": later edits of
 * the bundle have no effect). */
static int load_config(const struct loaded *l, oci_config **ret, berth_error_t *err)
{
    int r = berth_hooks_load_config(l->dirfd, ret, err);

    return r < 0 ? berth_error_wrap(err, "container %s", l->state->id) : 0;
}

/* The container's cgroup as create recorded it (never recomputed), or
 * NULL when it has none. */
static int load_cgroup(const struct berth_context *ctx, const struct loaded *l,
                       struct berth_cgroup **ret, berth_error_t *err)
{
    int r;

    *ret = NULL;
    if (!l->state->cgroup)
        return 0;
    r = berth_cgroup_load(ctx, l->state->cgroup, ret, err);
    return r < 0 ? berth_error_wrap(err, "container %s", l->state->id) : 0;
}

static int start_refusal(const char *id, enum berth_status s, berth_error_t *err)
{
    /* runc's wording (FEATURES.md §1c): engines and users know these. */
    if (s == BERTH_STATUS_STOPPED)
        return berth_error_make(err, 0, "cannot start a container that has stopped");
    if (s == BERTH_STATUS_RUNNING)
        return berth_error_make(err, 0, "cannot start an already running container");
    return berth_error_make(err, 0, "cannot start a container in the %s state",
                            berth_status_name(s));
}

/* Reads the init's answer from the fifo: "0" (the program runs now) or
 * "1<error>" when a startContainer hook failed (init.c answer_start: one
 * write below PIPE_BUF, so one read gets it whole). 1 when started, 0 when
 * there is nothing yet, -ECANCELED with *ret_msg on a failure answer, <0
 * when the writer went away without writing. */
static int fifo_take_byte(int fifofd, char **ret_msg)
{
    char buf[1024];
    ssize_t n;

    do
        n = read(fifofd, buf, sizeof(buf) - 1);
    while (n < 0 && errno == EINTR);
    if (n >= 1 && buf[0] != '1')
        return 1;
    if (n >= 1) {
        buf[n] = '\0';
        *ret_msg = strdup(buf + 1);
        return -ECANCELED;
    }
    if (n == 0)
        return -EPIPE; /* the init opened and closed the fifo: it died */
    return errno == EAGAIN ? 0 : -errno;
}

/* Waits for the init's byte, or for the init to die: a dead init never
 * opens the fifo, and a plain blocking wait would hang for ever. */
static int fifo_wait(int fifofd, int pidfd, berth_error_t *err)
{
    for (;;) {
        struct pollfd pfd[2] = {{.fd = fifofd, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
        _cleanup_free_ char *msg = NULL;
        int r = poll(pfd, 2, -1);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return berth_error_errno(err, "poll exec.fifo");
        /* The fifo first: a user process that ran and exited at once has
         * still been started. */
        if (pfd[0].revents || pfd[1].revents) {
            r = fifo_take_byte(fifofd, &msg);
            if (r == 1)
                return 0;
            if (r == -ECANCELED)
                return berth_error_make(err, 0, "%s", msg ? msg : "startContainer hook failed");
            if (r < 0 && r != -EPIPE)
                return berth_error_make(err, -r, "read exec.fifo");
            if (r == -EPIPE || pfd[1].revents)
                return berth_error_make(err, 0, "cannot start a container that has stopped");
        }
    }
}

static int start_created(const struct berth_context *ctx, struct loaded *l, berth_error_t *err)
{
    _cleanup_close_ int pidfd = -1, fifofd = -1;
    int r;

    pidfd = berth_pidfd_open_verified(l->state->pid, l->state->start_time, err);
    if (pidfd == -ESRCH) {
        berth_error_release(err);
        return berth_error_make(err, 0, "cannot start a container that has stopped");
    }
    if (pidfd < 0)
        return pidfd;
    /* O_NONBLOCK: opening the read end must not wait for a writer; the
     * open itself is what releases the init blocked in open(O_WRONLY). */
    fifofd = openat(l->dirfd, "exec.fifo", O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fifofd < 0)
        return berth_error_errno(err, "open exec.fifo");
    r = fifo_wait(fifofd, pidfd, err);
    if (r < 0)
        return r;
    /* From now on the status derives as running. */
    if (unlinkat(l->dirfd, "exec.fifo", 0) < 0 && errno != ENOENT)
        berth_warn(ctx, "remove exec.fifo of %s: %s", l->state->id, strerror(errno));
    l->state->created_status = false;
    if (berth_state_write(l->dirfd, l->state, err) < 0) {
        /* The user process runs: failing now would lie about that. */
        berth_warn(ctx, "container %s: %s", l->state->id, (*err)->msg);
        berth_error_release(err);
    }
    return 0;
}

/* ---- kill --------------------------------------------------------------- */

static int signal_pidfd(int pidfd, int signo)
{
    if (pidfd_send_signal(pidfd, signo, NULL, 0) < 0)
        return -errno;
    return 0;
}

static int ns_pid_inode(pid_t pid, struct stat *ret)
{
    char path[64];

    if (pid > 0)
        snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
    else
        snprintf(path, sizeof(path), "/proc/self/ns/pid");
    return stat(path, ret) < 0 ? -errno : 0;
}

/* Signals every other process in the pid namespace `ns` (not init itself). */
static int signal_ns_members(pid_t init, const struct stat *ns, int signo, berth_error_t *err)
{
    _cleanup_closedir_ DIR *d = opendir("/proc");
    struct dirent *de;

    if (!d)
        return berth_error_errno(err, "open /proc");
    while ((de = readdir(d))) {
        struct berth_proc_stat ps;
        struct stat st;
        pid_t pid = (pid_t)atoi(de->d_name);
        int pidfd;

        if (pid <= 0 || pid == init || ns_pid_inode(pid, &st) < 0)
            continue;
        if (st.st_dev != ns->st_dev || st.st_ino != ns->st_ino)
            continue;
        if (berth_proc_stat_read(pid, &ps) < 0)
            continue;
        /* Same start-time guard as for init; a process that exited in
         * between is simply skipped. */
        pidfd = berth_pidfd_open_verified(pid, ps.start_time, err);
        if (pidfd < 0) {
            berth_error_release(err);
            continue;
        }
        (void)signal_pidfd(pidfd, signo);
        safe_close(pidfd);
    }
    return 0;
}

/* kill --all for a container without a cgroup: "every process of the
 * container" is every process in the init's pid namespace when it has its
 * own, and just the init when it shares ours (its processes cannot be told
 * from the host's then). Processes in pid namespaces nested below the
 * container's are not found; with a cgroup, berth_cgroup_kill_all is used
 * instead. */
static int signal_pidns(int init_pidfd, pid_t init, int signo, berth_error_t *err)
{
    struct stat init_ns, self_ns;
    int r;

    if (ns_pid_inode(init, &init_ns) == 0 && ns_pid_inode(0, &self_ns) == 0 &&
        (init_ns.st_dev != self_ns.st_dev || init_ns.st_ino != self_ns.st_ino)) {
        r = signal_ns_members(init, &init_ns, signo, err);
        if (r < 0)
            return r;
    }
    r = signal_pidfd(init_pidfd, signo);
    /* The init may have exited from an earlier signal of this loop. */
    return r == -ESRCH ? 0 : r;
}

/* Every process of the container's cgroup. Without a cgroup (rootless
 * without delegation): --all reaches the init's pid namespace
 * (signal_pidns), the SIGKILL of a shared one only the init, as runc. */
static int signal_cgroup(const struct berth_context *ctx, const struct loaded *l, int init_pidfd,
                         int signo, bool pidns_fallback, berth_error_t *err)
{
    _cleanup_cgroup_ struct berth_cgroup *cg = NULL;
    int r;

    r = load_cgroup(ctx, l, &cg, err);
    if (r < 0)
        return r;
    if (cg)
        return berth_cgroup_kill_all(cg, signo, err);
    if (pidns_fallback)
        return signal_pidns(init_pidfd, l->state->pid, signo, err);
    return signal_pidfd(init_pidfd, signo);
}

static int kill_leftovers(const struct berth_context *ctx, const struct loaded *l, int signo,
                          berth_error_t *err)
{
    _cleanup_cgroup_ struct berth_cgroup *cg = NULL;
    int r = load_cgroup(ctx, l, &cg, err);

    if (r < 0 || !cg)
        return r;
    r = berth_cgroup_kill_all(cg, signo, err);
    if (r == -ENOENT || r == -ESRCH) { /* the cgroup, or its last process, is gone */
        berth_error_release(err);
        return 0;
    }
    return r;
}

/* A SIGKILLed process of a frozen cgroup only dies once it is thawed: thaw
 * the container after the signal, as runc does, so that `kill ID KILL` of a
 * paused container really ends it instead of leaving it paused. */
static int thaw_after_kill(const struct berth_context *ctx, const struct loaded *l,
                           berth_error_t *err)
{
    _cleanup_cgroup_ struct berth_cgroup *cg = NULL;
    int r = load_cgroup(ctx, l, &cg, err);

    if (r < 0 || !cg)
        return r;
    r = berth_cgroup_freeze(cg, false, err);
    return r < 0 ? berth_error_wrap(err, "thaw container %s after SIGKILL", l->state->id) : 0;
}

/* Whether the container has a pid namespace of its own: a "pid" entry
 * without a path in its config.json copy (runc's IsPrivate). Without the
 * copy (a state dir of an older build) the answer is yes, which keeps the
 * signal on the init. */
static bool private_pidns(const struct loaded *l)
{
    berth_error_t ignored = NULL;
    oci_config *c = NULL;
    const oci_namespace *ns;
    bool private;

    if (berth_hooks_load_config(l->dirfd, &c, &ignored) < 0) {
        berth_error_release(&ignored);
        return true;
    }
    /* no "pid" entry: it shares berth's */
    ns = berth_ns_find(c->linux, "pid");
    private = ns && (!ns->path || !ns->path[0]);
    oci_config_free(c);
    return private;
}

int berth_container_kill(const struct berth_context *ctx, const char *id, int signo, bool all,
                         berth_error_t *err)
{
    _cleanup_loaded_ struct loaded l = LOADED_INIT;
    _cleanup_close_ int pidfd = -1;
    int r;

    r = load(ctx, id, true, &l, err);
    if (r < 0)
        return r;
    /* `kill --all` of a stopped container signals what is left in its
     * cgroup (processes that outlived a shared-pid-namespace init) and
     * succeeds, as runc: containerd's shim sends it on every stop and a
     * failure there would fail the task deletion. docs/divergences.md. */
    if (all && l.status == BERTH_STATUS_STOPPED)
        return kill_leftovers(ctx, &l, signo, err);
    /* runtime.md "Kill": neither created nor running MUST error with no
     * effect. "container not running" is matched by containerd. */
    if (!berth_status_can_kill(l.status))
        return berth_error_make(err, 0, "container not running");
    pidfd = berth_pidfd_open_verified(l.state->pid, l.state->start_time, err);
    if (pidfd == -ESRCH) {
        berth_error_release(err);
        return berth_error_make(err, 0, "container not running");
    }
    if (pidfd < 0)
        return pidfd;
    berth_debug(ctx, "kill %s: signal %d to %s %d", id, signo, all ? "every process, init" : "init",
                (int)l.state->pid);
    /* SIGKILL of a container sharing a pid namespace (the host's, or one
     * joined by path): its init's death would not take the rest along, as
     * it does for the init of a pid namespace (pid_namespaces(7)), so the
     * whole cgroup gets it, as runc >= 1.2 does. */
    if (all)
        r = signal_cgroup(ctx, &l, pidfd, signo, true, err);
    else if (signo == SIGKILL && !private_pidns(&l))
        r = signal_cgroup(ctx, &l, pidfd, signo, false, err);
    else
        r = signal_pidfd(pidfd, signo);
    if (r == 0 && signo == SIGKILL && l.status == BERTH_STATUS_PAUSED)
        r = thaw_after_kill(ctx, &l, err);
    if (r == -ESRCH) {
        berth_error_release(err);
        return berth_error_make(err, 0, "container not running");
    }
    if (r < 0 && !*err)
        return berth_error_make(err, -r, "send signal %d to container %s", signo, id);
    return r;
}

/* ---- teardown: runtime.md steps 12 and 13 ------------------------------ */

/* SIGKILLs a live container and waits until its init has died, so nothing
 * of it outlives its state. With a cgroup every process goes (cgroup.kill
 * or a frozen sweep); without one, the kernel kills the rest of a pid
 * namespace when its init dies, but processes of a container sharing our
 * pid namespace survive (nothing tells them from the host's). */
static int kill_container(const struct loaded *l, struct berth_cgroup *cg, berth_error_t *err)
{
    _cleanup_close_ int pidfd = -1;
    int r;

    if (l->state->pid > 0) {
        pidfd = berth_pidfd_open_verified(l->state->pid, l->state->start_time, err);
        if (pidfd == -ESRCH)
            berth_error_release(err); /* died meanwhile */
        else if (pidfd < 0)
            return pidfd;
    }
    if (cg)
        r = berth_cgroup_kill_all(cg, SIGKILL, err);
    else
        r = pidfd >= 0 ? signal_pidfd(pidfd, SIGKILL) : 0;
    if (r < 0 && r != -ESRCH)
        return *err ? r : berth_error_make(err, -r, "kill container %s", l->state->id);
    berth_error_release(err);
    if (pidfd < 0)
        return 0;
    r = berth_pidfd_wait_exit(pidfd, DELETE_KILL_TIMEOUT_MS, err);
    if (r < 0)
        return berth_error_wrap(err, "container %s: process %d did not die after SIGKILL",
                                l->state->id, (int)l->state->pid);
    return 0;
}

/* runtime.md step 13: poststop hooks, after the container was destroyed;
 * failures are warnings. A container that never got an init (a create
 * that died half way, removed with --force) was never created: its hooks
 * never started and do not stop. */
static void run_poststop(const struct berth_context *ctx, const struct loaded *l,
                         const oci_config *given)
{
    _cleanup_config_ oci_config *cfg = NULL;
    berth_error_t e = NULL;

    if (l->state->pid == 0)
        return;
    if (given) {
        berth_hooks_run_poststop(ctx, given, l->state->id, 0, l->state->bundle);
        return;
    }
    if (load_config(l, &cfg, &e) < 0) {
        if (e->status != ENOENT)
            berth_warn(ctx, "poststop hooks not run: %s", e->msg);
        berth_error_release(&e);
        return;
    }
    berth_hooks_run_poststop(ctx, cfg, l->state->id, 0, l->state->bundle);
}

/* Undoes create (runtime.md step 12: "destroyed by undoing the steps
 * performed during create"): kills what still runs when `kill` is set,
 * removes the cgroup, runs poststop hooks, removes the state. Resources
 * create did not make are left alone (runtime.md "Delete"). */
static int destroy(const struct berth_context *ctx, struct loaded *l, bool kill,
                   const oci_config *cfg, berth_error_t *err)
{
    _cleanup_cgroup_ struct berth_cgroup *cg = NULL;
    int r;

    /* A create killed before its final record left a planned cgroup (pid
     * 0): the cgroup's kill and destroy know what that leaves to do. */
    r = load_cgroup(ctx, l, &cg, err);
    if (r < 0)
        return r;
    if (kill) {
        r = kill_container(l, cg, err);
        if (r < 0)
            return r;
    } else if (cg) {
        /* Stopped, but an init that shared our pid namespace can leave
         * processes behind in the cgroup; they would keep it busy. */
        berth_error_t e = NULL;
        (void)berth_cgroup_kill_all(cg, SIGKILL, &e);
        berth_error_release(&e);
    }
    if (cg) {
        r = berth_cgroup_destroy(cg, err);
        if (r < 0)
            return berth_error_wrap(err, "delete container %s", l->state->id);
    }
    /* The processes are gone: the resctrl group create made goes too. */
    r = berth_resctrl_destroy(l->dirfd, err);
    if (r < 0)
        return berth_error_wrap(err, "delete container %s", l->state->id);
    run_poststop(ctx, l, cfg);
    r = berth_state_dir_remove(ctx->root, l->state->id, err);
    if (r < 0)
        return berth_error_wrap(err, "delete container %s", l->state->id);
    return 0;
}

/* runtime.md step 9: poststart hooks once the user program runs. [1.3] A
 * failure MUST error, stop the container and continue at step 12: the
 * container is destroyed here (as crun does), so the caller's `delete`
 * finds nothing left ("does not exist" counts as success for engines). */
static int run_poststart(const struct berth_context *ctx, struct loaded *l, const oci_config *cfg,
                         berth_error_t *err)
{
    berth_error_t e = NULL;
    int r;

    r = berth_hooks_run_kind(cfg->hooks, BERTH_HOOK_POSTSTART, l->state->id, l->state->pid,
                             l->state->bundle, &cfg->annotations, err);
    if (r >= 0)
        return 0;
    if (destroy(ctx, l, true, cfg, &e) < 0) {
        berth_warn(ctx, "after the poststart failure: %s", e->msg);
        berth_error_release(&e);
    }
    return r;
}

int berth_container_start(const struct berth_context *ctx, const char *id, berth_error_t *err)
{
    _cleanup_loaded_ struct loaded l = LOADED_INIT;
    _cleanup_config_ oci_config *cfg = NULL;
    int r;

    r = load(ctx, id, true, &l, err);
    if (r < 0)
        return r;
    /* runtime.md "Start": not `created` MUST error with no effect. */
    if (!berth_status_can_start(l.status))
        return start_refusal(id, l.status, err);
    r = load_config(&l, &cfg, err);
    if (r < 0)
        return r;
    /* runtime.md "Start": MUST generate an error if process was not set. */
    if (!cfg->process)
        return berth_error_make(err, 0, "cannot start container %s: config has no process", id);
    /* startContainer hooks run in the init, between its release and the
     * exec of the user program. */
    r = start_created(ctx, &l, err);
    if (r < 0)
        return r;
    return run_poststart(ctx, &l, cfg, err);
}

int berth_container_poststart(const struct berth_context *ctx, const char *id,
                              const oci_config *cfg, berth_error_t *err)
{
    _cleanup_loaded_ struct loaded l = LOADED_INIT;
    int r;

    if (!berth_hooks_have(cfg->hooks, BERTH_HOOK_POSTSTART))
        return 0;
    r = load(ctx, id, true, &l, err);
    if (r < 0)
        return r;
    return run_poststart(ctx, &l, cfg, err);
}

/* ---- delete ------------------------------------------------------------- */

int berth_container_delete_cfg(const struct berth_context *ctx, const char *id, bool force,
                               const oci_config *cfg, berth_error_t *err)
{
    _cleanup_loaded_ struct loaded l = LOADED_INIT;
    bool live;
    int r;

    r = load(ctx, id, true, &l, err);
    /* runc: `delete --force` of a missing container succeeds, and
     * containerd treats "does not exist" as success anyway. */
    if (r == -ENOENT && force) {
        berth_error_release(err);
        berth_state_dir_purge(ctx->root, id);
        return 0;
    }
    if (r < 0)
        return r;
    /* runtime.md "Delete": not stopped MUST error with no effect. runc and
     * crun delete a created container silently; we follow the spec and
     * need --force for that. */
    live = !berth_status_can_delete(l.status);
    if (live && !force)
        return berth_error_make(err, 0, "cannot delete container %s that is not stopped: %s", id,
                                berth_status_name(l.status));
    berth_debug(ctx, "delete %s: %s%s", id, berth_status_name(l.status),
                live ? ", killing it first (--force)" : "");
    return destroy(ctx, &l, live, cfg, err);
}

int berth_container_delete(const struct berth_context *ctx, const char *id, bool force,
                           berth_error_t *err)
{
    return berth_container_delete_cfg(ctx, id, force, NULL, err);
}

/* ---- state, list -------------------------------------------------------- */

void berth_container_listing_release(struct berth_container_listing *li)
{
    for (size_t i = 0; i < li->n; i++)
        berth_container_state_free(li->states[i]);
    free(li->states);
    free(li->views);
    *li = (struct berth_container_listing){0};
}

static int listing_alloc(struct berth_container_listing *li, size_t n, berth_error_t *err)
{
    li->views = calloc(n + 1, sizeof(*li->views));
    li->states = calloc(n + 1, sizeof(*li->states));
    li->n = 0;
    if (!li->views || !li->states) {
        berth_container_listing_release(li);
        return berth_error_make(err, ENOMEM, "list containers");
    }
    return 0;
}

static void listing_add(struct berth_container_listing *li, struct loaded *l)
{
    li->views[li->n].status = l->status;
    li->views[li->n].s = li->states[li->n] = TAKE_PTR(l->state);
    li->n++;
}

int berth_container_state(const struct berth_context *ctx, const char *id,
                          struct berth_container_listing *ret, berth_error_t *err)
{
    _cleanup_loaded_ struct loaded l = LOADED_INIT;
    int r;

    r = load(ctx, id, false, &l, err);
    if (r < 0 || (r = listing_alloc(ret, 1, err)) < 0)
        return r;
    listing_add(ret, &l);
    return 0;
}

/* One container of list: ID/state.json read in one open below the root,
 * the status through the probe's fds (status.h). Anything else (no
 * state.json: being created or deleted) takes load_at's path. */
static int list_one(const struct berth_context *ctx, int rootfd, struct berth_status_probe *probe,
                    const char *id, struct loaded *l, berth_error_t *err)
{
    int r = berth_state_read_at(rootfd, id, &l->state, err);

    if (r == -ENOENT) {
        berth_error_release(err);
        return load_at(ctx, rootfd, id, false, l, err);
    }
    if (r < 0)
        return berth_error_wrap(err, "load container %s", id);
    if ((r = check_owner(l, id, err)) < 0)
        return r;
    l->status = berth_state_status_probe(probe, id, l->state);
    return 0;
}

int berth_container_list(const struct berth_context *ctx, struct berth_container_listing *ret,
                         berth_error_t *err)
{
    _cleanup_strv_ char **ids = NULL;
    _cleanup_close_ int rootfd = -1;
    __attribute__((cleanup(berth_status_probe_release))) struct berth_status_probe probe =
        BERTH_STATUS_PROBE_INIT(-1);
    size_t n = 0;
    int r;

    /* One fd of the root for every id: list costs per container what
     * reading its state costs, nothing more. */
    r = berth_state_list(ctx->root, &rootfd, &ids, err);
    if (r < 0)
        return r;
    probe.rootfd = rootfd;
    while (ids[n])
        n++;
    if ((r = listing_alloc(ret, n, err)) < 0)
        return r;
    for (size_t i = 0; i < n; i++) {
        _cleanup_loaded_ struct loaded l = LOADED_INIT;
        berth_error_t e = NULL;

        if (list_one(ctx, rootfd, &probe, ids[i], &l, &e) < 0) {
            if (e->status != ENOENT)
                berth_warn(ctx, "%s", e->msg);
            berth_error_release(&e);
            continue;
        }
        listing_add(ret, &l);
    }
    return 0;
}
