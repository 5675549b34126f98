/* container-create.c: `create` and `run` (runtime.md "Create", "Start").
 *
 * create is a short sequence; each step owns one concern and everything it
 * makes is recorded in struct create_job, whose release undoes it all when
 * create fails (runtime.md "Errors": the environment MUST be left as if
 * create was never attempted: no state dir, no fifo, no pid file, no
 * process; mounts only ever exist in the init's own mount namespace):
 *
 *   1. validate the id and the bundle (berth_validate_bundle_opts: schema and
 *      semantic rules) before any side effect;
 *   2. plan the launch in memory: namespaces (paths opened and type
 *      checked), capabilities (names resolved, warnings), passed fds;
 *   3. state dir (exclusive, locked), config.json copy, exec.fifo, the
 *      cgroup planned and its cgroup2 directory made;
 *   4. socketpair + clone3 -> the init (init.c); while it sets itself up
 *      we make the v1 cgroup directories and apply the resources, and it
 *      enters its cgroup by itself (cgroup-join.h), as late as its config
 *      allows;
 *   5. serve the init over the sync socket (sync.h) until READY or ERROR:
 *      user namespace maps, prestart/createRuntime hooks, seccomp listener;
 *   6. write the pid file. state.json is written twice before (planned
 *      in 3, final in 4 or 5: write_state), so that a create killed at any
 *      point leaves what `delete --force` removes completely.
 */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "util/cleanup.h"
#include "util/path-util.h"
#include "util/fd-pass.h"
#include "foreground.h"
#include "util/pid-file.h"
#include "hooks/hooks.h"
#include "util/exe-seal.h"
#include "process/process.h"
#include "rootfs/rootfs.h"
#include "util/passwd.h"
#include "security/security.h"
#include "state/state.h"
#include "status.h"
#include "terminal/terminal.h"
#include "ns/ns.h"
#include "spec/spec.h"

/* What create has made so far; released (and on failure undone) at once. */
struct create_job {
    const struct berth_context *ctx;
    const struct berth_create_opts *o;
    oci_config *config;
    char *bundle;
    char *rootfs;
    char *pid_file; /* absolute */
    struct berth_launch launch;
    struct berth_cgroup *cgroup;
    int dirfd;
    int lockfd;
    bool state_dir_made; /* ours to remove on failure */
    int sync[2];         /* [0] parent end, [1] child end */
    pid_t child;         /* the clone: init (one stage) or boot (two stages) */
    int child_pidfd;
    pid_t init;
    int init_pidfd;
    bool foreground;               /* run without --detach: the pty is proxied by us */
    bool hooks_started;            /* the create hooks began: failure runs poststop */
    bool run_start;                /* `berth run`: started here, without exec.fifo */
    int console_master;            /* process.terminal: the pty master from the init */
    int console_sock;              /* --console-socket, connected before anything */
    int pidfd_sock;                /* --pidfd-socket, likewise */
    int seccomp_cache;             /* the state root's program cache, or -1 */
    struct berth_netdevs *netdevs; /* linux.netDevices moved in (netdev.h) */
    bool done;                     /* success: keep everything */
    char *created;                 /* state.json's "created" and "owner", taken once */
    char *owner;
};

#define CREATE_JOB_INIT                                                                            \
    {                                                                                              \
        .dirfd = -1, .lockfd = -1, .sync = {-1, -1}, .child_pidfd = -1, .init_pidfd = -1,          \
        .console_master = -1, .console_sock = -1, .pidfd_sock = -1, .seccomp_cache = -1,           \
        .launch = {.sync_fd = -1,                                                                  \
                   .parent_sync_fd = -1,                                                           \
                   .fifo_fd = -1,                                                                  \
                   .parent_fds = {-1, -1, -1},                                                     \
                   .cgroup_join = BERTH_CGROUP_JOIN_INIT},                                         \
    }

/* Two-stage failure: the boot child may have sent INIT_PID before it died
 * and we never read it; the init it forked must not survive us. */
static void drain_init_pid(struct create_job *j)
{
    struct berth_sync_msg m;

    while (j->init == 0 && recv(j->sync[0], &m, sizeof(m), MSG_DONTWAIT) > 0)
        if (m.type == BERTH_SYNC_INIT_PID)
            j->init = m.value;
}

static void undo(struct create_job *j)
{
    berth_error_t ignored = NULL;

    if (j->child > 0)
        berth_process_kill_reap(j->child);
    if (j->sync[0] >= 0 && j->launch.ns.two_stage)
        drain_init_pid(j);
    if (j->init > 0 && j->init != j->child)
        berth_process_kill_reap(j->init);
    if (j->cgroup && berth_cgroup_destroy(j->cgroup, &ignored) < 0)
        berth_warn(j->ctx, "remove the cgroup of %s: %s", j->o->id, ignored->msg);
    berth_error_release(&ignored);
    if (j->dirfd >= 0 && berth_resctrl_destroy(j->dirfd, &ignored) < 0)
        berth_warn(j->ctx, "remove the resctrl group of %s: %s", j->o->id, ignored->msg);
    berth_error_release(&ignored);
    /* runtime.md "Lifecycle": a failed create hook stops the container
     * and the lifecycle continues at step 12, poststop included. */
    if (j->hooks_started)
        berth_hooks_run_poststop(j->ctx, j->config, j->o->id, 0, j->bundle);
    if (j->state_dir_made)
        (void)berth_state_dir_remove(j->ctx->root, j->o->id, &ignored);
    berth_error_release(&ignored);
}

