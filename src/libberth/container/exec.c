/* exec.c: `berth exec` (exec.h). No re-exec of berth: the parent prepares
 * everything in memory, the children (exec-child.c) inherit it by fork.
 *
 *   1. load: state (status check: created/running ok, paused only with
 *      --ignore-paused, stopped refused), the config.json copy create
 *      took, the effective process (exec-process.c), validated before any
 *      side effect; capabilities and the container's seccomp filter built;
 *   2. spawn the joiner, which enters the container's cgroup (or the
 *      --cgroup sub-cgroup) by itself (cgroup-join.h);
 *   3. serve: INIT_PID (the process, our child via CLONE_PARENT) -> INIT_GO;
 *      the pty master; the seccomp listener; ERROR; EOF = execve done;
 *   4. pid file, --pidfd-socket, --console-socket or the tty proxy;
 *   5. foreground: forward signals, wait, return the exit status.
 *
 *   berth exec                 joiner                   process
 *   clone ------------------->  enter the cgroup
 *                              setns(init pidfd, all)
 *                              clone(CLONE_PARENT) ----> waits
 *      <--- INIT_PID(pid) ---  _exit(0)
 *   reap joiner, pidfd
 *      ---- INIT_GO --------------------------------->  setsid, [pty:]
 *      <--- TERMINAL + master ------------------------  labels, close fds,
 *      <--- SECCOMP (notify only) --------------------  user, caps, cwd ...
 *   pidfd_getfd, listenerPath                            load filter
 *      ---- INIT_GO (notify only) ------------------->
 *      <--- ERROR(errno, text), or EOF at execve -----  execve
 */
#include "util/exe-seal.h"
#include "exec-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/path-util.h"
#include "foreground.h"
#include "util/pid-file.h"
#include "hooks/hooks.h"
#include "ns/ns.h"
#include "process/process.h"
#include "security/security.h"
#include "status.h"
#include "terminal/terminal.h"

#define EXEC_JOB_INIT                                                                              \
    {                                                                                              \
        .dirfd = -1, .init_pidfd = -1, .sync = {-1, -1}, .pidfd = -1, .console_master = -1,        \
        .console_sock = -1, .pidfd_sock = -1, .cgroup_join = BERTH_CGROUP_JOIN_INIT,               \
    }

static void exec_job_release(struct exec_job *j)
{
    if (j->joiner > 0)
        berth_process_kill_reap(j->joiner);
    if (j->pid > 0) /* not running: an error before execve */
        berth_process_kill_reap(j->pid);
    safe_close(j->dirfd);
    safe_close(j->init_pidfd);
    safe_close(j->sync[0]);
    safe_close(j->sync[1]);
    safe_close(j->pidfd);
    safe_close(j->console_master);
    safe_close(j->console_sock);
    safe_close(j->pidfd_sock);
    berth_container_state_free(j->state);
    if (j->config)
        oci_config_free(j->config);
    if (j->process)
        oci_process_free(j->process);
    berth_seccomp_free(j->seccomp);
    berth_cgroup_join_release(&j->cgroup_join);
    if (j->cgroup)
        berth_cgroup_free(j->cgroup);
    free(j->pid_file);
}

/* ---- 1. load ------------------------------------------------------------ */

/* runc's wording (FEATURES.md §1c). */
static int check_status(const struct exec_job *j, berth_error_t *err)
{
    enum berth_status s = berth_state_status(j->dirfd, j->state);

    switch (s) {
    case BERTH_STATUS_CREATED:
    case BERTH_STATUS_RUNNING:
        return 0;
    case BERTH_STATUS_PAUSED:
        if (j->o->ignore_paused)
            return 0;
        return berth_error_make(err, 0,
                                "cannot exec in a paused container (use --ignore-paused to "
                                "override)");
    case BERTH_STATUS_STOPPED:
        return berth_error_make(err, 0, "cannot exec in a stopped container");
    default:
        return berth_error_make(err, 0, "cannot exec in a container in the %s state",
                                berth_status_name(s));
    }
}

static int container_ns_flags(const oci_config *c)
{
    int flags = 0;

    for (size_t i = 0; c->linux && i < c->linux->namespaces_len; i++)
        flags |= berth_ns_type_flag(c->linux->namespaces[i].type);
    return flags;
}

static int check_terminal_opts(const struct exec_job *j, berth_error_t *err)
{
    int r =
        berth_terminal_check_socket(j->process->terminal, j->o->detach, j->o->console_socket, err);

    if (r < 0)
        return r;
    if (j->o->preserve_fds < 0)
        return berth_error_make(err, EINVAL, "--preserve-fds: must not be negative");
    return 0;
}

