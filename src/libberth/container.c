/* container.c: the lifecycle verbs that act on an existing container:
 * start, kill, delete, state and list (create/run live in
 * container-create.c).
 *
 * Each verb: validate the id, open the state dir, take the per-container
 * lock (mutating verbs only), read state.json, derive the status, check the
 * transition runtime.md allows, act. state and list take no lock: they only
 * read state.json, which is replaced atomically, and must not hang behind a
 * long `start` or `create`.
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

#include "cleanup.h"
#include "state-json.h"
#include "state.h"
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

static int load(const struct berth_context *ctx, const char *id, bool lock, struct loaded *l,
                berth_error_t *err)
{
    int r;

    l->dirfd = berth_state_dir_open(ctx->root, id, err);
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
    l->status = berth_state_status(l->dirfd, l->state);
    return 0;
}

#define LOADED_INIT                                                                                \
    {                                                                                              \
        .dirfd = -1, .lockfd = -1                                                                  \
    }
#define _cleanup_loaded_ _cleanup_(loaded_release)

/* ---- start -------------------------------------------------------------- */

/* runtime.md "Start": MUST error if `process` was not set. */
static int check_has_process(int dirfd, const char *id, berth_error_t *err)
{
    _cleanup_free_ char *buf = NULL;
    bool has = false;
    int r;

    r = berth_state_read_file(dirfd, "config.json", &buf, err);
    if (r >= 0)
        r = berth_config_json_has_process(buf, &has, err);
    if (r < 0)
        return berth_error_wrap(err, "start container %s", id);
    if (!has)
        return berth_error_make(err, 0, "cannot start container %s: config has no process", id);
    return 0;
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

/* Reads the init's one byte from the fifo; 1 when read, 0 when there is
 * none yet, <0 when the writer went away without writing. */
static int fifo_take_byte(int fifofd)
{
    char c;
    ssize_t n;

    do
        n = read(fifofd, &c, 1);
    while (n < 0 && errno == EINTR);
    if (n == 1)
        return 1;
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
        int r = poll(pfd, 2, -1);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return berth_error_errno(err, "poll exec.fifo");
        /* The fifo first: a user process that ran and exited at once has
         * still been started. */
        if (pfd[0].revents) {
            r = fifo_take_byte(fifofd);
            if (r == 1)
                return 0;
            if (r < 0 && r != -EPIPE)
                return berth_error_make(err, -r, "read exec.fifo");
            if (r == -EPIPE)
                return berth_error_make(err, 0, "cannot start a container that has stopped");
        }
        if (pfd[1].revents) {
            if (fifo_take_byte(fifofd) == 1)
                return 0;
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

int berth_container_start(const struct berth_context *ctx, const char *id, berth_error_t *err)
{
    _cleanup_loaded_ struct loaded l = LOADED_INIT;
    int r;

    r = load(ctx, id, true, &l, err);
    if (r < 0)
        return r;
    /* runtime.md "Start": not `created` MUST error with no effect. */
    if (!berth_status_can_start(l.status))
        return start_refusal(id, l.status, err);
    r = check_has_process(l.dirfd, id, err);
    if (r < 0)
        return r;
    /* TODO(hooks): startContainer runs in the init before exec; poststart
     * here after the byte. */
    return start_created(ctx, &l, err);
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

/* kill --all. Until cgroups land, "every process of the container" is every
 * process in the init's pid namespace when the container has its own, and
 * just the init when it shares ours (we cannot tell its processes from the
 * host's then). Processes in pid namespaces nested below the container's
 * are not found. TODO(cgroups): use the cgroup's procs (frozen) instead. */
static int signal_all(int init_pidfd, pid_t init, int signo, berth_error_t *err)
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

int berth_container_kill(const struct berth_context *ctx, const char *id, int signo, bool all,
                         berth_error_t *err)
{
    _cleanup_loaded_ struct loaded l = LOADED_INIT;
    _cleanup_close_ int pidfd = -1;
    int r;

    r = load(ctx, id, true, &l, err);
    if (r < 0)
        return r;
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
    r = all ? signal_all(pidfd, l.state->pid, signo, err) : signal_pidfd(pidfd, signo);
    if (r == -ESRCH)
        return berth_error_make(err, 0, "container not running");
    if (r < 0 && !*err)
        return berth_error_make(err, -r, "send signal %d to container %s", signo, id);
    return r;
}

/* ---- delete ------------------------------------------------------------- */

/* delete --force on a live container: SIGKILL the init and wait until it
 * has died, so nothing of it outlives its state. With its own pid ns the
 * kernel kills the rest when the init dies; processes of a container that
 * shares our pid ns need the cgroup (TODO(cgroups): kill the cgroup). */
static int kill_for_delete(const struct loaded *l, berth_error_t *err)
{
    _cleanup_close_ int pidfd = -1;
    int r;

    if (l->state->pid == 0)
        return 0; /* creating and never got an init */
    pidfd = berth_pidfd_open_verified(l->state->pid, l->state->start_time, err);
    if (pidfd == -ESRCH) {
        berth_error_release(err);
        return 0; /* died meanwhile: nothing to kill */
    }
    if (pidfd < 0)
        return pidfd;
    r = signal_pidfd(pidfd, SIGKILL);
    if (r < 0 && r != -ESRCH)
        return berth_error_make(err, -r, "kill container %s", l->state->id);
    r = berth_pidfd_wait_exit(pidfd, DELETE_KILL_TIMEOUT_MS, err);
    if (r < 0)
        return berth_error_wrap(err, "delete container %s: process %d did not die after SIGKILL",
                                l->state->id, (int)l->state->pid);
    return 0;
}

int berth_container_delete(const struct berth_context *ctx, const char *id, bool force,
                           berth_error_t *err)
{
    _cleanup_loaded_ struct loaded l = LOADED_INIT;
    int r;

    r = load(ctx, id, true, &l, err);
    /* runc: `delete --force` of a missing container succeeds, and
     * containerd treats "does not exist" as success anyway. */
    if (r == -ENOENT && force) {
        berth_error_release(err);
        return 0;
    }
    if (r < 0)
        return r;
    /* runtime.md "Delete": not stopped MUST error with no effect. runc and
     * crun delete a created container silently; we follow the spec and
     * need --force for that. */
    if (!berth_status_can_delete(l.status)) {
        if (!force)
            return berth_error_make(err, 0, "cannot delete container %s that is not stopped: %s",
                                    id, berth_status_name(l.status));
        r = kill_for_delete(&l, err);
        if (r < 0)
            return r;
    }
    /* TODO(hooks): poststop; TODO(cgroups): remove the cgroup. Only what
     * create made goes: the state dir (runtime.md "Delete": resources not
     * created by this container MUST NOT be deleted). */
    r = berth_state_dir_remove(ctx->root, id, err);
    if (r < 0)
        return berth_error_wrap(err, "delete container %s", id);
    return 0;
}

/* ---- state, list -------------------------------------------------------- */

int berth_container_state(const struct berth_context *ctx, const char *id, FILE *out,
                          berth_error_t *err)
{
    _cleanup_loaded_ struct loaded l = LOADED_INIT;
    _cleanup_free_ char *json = NULL;
    struct berth_state_view v;
    int r;

    r = load(ctx, id, false, &l, err);
    if (r < 0)
        return r;
    v.s = l.state;
    v.status = l.status;
    r = berth_state_json_public(&v, 1, false, &json, err);
    if (r < 0)
        return r;
    if (fprintf(out, "%s\n", json) < 0 || fflush(out) != 0)
        return berth_error_errno(err, "write state");
    return 0;
}

struct listing {
    struct berth_state_view *views;
    struct berth_container_state **states;
    size_t n;
};

static void listing_release(struct listing *li)
{
    for (size_t i = 0; i < li->n; i++)
        berth_container_state_free(li->states[i]);
    free(li->states);
    free(li->views);
}

/* Loads every container; ones that vanish meanwhile are skipped, broken
 * ones reported as warnings (as runc logs and goes on). */
static int load_all(const struct berth_context *ctx, struct listing *li, berth_error_t *err)
{
    _cleanup_strv_ char **ids = NULL;
    size_t n = 0;
    int r;

    r = berth_state_list(ctx->root, &ids, err);
    if (r < 0)
        return r;
    while (ids[n])
        n++;
    li->views = calloc(n + 1, sizeof(*li->views));
    li->states = calloc(n + 1, sizeof(*li->states));
    if (!li->views || !li->states)
        return berth_error_make(err, ENOMEM, "list containers");
    for (size_t i = 0; i < n; i++) {
        _cleanup_loaded_ struct loaded l = LOADED_INIT;
        berth_error_t e = NULL;

        if (load(ctx, ids[i], false, &l, &e) < 0) {
            if (e->status != ENOENT)
                berth_warn(ctx, "%s", e->msg);
            berth_error_release(&e);
            continue;
        }
        li->views[li->n].status = l.status;
        li->views[li->n].s = li->states[li->n] = TAKE_PTR(l.state);
        li->n++;
    }
    return 0;
}

/* runc prints with Go's tabwriter (minwidth 12, padding 3): each column as
 * wide as its widest cell plus 3, at least 12; the last one unpadded. */
#define TAB_MIN 12
#define TAB_PAD 3
#define NCOLS   6

static void row_cells(const struct berth_state_view *v, char pidbuf[32], const char *cells[NCOLS])
{
    bool live = v->status != BERTH_STATUS_STOPPED && v->status != BERTH_STATUS_CREATING;

    snprintf(pidbuf, 32, "%d", live ? (int)v->s->pid : 0);
    cells[0] = v->s->id;
    cells[1] = pidbuf;
    cells[2] = berth_status_name(v->status);
    cells[3] = v->s->bundle ? v->s->bundle : "";
    cells[4] = v->s->created ? v->s->created : "";
    cells[5] = v->s->owner ? v->s->owner : "";
}

static void print_row(FILE *out, const char *cells[NCOLS], const size_t width[NCOLS])
{
    for (int c = 0; c < NCOLS - 1; c++)
        fprintf(out, "%-*s", (int)width[c], cells[c]);
    fprintf(out, "%s\n", cells[NCOLS - 1]);
}

static void print_table(FILE *out, const struct listing *li)
{
    static const char *header[NCOLS] = {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"};
    size_t width[NCOLS];
    char pidbuf[32];
    const char *cells[NCOLS];

    for (int c = 0; c < NCOLS; c++)
        width[c] = strlen(header[c]) + TAB_PAD;
    for (size_t i = 0; i < li->n; i++) {
        row_cells(&li->views[i], pidbuf, cells);
        for (int c = 0; c < NCOLS; c++)
            if (strlen(cells[c]) + TAB_PAD > width[c])
                width[c] = strlen(cells[c]) + TAB_PAD;
    }
    for (int c = 0; c < NCOLS; c++)
        if (width[c] < TAB_MIN)
            width[c] = TAB_MIN;
    print_row(out, header, width);
    for (size_t i = 0; i < li->n; i++) {
        row_cells(&li->views[i], pidbuf, cells);
        print_row(out, cells, width);
    }
}

int berth_container_list(const struct berth_context *ctx, FILE *out, bool json, bool quiet,
                         berth_error_t *err)
{
    _cleanup_(listing_release) struct listing li = {0};
    _cleanup_free_ char *text = NULL;
    int r;

    r = load_all(ctx, &li, err);
    if (r < 0)
        return r;
    if (quiet) {
        for (size_t i = 0; i < li.n; i++)
            fprintf(out, "%s\n", li.views[i].s->id);
    } else if (json) {
        r = berth_state_json_public(li.views, li.n, true, &text, err);
        if (r < 0)
            return r;
        fprintf(out, "%s\n", text);
    } else {
        print_table(out, &li);
    }
    if (fflush(out) != 0 || ferror(out))
        return berth_error_errno(err, "write container list");
    return 0;
}