static void create_job_release(struct create_job *j)
{
    if (!j->done)
        undo(j);
    berth_ns_plan_release(&j->launch.ns);
    berth_seccomp_free(j->launch.seccomp);
    if (j->cgroup)
        berth_cgroup_free(j->cgroup);
    j->launch.fifo_fd = safe_close(j->launch.fifo_fd);
    berth_idmap_trees_free(&j->launch.idmap_trees);
    berth_cgroup_join_release(&j->launch.cgroup_join);
    free(j->launch.cgroup_dirs);
    safe_close(j->sync[0]);
    safe_close(j->sync[1]);
    safe_close(j->child_pidfd);
    safe_close(j->init_pidfd);
    safe_close(j->console_master);
    safe_close(j->console_sock);
    safe_close(j->pidfd_sock);
    /* A failed create gives the host its devices back (netdev.h: not a
     * deletion, which must leave them to the namespace's owner). */
    if (j->done)
        berth_netdevs_free(j->netdevs);
    else
        berth_netdevs_undo(j->netdevs);
    safe_close(j->seccomp_cache);
    safe_close(j->lockfd);
    safe_close(j->dirfd);
    oci_config_free(j->config);
    free(j->bundle);
    free(j->rootfs);
    free(j->pid_file);
    free(j->created);
    free(j->owner);
}

/* ---- 1. id and bundle --------------------------------------------------- */

/* Validation's warnings are advice (`berth validate` prints them): on
 * create they go to --debug only. runc is silent on the configs engines
 * and `runc spec` generate, and engines show a runtime's stderr to users. */
static void log_diag_warnings(const struct berth_context *ctx, const struct oci_diags *d)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].level == OCI_DIAG_WARNING)
            berth_debug(ctx, "validate: %s: %s", d->items[i].pointer, d->items[i].message);
}

struct berth_validate_opts berth_container_validate_opts(const struct berth_context *ctx,
                                                         const char *bundle)
{
    return (struct berth_validate_opts){.bundle_dir = bundle,
                                        .check_host = true,
                                        .resctrl_root = ctx->resctrl_root,
                                        .more = berth_cgroup_validate};
}

static int load_bundle(struct create_job *j, berth_error_t *err)
{
    struct berth_validate_opts opts;
    struct oci_diags diags = {0};
    const char *bundle = j->o->bundle ? j->o->bundle : ".";
    int r;

    j->bundle = realpath(bundle, NULL);
    if (!j->bundle)
        return berth_error_errno(err, "bundle `%s`", bundle);
    berth_debug(j->ctx, "create %s: bundle %s", j->o->id, j->bundle);
    opts = berth_container_validate_opts(j->ctx, j->bundle);
    r = berth_validate_bundle_opts(&opts, &diags, &j->config, err);
    log_diag_warnings(j->ctx, &diags);
    oci_diags_clear(&diags);
    if (r < 0)
        return r;
    /* the engine (--console-socket) or a foreground run holds the master */
    r = berth_terminal_check_socket(j->config->process && j->config->process->terminal,
                                    !j->foreground, j->o->console_socket, err);
    if (r < 0)
        return r;
    return berth_rootfs_resolve_path(j->config, j->bundle, &j->rootfs, err);
}

/* --pid-file is relative to the cwd of `berth create`, resolved now. */
static int resolve_pid_file(struct create_job *j, berth_error_t *err)
{
    if (j->o->pid_file && !(j->pid_file = berth_path_absolute(j->o->pid_file)))
        return berth_error_errno(err, "pid file `%s`", j->o->pid_file);
    return 0;
}

/* ---- 2. launch plan ----------------------------------------------------- */

/* Socket activation, as runc: when berth itself was activated
 * (LISTEN_PID is ours), its LISTEN_FDS fds 3.. go to the container first,
 * then the --preserve-fds ones. */
static int listen_fds(void)
{
    const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
    long n;

    if (!fds || !pid || strtol(pid, NULL, 10) != getpid())
        return 0;
    n = strtol(fds, NULL, 10);
    return n > 0 && n < 4096 ? (int)n : 0;
}

/* What runc's --debug says of these steps, in berth's words. */
static void log_seccomp(const struct berth_context *ctx, const struct berth_seccomp *f)
{
    char key[2 * BERTH_SHA256_LEN + 1];

    if (!ctx->debug)
        return;
    berth_sha256_hex(f->key, key);
    if (f->refused)
        berth_debug(ctx, "seccomp: program %s refused (%s), compiled again", key, f->refused);
    if (f->origin != BERTH_SECCOMP_COMPILED)
        berth_debug(ctx, "seccomp: program %s from the %s, %u BPF instructions, flags %#x%s", key,
                    f->origin == BERTH_SECCOMP_FROM_CACHE ? "cache" : "container",
                    (unsigned)f->prog.len, f->flags, f->notify ? ", with a notify listener" : "");
    else
        berth_debug(ctx,
                    "seccomp: program %s compiled: %zu rules, %u BPF instructions (%u of them "
                    "the ENOSYS stub), flags %#x%s",
                    key, f->rules, (unsigned)f->prog.len, f->enosys_len, f->flags,
                    f->notify ? ", with a notify listener" : "");
    for (size_t i = 0; i < f->unknown_len; i++)
        berth_debug(ctx, "seccomp: syscall `%s` unknown to libseccomp, skipped", f->unknown[i]);
}