static int resolve_pid_file(struct exec_job *j, berth_error_t *err)
{
    const char *f = j->o->pid_file;

    if (f && !(j->pid_file = berth_path_absolute(f)))
        return berth_error_errno(err, "pid file `%s`", f);
    return 0;
}

/* The program create kept in the state dir, else the cache's: no compile
 * per exec (berth-seccomp.h). Compiled only when both are missing or
 * refused (a container of another berth build), then kept in the cache. */
static int build_seccomp(struct exec_job *j, berth_error_t *err)
{
    _cleanup_close_ int cache = berth_state_cache_open(j->ctx->root, "seccomp", false);
    struct berth_seccomp_places at = {.container_dirfd = j->dirfd, .cache_dirfd = cache};
    berth_error_t ignored = NULL;
    int r = berth_seccomp_build(j->config->linux->seccomp, &at, &j->seccomp, err);

    if (r < 0)
        return berth_error_wrap(err, "seccomp");
    berth_debug(j->ctx, "seccomp: program from the %s%s%s",
                j->seccomp->origin == BERTH_SECCOMP_FROM_CONTAINER ? "container"
                : j->seccomp->origin == BERTH_SECCOMP_FROM_CACHE   ? "cache"
                                                                   : "compiler",
                j->seccomp->refused ? ", an entry refused: " : "",
                j->seccomp->refused ? j->seccomp->refused : "");
    if (j->seccomp->origin != BERTH_SECCOMP_COMPILED)
        return 0;
    at.container_dirfd = -1; /* exec never writes into the state dir */
    (void)berth_seccomp_save(j->seccomp, &at, &ignored);
    berth_error_release(&ignored);
    return 0;
}

static int load(struct exec_job *j, berth_error_t *err)
{
    const char *id = j->o->id;
    int r;

    if ((r = berth_id_validate(id, err)) < 0)
        return r;
    /* No lock: state.json is replaced atomically, and 50 parallel execs
     * must not queue behind each other (or behind a long start). */
    j->dirfd = berth_state_dir_open(j->ctx->root, id, err);
    if (j->dirfd < 0)
        return j->dirfd;
    r = berth_state_read(j->dirfd, &j->state, err);
    if (r == -ENOENT) {
        berth_error_release(err);
        return berth_error_make(err, 0, "cannot exec in a container in the creating state");
    }
    if (r < 0 || (r = check_status(j, err)) < 0)
        return r;
    r = berth_hooks_load_config(j->dirfd, &j->config, err);
    if (r < 0)
        return berth_error_wrap(err, "container %s", id);
    if ((r = berth_exec_build_process(j->o, j->config, &j->process, err)) < 0 ||
        (r = check_terminal_opts(j, err)) < 0 ||
        (r = berth_exe_check_inherited_fds(&j->ctx->exe_origin, j->o->preserve_fds, err)) < 0 ||
        (r = resolve_pid_file(j, err)) < 0)
        return r;
    berth_caps_resolve(j->ctx, j->process->capabilities, &j->caps);
    j->affinity = j->process->execCPUAffinity
                      ? j->process->execCPUAffinity
                      : (j->config->process ? j->config->process->execCPUAffinity : NULL);
    /* The container's filter applies to every process of it (runc). */
    if (j->config->linux && j->config->linux->seccomp && (r = build_seccomp(j, err)) < 0)
        return r;
    if (j->state->cgroup && (r = berth_cgroup_load(j->ctx, j->state->cgroup, &j->cgroup, err)) < 0)
        return berth_error_wrap(err, "container %s", id);
    j->ns_flags = container_ns_flags(j->config);
    j->init = j->state->pid;
    /* Verified against the recorded start time: a reused pid is never
     * joined. */
    j->init_pidfd = berth_pidfd_open_verified(j->init, j->state->start_time, err);
    if (j->init_pidfd == -ESRCH) {
        berth_error_release(err);
        return berth_error_make(err, 0, "cannot exec in a stopped container");
    }
    return j->init_pidfd < 0 ? j->init_pidfd : 0;
}

/* ---- 2. spawn ----------------------------------------------------------- */

/* execCPUAffinity.initial: "a list of CPUs a runtime parent process to be
 * run on initially, before the transition to container's cgroup" (config.md
 * "Linux Process"): the joiner inherits it from us at the clone, and we
 * take our own back right after; `final` is the process's (process-setup.c). */