static void log_namespaces(const struct berth_context *ctx, const oci_linux *l)
{
    for (size_t i = 0; ctx->debug && l && i < l->namespaces_len; i++)
        berth_debug(ctx, "namespace %s: %s%s", l->namespaces[i].type,
                    l->namespaces[i].path ? "join " : "new",
                    l->namespaces[i].path ? l->namespaces[i].path : "");
}

static int plan_launch(struct create_job *j, berth_error_t *err)
{
    const oci_config *c = j->config;
    struct berth_launch *l = &j->launch;
    int r;

    l->ctx = j->ctx;
    l->id = j->o->id;
    l->config = c;
    l->bundle = j->bundle;
    l->rootfs = j->rootfs;
    l->no_pivot = j->o->no_pivot;
    l->run_start = j->run_start;
    l->no_new_keyring = j->o->no_new_keyring;
    r = berth_ns_plan_build(c->linux, &l->ns, err);
    if (r < 0)
        return r;
    /* config.md "Hostname": it is set in the container's UTS namespace. */
    if ((c->hostname || c->domainname) && !l->ns.uts)
        return berth_error_make(err, 0,
                                "unable to set hostname or domainname without a private UTS "
                                "namespace");
    berth_caps_resolve(j->ctx, c->process ? c->process->capabilities : NULL, &l->caps);
    /* Built now, so a bad filter fails before anything exists; the init
     * only loads it. The cache is looked at, not made: nothing exists yet. */
    if (c->linux && c->linux->seccomp && c->process) {
        struct berth_seccomp_places at = BERTH_SECCOMP_NO_PLACES;

        at.cache_dirfd = j->seccomp_cache = berth_state_cache_open(j->ctx->root, "seccomp", false);
        r = berth_seccomp_build(c->linux->seccomp, &at, &l->seccomp, err);
        if (r < 0)
            return berth_error_wrap(err, "seccomp");
        log_seccomp(j->ctx, l->seccomp);
    }
    log_namespaces(j->ctx, c->linux);
    if (j->o->preserve_fds < 0)
        return berth_error_make(err, EINVAL, "--preserve-fds: must not be negative");
    l->listen_fds = listen_fds();
    l->extra_fds = l->listen_fds + j->o->preserve_fds;
    return berth_exe_check_inherited_fds(&j->ctx->exe_origin, l->extra_fds, err);
}

/* ---- 3. state dir ------------------------------------------------------- */

/* exec.fifo as runc: 0622 and owned by the container's root, so the init
 * can open it for writing whatever user it has become. */