static int clone_joiner(struct exec_job *j, berth_error_t *err)
{
    const char *initial =
        j->affinity && j->affinity->initial && *j->affinity->initial ? j->affinity->initial : NULL;
    struct berth_cpu_mask own;
    pid_t pid;
    int r;

    if (initial && (r = berth_cpu_affinity_get(&own)) < 0)
        return berth_error_make(err, -r, "exec: sched_getaffinity");
    if (initial && (r = berth_cpu_affinity_set(initial, "execCPUAffinity.initial", err)) < 0)
        return r;
    pid = berth_process_clone_into(0, j->cgroup_join.v2_dirfd, NULL, &j->cgroup_placed, err);
    if (pid == 0)
        berth_exec_joiner_main(j); /* never returns */
    if (initial)
        (void)berth_cpu_affinity_put(&own);
    if (pid < 0)
        return berth_error_wrap(err, "exec");
    j->joiner = pid;
    return 0;
}

/* The joiner enters the container's cgroup by itself, born in the
 * cgroup2 directory (clone3 CLONE_INTO_CGROUP) and writing "0" to the v1
 * `tasks` files: no cgroup.procs write of ours, whose lock waits for an
 * RCU grace period (cgroup-join.h; dense exec probes contend on it:
 * runc PR#4782). */
static int spawn(struct exec_job *j, berth_error_t *err)
{
    int r = berth_sync_pair(j->sync, err);

    if (r < 0)
        return r;
    if (!j->cgroup && j->o->cgroup)
        return berth_error_make(err, EINVAL, "--cgroup: the container has no cgroup");
    if (j->cgroup &&
        (r = berth_cgroup_join_prepare_sub(j->cgroup, j->o->cgroup, &j->cgroup_join, err)) < 0)
        return berth_error_wrap(err, "exec");
    if ((r = clone_joiner(j, err)) < 0)
        return r;
    j->sync[1] = safe_close(j->sync[1]);
    berth_cgroup_join_release(&j->cgroup_join);
    return 0;
}

/* ---- 3. serve ----------------------------------------------------------- */

static int got_pid(struct exec_job *j, pid_t pid, berth_error_t *err)
{
    int status, r;

    j->pid = pid;
    /* Our child (CLONE_PARENT) and not yet reaped: the pid is its own. */
    j->pidfd = berth_pidfd_open(pid, err);
    if (j->pidfd < 0)
        return j->pidfd;
    r = berth_process_wait(j->joiner, &status, err);
    j->joiner = 0;
    if (r < 0)
        return r;
    /* intelRdt: into the container's resctrl group before it goes on, as
     * runc's setns process (resctrl.h; a no-op without one). */
    if ((r = berth_resctrl_join(j->dirfd, pid, err)) < 0)
        return r;
    return berth_sync_send(j->sync[0], BERTH_SYNC_INIT_GO, 0, NULL, err);
}

static int hand_out_seccomp_fd(struct exec_job *j, berth_error_t *err)
{
    oci_state state = {
        .ociVersion = (char *)OCI_SPEC_VERSION,
        .id = j->state->id,
        .status = (char *)"running",
        .pid = j->pid,
        .pid_present = true,
        .bundle = j->state->bundle,
        .annotations = j->config->annotations,
    };
    int r =
        berth_seccomp_notify_hand_out(j->seccomp, j->config->linux->seccomp, j->pidfd, &state, err);

    if (r <= 0) /* 0: the load failed, its ERROR comes next */
        return r;
    /* the process waits for this before its execve closes the fd */
    return berth_sync_send(j->sync[0], BERTH_SYNC_INIT_GO, 0, NULL, err);
}

static int child_gone(struct exec_job *j, berth_error_t *err)
{
    int status = 0;

    if (j->joiner > 0 && berth_process_wait(j->joiner, &status, err) == 0)
        j->joiner = 0;
    return berth_error_make(err, EPIPE, "exec: the process died during setup (status %#x)", status);
}