static int make_exec_fifo(struct create_job *j, berth_error_t *err)
{
    const oci_linux *lx = j->config->linux;
    uid_t uid = 0;
    gid_t gid = 0;

    if (j->launch.ns.user && lx) {
        uid = berth_userns_host_id(lx->uidMappings, lx->uidMappings_len, 0);
        gid = berth_userns_host_id(lx->gidMappings, lx->gidMappings_len, 0);
    }
    if (mkfifoat(j->dirfd, "exec.fifo", 0622) < 0)
        return berth_error_errno(err, "mkfifo exec.fifo");
    if (fchmodat(j->dirfd, "exec.fifo", 0622, 0) < 0)
        return berth_error_errno(err, "chmod exec.fifo");
    if (fchownat(j->dirfd, "exec.fifo", uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
        return berth_error_errno(err, "chown exec.fifo to %u:%u", (unsigned)uid, (unsigned)gid);
    /* O_PATH: the init reopens it via /proc/self/fd after pivot_root, when
     * the state dir is no longer reachable by path. */
    j->launch.fifo_fd = openat(j->dirfd, "exec.fifo", O_PATH | O_CLOEXEC);
    if (j->launch.fifo_fd < 0)
        return berth_error_errno(err, "open exec.fifo");
    return 0;
}

/* The container's seccomp program, for its execs (berth-seccomp.h); a
 * compiled one also goes into the cache for the next container. */
static int save_seccomp(struct create_job *j, berth_error_t *err)
{
    const struct berth_seccomp *f = j->launch.seccomp;
    struct berth_seccomp_places at = {.container_dirfd = j->dirfd};

    if (!f)
        return 0;
    if (j->seccomp_cache < 0 && f->origin == BERTH_SECCOMP_COMPILED)
        j->seccomp_cache = berth_state_cache_open(j->ctx->root, "seccomp", true);
    at.cache_dirfd = j->seccomp_cache;
    return berth_seccomp_save(f, &at, err);
}

static int make_state_dir(struct create_job *j, berth_error_t *err)
{
    int r;

    r = berth_state_dir_claim(j->ctx->root, j->o->id, j->config, &j->dirfd, &j->lockfd, err);
    j->state_dir_made = j->dirfd >= 0;
    if (r < 0 || (r = save_seccomp(j, err)) < 0 || j->run_start)
        return r;
    return make_exec_fifo(j, err);
}

/* ---- 3a. state.json ----------------------------------------------------- */

/* Civil date of a day count since 1970-01-01 (proleptic Gregorian; the
 * era arithmetic of H. Hinnant's days_from_civil, inverted). */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;

    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* RFC 3339 in UTC, computed by hand: gmtime() and strftime() would load
 * /etc/localtime (glibc's tzset) for a zone this format never prints. */
static char *now_rfc3339(void)
{
    struct timespec ts;
    int64_t days, secs;
    unsigned mon, day;
    int year;
    char *ret = NULL;

    clock_gettime(CLOCK_REALTIME, &ts);
    days = ts.tv_sec / 86400 - (ts.tv_sec % 86400 < 0);
    secs = ts.tv_sec - days * 86400;
    civil_from_days(days, &year, &mon, &day);
    if (asprintf(&ret, "%04d-%02u-%02uT%02d:%02d:%02d.%09ldZ", year, mon, day, (int)(secs / 3600),
                 (int)(secs / 60 % 60), (int)(secs % 60), ts.tv_nsec) < 0)
        return NULL;
    return ret;
}

/* The creator's name from the host's /etc/passwd (as runc's list shows
 * it), else the uid: read directly, not through NSS (a dozen syscalls, and
 * no NSS in a static binary; passwd.h). */
static char *owner_name(void)
{
    char *ret = NULL;

    if (berth_passwd_lookup("/etc/passwd", geteuid(), &ret, NULL) != 0)
        return ret;
    if (asprintf(&ret, "%u", (unsigned)geteuid()) < 0)
        return NULL;
    return ret;
}

/* state.json, twice (runtime.md "Errors": a failure, a kill -9 included,
 * must leave nothing that `delete --force` cannot find):
 * - planned, before any cgroup directory or unit is made: no pid, the
 *   cgroup as planned (state.h "planned"), so that a create killed from
 *   there on leaves a container in "creating" whose delete removes it;
 * - final, as soon as both the init's pid and the cgroup are known (after
 *   CGROUP_READY in one stage, INIT_GO in two), followed by RECORDED: the
 *   init keeps its parent-death signal until it has that message (init.c
 *   await_recorded), so an init that outlives a killed create is always
 *   recorded, with its start time, as runc records it before it lets the
 *   init go on. */
static int write_state(struct create_job *j, bool planned, berth_error_t *err)
{
    const oci_string_map *a = &j->config->annotations;
    _cleanup_free_ struct berth_annotation *ann = calloc(a->len + 1, sizeof(*ann));
    _cleanup_(berth_cgroup_record_freep) struct berth_cgroup_record *cgroup = NULL;
    struct berth_container_state s = {
        .id = (char *)j->o->id,
        .bundle = j->bundle,
        .rootfs = j->rootfs,
        .pid = planned ? 0 : j->init,
        .start_time = planned ? 0 : berth_proc_start_time(j->init),
        .cgroup_path = (char *)berth_cgroup_path(j->cgroup),
        .created_status = !j->run_start,
        .annotations = ann,
        .annotations_len = a->len,
    };
    int r;

    /* both records say when and by whom the container was made */
    if (!j->created)
        j->created = now_rfc3339();
    if (!j->owner)
        j->owner = owner_name();
    s.created = j->created;
    s.owner = j->owner;
    if (!ann || !j->created || !j->owner)
        return berth_error_make(err, ENOMEM, "state of container %s", j->o->id);
    if ((r = berth_cgroup_record(j->cgroup, &cgroup, err)) < 0)
        return r;
    if (cgroup)
        cgroup->planned = planned;
    s.cgroup = cgroup;
    for (size_t i = 0; i < a->len; i++)
        ann[i] = (struct berth_annotation){a->keys[i], a->values[i]};
    return berth_state_write(j->dirfd, &s, err);
}

/* The final record, then RECORDED: written while the init sets itself up
 * (it takes the message at its next receive, and needs it only before
 * READY), so the write costs create no time. */
static int record_init(struct create_job *j, berth_error_t *err)
{
    int r = write_state(j, false, err);

    if (r < 0)
        return r;
    return berth_sync_send(j->sync[0], BERTH_SYNC_RECORDED, 0, NULL, err);
}

/* ---- 3b. cgroup --------------------------------------------------------- */

/* config-linux.md "Control groups". The child enters its cgroup by
 * itself (cgroup-join.h: no cgroup.procs write of ours, no RCU grace
 * period), as late as its config allows (init.c cgroup_join_point) and
 * always before READY. Before the clone: the directories are computed and
 * the cgroup2 one is made (clone3 CLONE_INTO_CGROUP needs it). */
static int plan_cgroup(struct create_job *j, berth_error_t *err)
{
    const oci_linux *lx = j->config->linux;
    int r = berth_cgroup_plan(j->ctx, lx ? lx->cgroupsPath : NULL, j->o->id, &j->cgroup, err);

    if (r >= 0)
        r = berth_cgroup_unit_annotations(j->cgroup, &j->config->annotations, err);
    /* recorded before anything of it is made (write_state) */
    if (r >= 0 && (r = write_state(j, true, err)) < 0)
        return r;
    if (r >= 0)
        r = berth_cgroup_before_clone(j->cgroup, &j->launch.cgroup_join, err);
    if (r >= 0)
        r = berth_cgroup_dir_refs(j->cgroup, &j->launch.cgroup_dirs, &j->launch.ncgroup_dirs, err);
    if (r < 0)
        return berth_error_wrap(err, "cgroup");
    berth_debug(j->ctx, "cgroup: %s", berth_cgroup_path(j->cgroup));
    return 0;
}

/* A cgroupsPath that already holds processes (they share the container's
 * limits, and kill --all and delete reach them) is allowed, with a warning,
 * as runc 1.2+ does. Read before the init joins. */
static void warn_populated(struct create_job *j)
{
    _cleanup_free_ pid_t *pids = NULL;
    berth_error_t ignored = NULL;
    size_t n = 0;

    if (berth_cgroup_pids(j->cgroup, &pids, &n, &ignored) == 0) {
        size_t others = 0;

        /* under systemd the init is in already (systemd moved it) */
        for (size_t i = 0; i < n; i++)
            others += pids[i] != j->child;
        if (others > 0)
            berth_warn(j->ctx, "container's cgroup is not empty: %zu process(es) found", others);
    }
    berth_error_release(&ignored);
}

/* After the clone, while the init sets itself up on the other CPU (the
 * kernel's mkdir of ~10 cgroups is the longest step of create): the v1
 * directories, the resources (all before the user process runs: the init
 * waits for CGROUP_READY before READY), and the `tasks` fds it joins
 * through. */
static int finish_cgroup(struct create_job *j, berth_error_t *err)
{
    const oci_linux *lx = j->config->linux;
    struct berth_cgroup_join v1 = BERTH_CGROUP_JOIN_INIT;
    /* systemd driver: the unit, with the init moved into it (it waits for
     * CGROUP_READY before it goes on); then what is not made yet */
    int r = berth_cgroup_after_clone(j->cgroup, j->o->id, j->child, lx ? lx->resources : NULL, err);

    if (r >= 0)
        warn_populated(j);
    if (r >= 0)
        r = berth_cgroup_apply(j->cgroup, lx ? lx->resources : NULL, true, err);
    if (r >= 0)
        r = berth_cgroup_join_prepare(j->cgroup, false, &v1, err);
    berth_cgroup_close_fds(j->cgroup);
    if (r < 0) {
        berth_cgroup_join_release(&v1);
        return berth_error_wrap(err, "cgroup");
    }
    r = berth_sync_send(j->sync[0], BERTH_SYNC_CGROUP_READY, (int32_t)v1.n, NULL, err);
    if (r >= 0)
        r = berth_cgroup_join_send(j->sync[0], &v1, err);
    berth_cgroup_join_release(&v1);
    /* One stage: the init is known and the cgroup made */
    if (r >= 0 && j->init > 0)
        r = record_init(j, err);
    if (r == -EPIPE || r == -ECONNRESET) {
        /* The init died already: its ERROR (or EOF) is what to report,
         * and serve_child reads it. */
        berth_error_release(err);
        return 0;
    }
    return r;
}

/* ---- 4. clone ----------------------------------------------------------- */

/* config-linux.md "Network Devices": what can be told from the config and
 * the caller, in step 1, before anything is made. Without a network
 * namespace of its own there is nowhere to move them: an error, as runc's
 * validator (berth validate warns: the spec's own example has none). */
static int check_net_devices(struct create_job *j, berth_error_t *err)
{
    const oci_linux *l = j->config->linux;

    if (!l || l->netDevices.len == 0)
        return 0;
    if (!berth_ns_find(l, "network"))
        return berth_error_make(err, 0,
                                "netDevices: unable to move network devices without a "
                                "network namespace of the container");
    /* runc: "network devices are not supported for rootless containers"
     * (moving a host device needs CAP_NET_ADMIN over the host's
     * namespace). */
    if (j->ctx->rootless || j->ctx->in_userns)
        return berth_error_make(err, 0,
                                "netDevices: network devices are not supported for "
                                "rootless containers");
    return 0;
}

/* As soon as the init has its network namespace (one stage: at the clone;
 * two: at INIT_PID) and before it goes on, as runc's setupNetworkDevices:
 * the create hooks and the process find the devices there. */
static int move_net_devices(struct create_job *j, berth_error_t *err)
{
    const oci_linux *l = j->config->linux;
    _cleanup_close_ int netns = -1;
    char path[64];

    if (!l || l->netDevices.len == 0)
        return 0;
    snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)j->init);
    netns = open(path, O_RDONLY | O_CLOEXEC);
    if (netns < 0)
        return berth_error_errno(err, "netDevices: open `%s`", path);
    return berth_netdevs_move(l, netns, &j->netdevs, err);
}

/* The init's pid and namespaces exist, it waits for us: what runc's parent
 * does at this point (its initProcess.start), before the init goes on.
 * intelRdt: the schemata, then the init in the resctrl group (resctrl.h),
 * so that it never runs outside its allocation; its children inherit the
 * group. */
static int init_known(struct create_job *j, berth_error_t *err)
{
    const oci_linux *l = j->config->linux;
    int r = berth_resctrl_apply(j->ctx, l ? l->intelRdt : NULL, j->o->id, j->init, j->dirfd, err);

    return r < 0 ? r : move_net_devices(j, err);
}

static int spawn(struct create_job *j, berth_error_t *err)
{
    unsigned long flags;
    pid_t pid;
    int r;

    /* Idmapped binds are made here, root on the host, before the clone
     * inherits them (idmap.h). */
    r = berth_idmap_prepare(j->config, j->bundle, &j->launch.idmap_trees, err);
    if (r < 0)
        return r;
    r = berth_sync_pair(j->sync, err);
    if (r < 0)
        return r;
    j->launch.parent_sync_fd = j->sync[0];
    j->launch.sync_fd = j->sync[1];
    j->launch.parent_fds[0] = j->dirfd;
    j->launch.parent_fds[1] = j->lockfd;
    j->launch.parent_fds[2] = j->console_sock;
    /* The cgroup namespace is unshared by the init once it is in its
     * cgroup (init.c step 1b), so that the namespace is rooted there. */
    flags = j->launch.ns.two_stage ? 0 : (unsigned long)(j->launch.ns.new_flags & ~CLONE_NEWCGROUP);
    pid = berth_process_clone_into(flags, j->launch.cgroup_join.v2_dirfd, &j->child_pidfd,
                                   &j->launch.cgroup_placed, err);
    if (pid < 0)
        return berth_error_wrap(err, "start container init");
    if (pid == 0)
        berth_init_main(&j->launch); /* never returns */
    j->child = pid;
    j->sync[1] = safe_close(j->sync[1]);
    berth_idmap_trees_free(&j->launch.idmap_trees); /* the init has its copies */
    berth_cgroup_join_release(&j->launch.cgroup_join);
    if (!j->launch.ns.two_stage) {
        j->init = pid;
        j->init_pidfd = TAKE_FD(j->child_pidfd);
        return init_known(j, err);
    }
    return 0;
}

/* ---- 5. serve the child ------------------------------------------------- */

static int child_gone(struct create_job *j, berth_error_t *err)
{
    int status = 0;
    pid_t pid = j->init > 0 ? j->init : j->child;

    if (berth_process_wait(pid, &status, err) < 0)
        return -EPIPE;
    if (j->child == pid)
        j->child = 0;
    if (j->init == pid)
        j->init = 0;
    if (WIFSIGNALED(status))
        return berth_error_make(err, EPIPE, "container init was killed by signal %d during setup",
                                WTERMSIG(status));
    return berth_error_make(err, EPIPE, "container init exited with status %d during setup",
                            WEXITSTATUS(status));
}

/* Sends `type` with, when `sources`, the bind sources opened for process
 * `pid` (mount-sources.h): their count is the message's value, the fds
 * follow. */
static int send_with_sources(struct create_job *j, enum berth_sync_type type, pid_t pid,
                             bool sources, berth_error_t *err)
{
    int fds[BERTH_FD_PASS_MAX];
    char indexes[1024];
    size_t n = 0;
    int r = 0;

    if (sources)
        r = berth_mount_sources_open(pid, j->config, j->bundle, fds, BERTH_FD_PASS_MAX, indexes,
                                     sizeof(indexes), &n, err);
    if (r >= 0)
        r = berth_sync_send(j->sync[0], type, (int32_t)n, NULL, err);
    if (r >= 0 && n)
        r = berth_fds_send(j->sync[0], indexes, fds, n, "the bind mount sources", err);
    for (size_t i = 0; i < n; i++)
        close(fds[i]);
    return r;
}

/* The maps, then (one stage: the init already has its mount namespace)
 * the bind sources, with USERNS_MAPPED. */
static int map_user_namespace(struct create_job *j, berth_error_t *err)
{
    int r = berth_userns_write_maps(j->child, j->config->linux, err);

    if (r < 0)
        return berth_error_wrap(err, "user namespace");
    return send_with_sources(j, BERTH_SYNC_USERNS_MAPPED, j->child, !j->launch.ns.two_stage, err);
}

/* Two stages: the init waits for this before it sends anything, so every
 * later message comes from an init whose pid (and pidfd) we hold. */
static int got_init_pid(struct create_job *j, pid_t pid, berth_error_t *err)
{
    int r;

    j->init = pid;
    berth_debug(j->ctx, "init: pid %d", (int)pid);
    j->init_pidfd = berth_pidfd_open(pid, err);
    if (j->init_pidfd < 0)
        return j->init_pidfd;
    if ((r = init_known(j, err)) < 0)
        return r;
    /* Two stages: the init now has all its namespaces; in a user
     * namespace (new or joined) it gets the bind sources here. */
    r = send_with_sources(j, BERTH_SYNC_INIT_GO, pid, j->launch.ns.user, err);
    return r < 0 ? r : record_init(j, err);
}

/* config-linux.md "Seccomp": the listener gets the container process state
 * with the notify fd, one state per connection. */
static int hand_out_seccomp_fd(struct create_job *j, berth_error_t *err)
{
    oci_state state = {
        .ociVersion = (char *)OCI_SPEC_VERSION,
        .id = (char *)j->o->id,
        .status = (char *)"creating",
        .pid = j->init,
        .pid_present = true,
        .bundle = j->bundle,
        .annotations = j->config->annotations,
    };
    int r = berth_seccomp_notify_hand_out(j->launch.seccomp, j->config->linux->seccomp,
                                          j->init_pidfd, &state, err);

    /* The init died before we could take its listener: its own error (on
     * the socket, or on stderr when the filter denied the socket) is the
     * one to report, not our pidfd_getfd's ESRCH. */
    if (r == -ESRCH) {
        berth_error_release(err);
        return child_gone(j, err);
    }
    return r < 0 ? r : 0; /* 0: the load failed, its ERROR comes next */
}

/* runtime.md steps 3 and 4, in the runtime namespace; a failure fails
 * create, which then stops the container (undo). */
static int run_runtime_hooks(struct create_job *j, berth_error_t *err)
{
    int r;

    j->hooks_started = true;
    r = berth_hooks_run_create_runtime(j->config, j->o->id, j->init, j->bundle, err);

    if (r < 0)
        return r;
    return berth_sync_send(j->sync[0], BERTH_SYNC_HOOKS_DONE, 0, NULL, err);
}

/* Serves the child until it sends `until`: READY (set up), or STARTED
 * (run: the startContainer hooks passed). */
static int serve_child(struct create_job *j, enum berth_sync_type until, berth_error_t *err)
{
    bool ready = false;

    while (!ready) {
        struct berth_sync_msg m;
        int r = berth_sync_recv(j->sync[0], &m, err);

        if (r < 0)
            return r;
        if (r == 0)
            return child_gone(j, err);
        switch (m.type) {
        case BERTH_SYNC_USERNS_READY:
            r = map_user_namespace(j, err);
            break;
        case BERTH_SYNC_INIT_PID:
            r = got_init_pid(j, m.value, err);
            break;
        case BERTH_SYNC_SECCOMP:
            r = hand_out_seccomp_fd(j, err);
            break;
        case BERTH_SYNC_HOOKS:
            r = run_runtime_hooks(j, err);
            break;
        case BERTH_SYNC_WARN:
            berth_warn(j->ctx, "%s", m.text);
            break;
        case BERTH_SYNC_ERROR:
            return berth_sync_error_from(&m, err);
        case BERTH_SYNC_READY:
        case BERTH_SYNC_STARTED:
            if (m.type != until)
                return berth_error_make(err, EPROTO, "sync: unexpected %s from the container init",
                                        berth_sync_type_name(m.type));
            ready = true;
            break;
        case BERTH_SYNC_TERMINAL:
            r = berth_terminal_recv_fd(j->sync[0], &j->console_master, NULL, err);
            break;
        default:
            return berth_error_make(err, EPROTO, "sync: unexpected %s from the container init",
                                    berth_sync_type_name(m.type));
        }
        if (r < 0)
            return r;
    }
    return 0;
}

/* Two stages: the boot child has done its part and exits by itself. */
static int finish_two_stage(struct create_job *j, berth_error_t *err)
{
    int status, r;

    if (!j->launch.ns.two_stage)
        return 0;
    r = berth_process_wait(j->child, &status, err);
    if (r < 0)
        return r;
    j->child = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return berth_error_make(err, EPIPE, "container boot process failed (status %#x)", status);
    return 0;
}

/* ---- 6. pid file -------------------------------------------------------- */

/* The pty master goes to the engine now; a foreground run keeps it. */
static int hand_out_console(struct create_job *j, berth_error_t *err)
{
    int r;

    if (j->console_master < 0 || j->console_sock < 0)
        return 0;
    r = berth_terminal_send_master(j->console_sock, j->console_master, j->o->console_socket, err);
    if (r < 0)
        return r;
    j->console_master = safe_close(j->console_master);
    return 0;
}

/* --pidfd-socket (runc >= 1.2): a pidfd of the init, sent once it is ready
 * and before it is started, as runc's init sends its own during its setup;
 * the message's text is runc's ("standard", its init type). */
static int hand_out_pidfd(struct create_job *j, berth_error_t *err)
{
    int r;

    if (j->pidfd_sock < 0)
        return 0;
    r = berth_terminal_send_fd(j->pidfd_sock, j->init_pidfd, "standard", err);
    if (r < 0)
        return berth_error_wrap(err, "pidfd socket `%s`", j->o->pidfd_socket);
    j->pidfd_sock = safe_close(j->pidfd_sock);
    return 0;
}

/* Before anything is made (terminal.h): a socket nobody listens on fails
 * create with no side effect, and one whose peer went away meanwhile fails
 * the send at the end, as runc's. */
static int connect_sockets(struct create_job *j, berth_error_t *err)
{
    if (j->o->pidfd_socket) {
        j->pidfd_sock = berth_console_socket_connect(j->o->pidfd_socket, err);
        if (j->pidfd_sock < 0)
            return berth_error_wrap(err, "pidfd socket `%s`", j->o->pidfd_socket);
    }
    if (!j->o->console_socket || !(j->config->process && j->config->process->terminal))
        return 0;
    j->console_sock = berth_console_socket_connect(j->o->console_socket, err);
    return j->console_sock < 0 ? j->console_sock : 0;
}

/* `berth run` starts what it just created (runtime.md "Start"), over the
 * sync socket instead of exec.fifo: the init runs the startContainer hooks
 * and answers STARTED; state.json is written once, after that, so the
 * container never shows as created with nobody to start it. */
static int start_here(struct create_job *j, berth_error_t *err)
{
    int r;

    if (!j->run_start)
        return 0;
    /* runtime.md "Start": MUST generate an error if process was not set. */
    if (!j->config->process)
        return berth_error_make(err, 0, "cannot start container %s: config has no process",
                                j->o->id);
    /* From here a failure stops a started container: poststop runs
     * (runtime.md "Lifecycle" step 12). */
    j->hooks_started = true;
    r = berth_sync_send(j->sync[0], BERTH_SYNC_START, 0, NULL, err);
    if (r < 0 && r != -EPIPE && r != -ECONNRESET)
        return r;
    berth_error_release(err); /* a dead init: its ERROR or EOF comes next */
    return serve_child(j, BERTH_SYNC_STARTED, err);
}

/* The pid file, for the engine that reads it when create returns. */
static int write_pid_file(struct create_job *j, berth_error_t *err)
{
    if (j->pid_file)
        return berth_pid_file_write(j->pid_file, j->init, err);
    return 0;
}

/* ---- create ------------------------------------------------------------- */

struct launched {
    pid_t pid;
    int pidfd;
    int console_master; /* foreground run with process.terminal, else -1 */
    oci_config *config; /* run: the validated config, for start and delete */
};

/* run: started as well (start_here), foreground or not. */
static int create_container(const struct berth_context *ctx, const struct berth_create_opts *o,
                            bool run, struct launched *ret, berth_error_t *err)
{
    _cleanup_(create_job_release) struct create_job j = CREATE_JOB_INIT;
    int r;

    j.ctx = ctx;
    j.o = o;
    j.foreground = run && !o->detach;
    j.run_start = run;
    /* 1. */
    if ((r = berth_id_validate(o->id, err)) < 0 || (r = load_bundle(&j, err)) < 0 ||
        (r = resolve_pid_file(&j, err)) < 0 || (r = check_net_devices(&j, err)) < 0 ||
        (r = connect_sockets(&j, err)) < 0)
        return r;
    /* 2. */
    if ((r = plan_launch(&j, err)) < 0)
        return r;
    /* 3. */
    if ((r = make_state_dir(&j, err)) < 0 || (r = plan_cgroup(&j, err)) < 0)
        return r;
    /* 4. (the hooks of steps 3-5 run during 5, see sync.h) */
    if ((r = spawn(&j, err)) < 0 || (r = finish_cgroup(&j, err)) < 0)
        return r;
    /* 5. */
    if ((r = serve_child(&j, BERTH_SYNC_READY, err)) < 0 || (r = finish_two_stage(&j, err)) < 0 ||
        (r = hand_out_console(&j, err)) < 0 || (r = hand_out_pidfd(&j, err)) < 0 ||
        (r = start_here(&j, err)) < 0)
        return r;
    /* 6. (state.json was written during 4 or 5, write_state) */
    if ((r = write_pid_file(&j, err)) < 0)
        return r;
    j.done = true;
    berth_debug(ctx, "%s %s: done, init pid %d", run ? "run" : "create", o->id, (int)j.init);
    ret->pid = j.init;
    ret->pidfd = TAKE_FD(j.init_pidfd);
    ret->console_master = TAKE_FD(j.console_master);
    ret->config = run ? TAKE_PTR(j.config) : NULL;
    return 0;
}

int berth_container_create(const struct berth_context *ctx, const struct berth_create_opts *o,
                           berth_error_t *err)
{
    struct launched l;
    int r = create_container(ctx, o, false, &l, err);

    if (r < 0)
        return r;
    safe_close(l.pidfd);
    safe_close(l.console_master);
    return 0;
}

/* ---- run ---------------------------------------------------------------- */

/* run failed after create: the container must not stay behind. */
static void destroy_after_create(const struct berth_context *ctx, const struct berth_create_opts *o,
                                 const struct launched *l)
{
    berth_error_t ignored = NULL;

    berth_process_kill_reap(l->pid);
    (void)berth_container_delete_cfg(ctx, o->id, true, l->config, &ignored);
    berth_error_release(&ignored);
}

int berth_container_run(const struct berth_context *ctx, const struct berth_create_opts *o,
                        int *ret_status, berth_error_t *err)
{
    struct launched l = {.pidfd = -1, .console_master = -1};
    struct berth_terminal_proxy *proxy = NULL;
    sigset_t set, old;
    int status = 0, r;

    /* Foreground: orphans of a container without its own pid namespace
     * come to us, and signals are blocked from now on so that none sent
     * while creating is lost (the init unblocks them for itself). */
    if (!o->detach && !o->no_subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        return berth_error_errno(err, "prctl(PR_SET_CHILD_SUBREAPER)");
    berth_foreground_sigset(&set, true);
    if (!o->detach)
        sigprocmask(SIG_BLOCK, &set, &old);
    r = create_container(ctx, o, true, &l, err);
    if (r >= 0 && l.console_master >= 0) {
        r = berth_terminal_proxy_start(TAKE_FD(l.console_master), &proxy, err);
        if (r < 0)
            destroy_after_create(ctx, o, &l);
    }
    /* runtime.md step 9 (a failure destroys the container, container.c) */
    if (r >= 0)
        r = berth_container_poststart(ctx, o->id, l.config, err);
    if (r >= 0 && !o->detach) {
        r = berth_foreground_wait(l.pid, l.pidfd, proxy, &set, &status, err);
        if (proxy)
            berth_terminal_proxy_finish(proxy, 1000);
        proxy = NULL;
        if (r >= 0 && !o->keep)
            r = berth_container_delete_cfg(ctx, o->id, false, l.config, err);
    }
    if (proxy)
        berth_terminal_proxy_finish(proxy, 0);
    if (!o->detach)
        sigprocmask(SIG_SETMASK, &old, NULL);
    safe_close(l.pidfd);
    safe_close(l.console_master);
    if (l.config)
        oci_config_free(l.config);
    if (r < 0)
        return r;
    *ret_status = o->detach ? 0 : berth_process_exit_code(status);
    return 0;
}