static int serve(struct exec_job *j, berth_error_t *err)
{
    for (;;) {
        struct berth_sync_msg m;
        int r = berth_sync_recv(j->sync[0], &m, err);

        if (r < 0)
            return r;
        if (r == 0) /* every copy of the O_CLOEXEC socket is gone */
            return j->pid > 0 && j->joiner == 0 ? 0 : child_gone(j, err);
        switch (m.type) {
        case BERTH_SYNC_INIT_PID:
            r = got_pid(j, m.value, err);
            break;
        case BERTH_SYNC_TERMINAL:
            r = berth_terminal_recv_fd(j->sync[0], &j->console_master, NULL, err);
            break;
        case BERTH_SYNC_SECCOMP:
            r = hand_out_seccomp_fd(j, err);
            break;
        case BERTH_SYNC_WARN:
            berth_warn(j->ctx, "%s", m.text);
            break;
        case BERTH_SYNC_ERROR:
            return berth_sync_error_from(&m, err);
        default:
            return berth_error_make(err, EPROTO, "sync: unexpected %s from the exec process",
                                    berth_sync_type_name(m.type));
        }
        if (r < 0)
            return r;
    }
}

/* ---- 4. hand out -------------------------------------------------------- */

/* Before the clone, as runc dials them (terminal.h): nobody listening
 * fails exec before it starts anything; a peer gone by the end fails the
 * send instead of losing the fd. */
static int connect_sockets(struct exec_job *j, berth_error_t *err)
{
    if (j->o->pidfd_socket) {
        j->pidfd_sock = berth_console_socket_connect(j->o->pidfd_socket, err);
        if (j->pidfd_sock < 0)
            return berth_error_wrap(err, "pidfd socket `%s`", j->o->pidfd_socket);
    }
    if (j->o->console_socket && j->process->terminal) {
        j->console_sock = berth_console_socket_connect(j->o->console_socket, err);
        if (j->console_sock < 0)
            return j->console_sock;
    }
    return 0;
}

static int hand_out(struct exec_job *j, berth_error_t *err)
{
    int r;

    if (j->pid_file && (r = berth_pid_file_write(j->pid_file, j->pid, err)) < 0)
        return r;
    if (j->pidfd_sock >= 0) {
        r = berth_terminal_send_fd(j->pidfd_sock, j->pidfd, "pidfd", err);
        if (r < 0)
            return berth_error_wrap(err, "pidfd socket `%s`", j->o->pidfd_socket);
    }
    if (j->console_master >= 0 && j->console_sock >= 0) {
        r = berth_terminal_send_master(j->console_sock, j->console_master, j->o->console_socket,
                                       err);
        if (r < 0)
            return r;
        j->console_master = safe_close(j->console_master);
    }
    return 0;
}

/* ---- 5. foreground ------------------------------------------------------ */

static int foreground(struct exec_job *j, const sigset_t *set, int *ret_status, berth_error_t *err)
{
    struct berth_terminal_proxy *proxy = NULL;
    int status = 0, r;

    if (j->console_master >= 0) {
        r = berth_terminal_proxy_start(TAKE_FD(j->console_master), &proxy, err);
        if (r < 0)
            return r;
    }
    r = berth_foreground_wait(j->pid, j->pidfd, proxy, set, &status, err);
    if (r >= 0)
        j->pid = 0; /* reaped */
    if (proxy)
        berth_terminal_proxy_finish(proxy, r < 0 ? 0 : 1000);
    if (r < 0)
        return r;
    *ret_status = berth_process_exit_code(status);
    return 0;
}

/* ---- exec --------------------------------------------------------------- */

static int run_exec(struct exec_job *j, const sigset_t *set, int *ret_status, berth_error_t *err)
{
    int r;

    if ((r = load(j, err)) < 0 || (r = connect_sockets(j, err)) < 0 || (r = spawn(j, err)) < 0 ||
        (r = serve(j, err)) < 0 || (r = hand_out(j, err)) < 0)
        return r;
    *ret_status = 0;
    if (j->o->detach) {
        j->pid = 0; /* runs on without us */
        return 0;
    }
    return foreground(j, set, ret_status, err);
}

int berth_container_exec(const struct berth_context *ctx, const struct berth_exec_opts *o,
                         int *ret_status, berth_error_t *err)
{
    _cleanup_(exec_job_release) struct exec_job j = EXEC_JOB_INIT;
    sigset_t set, old;
    int r;

    j.ctx = ctx;
    j.o = o;
    /* Blocked from before the clone, so that none sent meanwhile is lost;
     * the process unblocks them for itself (berth_signals_reset). */
    berth_foreground_sigset(&set, false);
    if (!o->detach)
        sigprocmask(SIG_BLOCK, &set, &old);
    berth_debug(ctx, "exec %s: %s%s", o->id, o->process_file ? "process " : "",
                o->process_file ? o->process_file : (o->nargs ? o->args[0] : "?"));
    r = run_exec(&j, &set, ret_status, err);
    if (!o->detach)
        sigprocmask(SIG_SETMASK, &old, NULL);
    return r;
}
