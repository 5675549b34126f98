/* init.c: the container init, a flat list of steps from "just cloned" to
 * "execve(process.args)". Each step's error carries its context and reaches
 * the caller of `berth create` over the sync socket (sync.h); the order of
 * the steps is the security-relevant part and every ordering constraint is
 * explained where it applies.
 *
 * CVE-2019-5736 (a container overwriting the runtime binary through
 * /proc/PID/exe): `berth create` runs from a sealed handle on its binary
 * (exe-seal.h), so the init, its clone, never has the host's binary as its
 * executable, even when the container makes it execute /proc/self/exe.
 * On top of that the init is non-dumpable until its execve (steps 1 and
 * 16) and every fd of berth is close-on-exec (step 15). */
#include "init.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "hooks/hooks.h"
#include "security/security.h"
#include "ns/ns.h"
#include "proc-attrs.h"
#include "process-setup.h"
#include "process.h"
#include "rootfs/rootfs.h"
#include "sync.h"
#include "terminal/terminal.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Sends the error to the parent and exits: the only way out of a failed
 * step, so the parent always learns the cause. */
static _Noreturn void fail(const struct berth_launch *l, berth_error_t *err)
{
    berth_sync_send_error(l->sync_fd, err);
    _exit(1);
}

static void warn(const struct berth_launch *l, const char *text)
{
    berth_error_t ignored = NULL;

    (void)berth_sync_send(l->sync_fd, BERTH_SYNC_WARN, 0, text, &ignored);
    berth_error_release(&ignored);
}

/* While being set up the init must not outlive `berth create`: nobody would
 * find it. Cleared again once state.json records it (RECORDED), just
 * before READY (run: at START). A parent that died before this was armed
 * is noticed at the next receive or send (EOF, EPIPE), always before READY. */
static int arm_parent_death(int sig, berth_error_t *err)
{
    if (prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) < 0)
        return berth_error_errno(err, "prctl(PR_SET_PDEATHSIG)");
    return 0;
}

/* Every receive of the init: RECORDED comes unasked, once, after
 * CGROUP_READY's fds (one stage) or INIT_GO's sources (two), written while
 * we set up; whichever receive meets it notes it and, unless RECORDED is
 * what it waits for, reads on. */
static int init_recv(struct berth_launch *l, enum berth_sync_type want, struct berth_sync_msg *m,
                     berth_error_t *err)
{
    for (;;) {
        int r = berth_sync_recv(l->sync_fd, m, err);

        if (r <= 0 || m->type != BERTH_SYNC_RECORDED || l->recorded)
            return r;
        l->recorded = true;
        if (want == BERTH_SYNC_RECORDED)
            return r;
    }
}

/* init_recv of `want` into *m; an ERROR from the parent becomes the
 * error. */
static int init_expect_msg(struct berth_launch *l, enum berth_sync_type want,
                           struct berth_sync_msg *m, berth_error_t *err)
{
    int r = init_recv(l, want, m, err);

    if (r == 0)
        return berth_error_make(err, EPIPE, "wait for %s: berth create went away",
                                berth_sync_type_name(want));
    if (r < 0)
        return r;
    if (m->type == BERTH_SYNC_ERROR)
        return berth_sync_error_from(m, err);
    if (m->type != want || m->value < 0)
        return berth_error_make(err, EPROTO, "sync: %s while waiting for %s",
                                berth_sync_type_name(m->type), berth_sync_type_name(want));
    return 0;
}

static int init_expect(struct berth_launch *l, enum berth_sync_type want, berth_error_t *err)
{
    struct berth_sync_msg m;

    return init_expect_msg(l, want, &m, err);
}

/* Before the parent-death signal is cleared: state.json must hold us, or a
 * create killed now would leave an init nobody can find (issue 21). */
static int await_recorded(struct berth_launch *l, berth_error_t *err)
{
    return l->recorded ? 0 : init_expect(l, BERTH_SYNC_RECORDED, err);
}

/* Receives `want`, whose value counts the bind sources the parent sends
 * with it (mount-sources.h). */
static int recv_with_sources(struct berth_launch *l, enum berth_sync_type want, berth_error_t *err)
{
    struct berth_sync_msg m;
    int r = init_expect_msg(l, want, &m, err);

    if (r < 0)
        return r;
    return berth_mount_sources_recv(l->sync_fd, (size_t)m.value, l->config->mounts_len,
                                    &l->mount_sources, err);
}

/* The parent writes the id maps of the user namespace we just created;
 * until then we are nobody in it and may not mount or chown anything. */
static void userns_handshake(struct berth_launch *l)
{
    berth_error_t err = NULL;

    /* The parent writes our /proc/PID/[ug]id_map: only possible (for a
     * parent without CAP_SYS_PTRACE) while we are dumpable. Safe for this
     * window: nothing is mounted yet, and our pid namespace, if any, is a
     * new one with only us in it (a joined one is entered by the boot's
     * child, after this). With the maps come the bind sources the parent
     * opened for us (mount-sources.h). */
    (void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    if (berth_sync_send(l->sync_fd, BERTH_SYNC_USERNS_READY, 0, NULL, &err) < 0 ||
        recv_with_sources(l, BERTH_SYNC_USERNS_MAPPED, &err) < 0 ||
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || berth_userns_become_root(&err) < 0 ||
        /* a credential change cleared the parent-death signal */
        arm_parent_death(SIGKILL, &err) < 0)
        fail(l, &err);
}

/* Two-stage launch (namespaces.h): runs in the "boot" child, returns only
 * in the init it forks; the boot child itself exits here. */
static void boot_stage(struct berth_launch *l)
{
    berth_error_t err = NULL;
    pid_t pid;

    /* Joined namespaces first (user first, see namespaces.c), while we
     * still hold the host privileges that setns() into them needs. */
    if (berth_ns_join_all(&l->ns, &err) < 0)
        fail(l, &err);
    berth_ns_plan_release(&l->ns);
    /* A joined user namespace: become its root (our host uid 0 is not
     * mapped there, files we create would fail with EOVERFLOW). */
    if (l->ns.user && !l->ns.user_new &&
        (berth_userns_become_root(&err) < 0 || arm_parent_death(SIGKILL, &err) < 0))
        fail(l, &err);
    if (l->ns.user_new) {
        if (unshare(CLONE_NEWUSER) < 0) {
            berth_error_errno(&err, "unshare user namespace");
            fail(l, &err);
        }
        userns_handshake(l);
    }
    /* Created after the user namespace, so that it owns them all. */
    if (berth_ns_unshare_rest(&l->ns, &err) < 0)
        fail(l, &err);
    /* time_namespaces(7): offsets only before the first process enters. */
    if ((l->ns.new_flags & CLONE_NEWTIME) &&
        berth_ns_write_time_offsets(l->config->linux->timeOffsets, &err) < 0)
        fail(l, &err);
    /* The init inherits this: it appears in a pid namespace that may be
     * joined (other processes already in it) holding berth's fds, and must
     * not be dumpable there even before its own step 1 (CVE-2016-9962). */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
        berth_error_errno(&err, "prctl(PR_SET_DUMPABLE)");
        fail(l, &err);
    }
    /* CLONE_PARENT: the init becomes berth's child (so berth can wait for
     * it and get its pidfd), and pid 1 of a new pid namespace. */
    pid = berth_process_clone(CLONE_PARENT, NULL, &err);
    if (pid < 0)
        fail(l, &err);
    if (pid == 0) {
        /* The init: nothing from us may reach the parent before the boot's
         * INIT_PID has, so wait for the parent to confirm it. */
        if (recv_with_sources(l, BERTH_SYNC_INIT_GO, &err) < 0)
            fail(l, &err);
        return;
    }
    if (berth_sync_send(l->sync_fd, BERTH_SYNC_INIT_PID, pid, NULL, &err) < 0)
        _exit(1);
    _exit(0);
}

/* process.terminal: a pty of the container's devpts becomes our stdio and
 * controlling tty; its master goes to the parent (for --console-socket or
 * run's proxy) over the sync socket and is closed here. */
static int setup_terminal(const struct berth_launch *l, const oci_process *p, berth_error_t *err)
{
    _cleanup_close_ int master = -1;
    char name[64];
    int r;

    r = berth_terminal_setup_in_init(p, l->ns.new_flags & CLONE_NEWNS,
                                     p->user ? p->user->uid : (uid_t)-1, &master, err);
    if (r < 0)
        return r;
    berth_pty_name(master, name, sizeof(name));
    r = berth_sync_send(l->sync_fd, BERTH_SYNC_TERMINAL, 0, name, err);
    if (r < 0)
        return r;
    return berth_terminal_send_fd(l->sync_fd, master, name, err);
}

/* linux.seccomp. With a notify action the parent is told first: it copies
 * the listener fd out of us (pidfd_getfd) while we go on, so we make no
 * syscall for the handover that the filter could catch (crun#1002). */
static int load_seccomp(const struct berth_launch *l, berth_error_t *err)
{
    int r;

    if (!l->seccomp)
        return 0;
    if (l->seccomp->notify) {
        r = berth_sync_send(l->sync_fd, BERTH_SYNC_SECCOMP, 0, NULL, err);
        if (r < 0)
            return r;
    }
    return berth_seccomp_load(l->seccomp, NULL, err);
}

/* berth_process_apply's hook for the filter without no_new_privs. */
static int load_seccomp_early(void *data, berth_error_t *err)
{
    return load_seccomp(data, err);
}

/* Where the init enters its cgroup (cgroup-join.h): as late as the config
 * allows, so that the kernel objects of berth's own setup (the mounts of
 * the rootfs, their dentries and inodes, pivot_root's) are charged to
 * berth's cgroup and not to the container's memory limit (issue 9: a
 * container runs under a 128 KiB limit). The first point that applies:
 *  - EARLY (step 1b): with a cgroup namespace, which is rooted at the
 *    cgroup of the process that makes it, and whose cgroupfs mounts show
 *    only what is below that root;
 *  - HOOKS (before the create hooks): prestart, createRuntime and
 *    createContainer hooks find the container through its pid
 *    (/proc/PID/cgroup: device plugins, GPU hooks);
 *  - LATE (after the rootfs is final): before the process setup, which
 *    drops the capabilities and loads seccomp (a filter must not see the
 *    write). The cgroup binds of the rootfs name the container's
 *    directories directly (mount.h), not through /proc/self/cgroup.
 * READY comes after all three: create never returns with the init
 * outside its cgroup. */
enum join_point { JOIN_EARLY, JOIN_HOOKS, JOIN_LATE };

static enum join_point cgroup_join_point(const struct berth_launch *l)
{
    const oci_config *c = l->config;

    for (size_t i = 0; c->linux && i < c->linux->namespaces_len; i++)
        if (strcmp(c->linux->namespaces[i].type, "cgroup") == 0)
            return JOIN_EARLY;
    if (berth_hooks_have(c->hooks, BERTH_HOOK_PRESTART) ||
        berth_hooks_have(c->hooks, BERTH_HOOK_CREATE_RUNTIME) ||
        berth_hooks_have(c->hooks, BERTH_HOOK_CREATE_CONTAINER))
        return JOIN_HOOKS;
    return JOIN_LATE;
}

/* CGROUP_READY (sync.h): the parent has made the v1 directories and
 * applied the resources, and sends their `tasks` fds. Taken once, at the
 * first step that needs the cgroup. */
static int await_cgroup(struct berth_launch *l, berth_error_t *err)
{
    struct berth_sync_msg m;
    int r;

    if (l->cgroup_ready)
        return 0;
    r = init_expect_msg(l, BERTH_SYNC_CGROUP_READY, &m, err);
    if (r < 0)
        return r;
    r = berth_cgroup_join_recv(l->sync_fd, &l->cgroup_join, (size_t)m.value, l->cgroup_dirs,
                               l->ncgroup_dirs, err);
    if (r < 0)
        return r;
    l->cgroup_ready = true;
    return 0;
}

/* berth_rootfs's hook before the cgroup mount binds the directories. */
static int await_cgroup_dirs(void *data, berth_error_t *err)
{
    return await_cgroup(data, err);
}

static void join_cgroup_at(struct berth_launch *l, enum join_point here)
{
    berth_error_t err = NULL;

    if (cgroup_join_point(l) == here &&
        (await_cgroup(l, &err) < 0 ||
         berth_cgroup_join_self(&l->cgroup_join, l->cgroup_placed, &err) < 0))
        fail(l, &err);
}

/* runtime.md "Lifecycle" steps 3-5, once our namespaces and mounts exist
 * and before pivot_root: the parent runs prestart and createRuntime in the
 * runtime namespace, then we run createContainer in ours (config.md: its
 * path resolves in the runtime mount namespace, which we still see). */
static int run_create_hooks(struct berth_launch *l, berth_error_t *err)
{
    const oci_config *c = l->config;
    int r;

    /* Also for createContainer alone: from here on a failure stops the
     * container and the parent runs poststop (runtime.md step 12). */
    if (berth_hooks_have(c->hooks, BERTH_HOOK_PRESTART) ||
        berth_hooks_have(c->hooks, BERTH_HOOK_CREATE_RUNTIME) ||
        berth_hooks_have(c->hooks, BERTH_HOOK_CREATE_CONTAINER)) {
        r = berth_sync_send(l->sync_fd, BERTH_SYNC_HOOKS, 0, NULL, err);
        if (r < 0 || (r = init_expect(l, BERTH_SYNC_HOOKS_DONE, err)) < 0)
            return r;
    }
    if (!berth_hooks_have(c->hooks, BERTH_HOOK_CREATE_CONTAINER))
        return 0;
    /* They run in the container's root as their working directory, as
     * runc runs them: hooks written for runc use relative paths into the
     * rootfs (prestart and createRuntime run in the bundle). */
    if (chdir(l->rootfs) < 0)
        return berth_error_errno(err, "createContainer hooks: chdir `%s`", l->rootfs);
    return berth_hooks_run_kind(c->hooks, BERTH_HOOK_CREATE_CONTAINER, l->id, getpid(), l->bundle,
                                &c->annotations, err);
}

/* runtime-linux.md "File descriptors": only stdio and the preserved fds
 * 3..3+N-1 reach the container. The caller's fds are the ones without
 * close-on-exec (an fd inherited through execve has none), and every fd of
 * berth's own is O_CLOEXEC, so berth's fds that happen to sit in that
 * range (a cgroup directory, the state dir: CVE-2024-21626 class) close at
 * the execve like the others. Above the range, the caller's are closed too. */
static int prepare_fds(const struct berth_launch *l, berth_error_t *err)
{
    if (syscall(SYS_close_range, 3 + l->extra_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        return berth_error_errno(err, "close_range");
    return 0;
}

/* The fifo lives in the state dir, outside the container's root; we hold
 * it as an O_PATH fd taken before pivot and reopen it through /proc (as
 * runc does), so check now that this will work, while errors still reach
 * `berth create`. */
static int check_fifo(const struct berth_launch *l, char *path, size_t size, berth_error_t *err)
{
    snprintf(path, size, "/proc/self/fd/%d", l->fifo_fd);
    if (access(path, F_OK) < 0)
        return berth_error_errno(err, "exec.fifo: `%s` (is /proc mounted in the container?)", path);
    return 0;
}

/* Blocks until `berth start` opens the read end. */
static int wait_for_start(const char *fifo_path)
{
    int fd = open(fifo_path, O_WRONLY | O_CLOEXEC);

    if (fd < 0) {
        dprintf(STDERR_FILENO, "berth init: exec.fifo: %s\n", strerror(errno));
        _exit(1);
    }
    return fd;
}

/* Answers `berth start` on the fifo: "0" = the program runs now, or "1"
 * followed by the error text (one write below PIPE_BUF, so start reads it
 * whole) when a startContainer hook failed, after which we exit. */
static void answer_start(int fd, const berth_error_t *err)
{
    char buf[1024];
    int len = snprintf(buf, sizeof(buf), "%s%s", *err ? "1" : "0", *err ? (*err)->msg : "");

    if (len >= (int)sizeof(buf))
        len = sizeof(buf) - 1;
    if (write(fd, buf, len) != len && !*err) {
        dprintf(STDERR_FILENO, "berth init: exec.fifo: %s\n", strerror(errno));
        _exit(1);
    }
    close(fd);
    if (*err) {
        dprintf(STDERR_FILENO, "berth init: %s\n", (*err)->msg);
        _exit(1);
    }
}

/* `berth run` starts what it created itself: no exec.fifo, the go-ahead
 * comes over the sync socket (START), and the answer goes back on it
 * (STARTED, or the startContainer hook's ERROR, after which we exit).
 * The parent-death signal stays armed until START: a `berth run` that
 * dies before it must not leave a created container nobody knows of. */
static void run_started(struct berth_launch *l)
{
    const oci_config *c = l->config;
    berth_error_t err = NULL;

    if (berth_sync_send(l->sync_fd, BERTH_SYNC_READY, 0, NULL, &err) < 0)
        fail(l, &err);
    if (init_expect(l, BERTH_SYNC_START, &err) < 0 || await_recorded(l, &err) < 0)
        _exit(1); /* berth run went away: nobody to tell */
    (void)prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
    /* runtime.md step 7, as in the fifo path below. */
    if (berth_hooks_run_kind(c->hooks, BERTH_HOOK_START_CONTAINER, l->id, getpid(), l->bundle,
                             &c->annotations, &err) < 0)
        fail(l, &err);
    if (berth_sync_send(l->sync_fd, BERTH_SYNC_STARTED, 0, NULL, &err) < 0)
        _exit(1);
    l->sync_fd = safe_close(l->sync_fd);
}

static _Noreturn void exec_process(const char *path, const oci_process *p, char **env)
{
    int r = berth_process_execve(path, p, env);

    /* Only at start time: the create-time lookup already succeeded. */
    dprintf(STDERR_FILENO, "exec: \"%s\": %s\n", p->args[0], strerror(-r));
    _exit(r == -ENOENT ? 127 : 126);
}

/* CVE-2024-21626: a process.cwd reached through an fd that leaked into
 * the init (/proc/self/fd/N) lies outside our root; getcwd() then fails or
 * returns "(unreachable)/...". runc's wording. */
static int check_cwd(berth_error_t *err)
{
    char buf[PATH_MAX];

    if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
        return berth_error_make(err, EPERM,
                                "current working directory is outside of container mount "
                                "namespace root -- possible container breakout detected");
    return 0;
}

_Noreturn void berth_init_main(struct berth_launch *l)
{
    const oci_config *c = l->config;
    const oci_process *p = c->process;
    berth_error_t err = NULL;
    _cleanup_free_ char *exe = NULL;
    char fifo_path[64];
    int fifo_fd;
    char **env = NULL;
    char *warning = NULL;
    int r;
    struct berth_process_setup setup = {
        .p = p,
        .personality = c->linux ? c->linux->personality : NULL,
        .memory_policy = c->linux ? c->linux->memoryPolicy : NULL,
        .caps = &l->caps,
        .load_seccomp = l->seccomp ? load_seccomp_early : NULL,
        .data = l,
        /* A notify filter's listener is taken by `berth create`, which
         * is gone by the time of start: loaded before READY instead. */
        .seccomp_last = l->seccomp && !l->seccomp->notify,
    };
    struct berth_rootfs rootfs = {
        .config = c,
        .rootfs = l->rootfs,
        .bundle = l->bundle,
        .no_pivot = l->no_pivot,
        /* runc's useBindMount: a new user namespace, or berth's own is
         * not the initial one (rootless podman): no mknod there */
        .userns = l->ns.user || l->ctx->in_userns,
        .idmap_trees = &l->idmap_trees,
        .mount_sources = &l->mount_sources,
        .cgroup_dirs = l->cgroup_dirs,
        .ncgroup_dirs = l->ncgroup_dirs,
        .await_cgroup = await_cgroup_dirs,
        .await_data = l,
    };

    /* 1. Only our end of the socketpair (the parent sees EOF when we die,
     *    we see EOF when it dies), and none of the parent's fds: its state
     *    dir lock must end when create returns. */
    l->parent_sync_fd = safe_close(l->parent_sync_fd);
    for (size_t i = 0; i < sizeof(l->parent_fds) / sizeof(l->parent_fds[0]); i++)
        l->parent_fds[i] = safe_close(l->parent_fds[i]);
    if (arm_parent_death(SIGKILL, &err) < 0)
        fail(l, &err);
    /* CVE-2016-9962, CVE-2019-5736: non-dumpable from the start until the
     *    execve of step 18 resets it. We hold host fds (state dir, rootfs,
     *    bundle) and our /proc/PID/exe is the host's berth binary; a
     *    process of a pid namespace we join must not ptrace us or open our
     *    /proc files (it would need CAP_SYS_PTRACE over us). */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
        berth_error_errno(&err, "prctl(PR_SET_DUMPABLE)");
        fail(l, &err);
    }

    /* 1b. With a cgroup namespace, into the container's cgroup now, before
     *     the namespace is made (cgroup_join_point). We move ourselves
     *     (cgroup-join.h); we are single-threaded, so moving this thread
     *     moves the process. The parent's CGROUP_READY comes before any
     *     other message it sends: with a user namespace or two stages
     *     (USERNS_MAPPED, INIT_GO come next) it is taken first. */
    if ((l->ns.user_new || l->ns.two_stage) && await_cgroup(l, &err) < 0)
        fail(l, &err);
    join_cgroup_at(l, JOIN_EARLY);

    /* 2. Namespaces. One stage: clone3 created them all but the cgroup one,
     *    only the user namespace still needs its maps. Two stages:
     *    join/unshare here. */
    if (l->ns.two_stage) {
        boot_stage(l);
        if (arm_parent_death(SIGKILL, &err) < 0) /* not inherited by fork */
            fail(l, &err);
    } else {
        if (l->ns.user_new)
            userns_handshake(l);
        if ((l->ns.new_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0) {
            berth_error_errno(&err, "unshare cgroup namespace");
            fail(l, &err);
        }
    }

    /* 2b. A network namespace of our own gets its loopback up (netdev.h),
     *     before any hook or the process could want 127.0.0.1. */
    if ((l->ns.new_flags & CLONE_NEWNET) && berth_netns_loopback_up(&err) < 0)
        fail(l, &err);

    /* 3. A session of our own (no controlling terminal of berth's), and
     *    berth's signal mask/ignored signals must not reach the process. */
    if (setsid() < 0 && errno != EPERM) {
        berth_error_errno(&err, "setsid");
        fail(l, &err);
    }
    if (berth_signals_reset(&err) < 0)
        fail(l, &err);

    /* 4. UTS namespace (validation: hostname needs one). */
    if (berth_uts_apply(c, &err) < 0)
        fail(l, &err);

    /* 5. A session keyring of the container's own (--no-new-keyring keeps
     *    berth's), joined before the user switch like runc. */
    if (!l->no_new_keyring && berth_keyring_join(l->id, l->ns.user, &err) < 0)
        fail(l, &err);

    /* 5b. LSM labels the host cannot apply fail create before any mount
     *     (mountLabel applies to them): label.h. */
    if (berth_label_check(c, &err) < 0)
        fail(l, &err);

    /* 6. Root filesystem, in our own mount namespace: mounts never touch
     *    the host, so a failed create leaves no mount behind. Between
     *    prepare and pivot: the create hooks (runtime.md steps 3-5). */
    if (berth_rootfs_prepare(&rootfs, &err) < 0)
        fail(l, &err);
    join_cgroup_at(l, JOIN_HOOKS);
    if (run_create_hooks(l, &err) < 0 || berth_rootfs_pivot(&rootfs, &err) < 0)
        fail(l, &err);
    /* The idmapped trees and bind sources are attached now: none may reach
     * the process. */
    berth_idmap_trees_free(&l->idmap_trees);
    berth_mount_sources_free(&l->mount_sources);

    /* 7. sysctl through the container's /proc/sys, after pivot (and before
     *    finalize makes paths read-only), as runc. */
    if (berth_sysctl_apply(c->linux, &err) < 0)
        fail(l, &err);

    /* 7b. The console: needs the container's /dev/ptmx (after pivot), a
     *     session of our own (step 3) and CAP_SYS_ADMIN for the
     *     /dev/console bind (before the user switch). */
    if (p && p->terminal && setup_terminal(l, p, &err) < 0)
        fail(l, &err);
    if (berth_rootfs_finalize(&rootfs, &err) < 0)
        fail(l, &err);
    /* 7c. The cgroup, unless a step above needed it earlier. */
    join_cgroup_at(l, JOIN_LATE);

    if (p) {
        /* 8. The exec labels first: AppArmor refuses most profile changes
         *    under no_new_privs (step 12), and the write goes through a
         *    verified procfs now that the container's mounts are final. */
        if (berth_label_apply(p, &err) < 0)
            fail(l, &err);

        /* 8-13. Still privileged: rlimits, oomScoreAdj, personality,
         *       scheduler, ioPriority, memory policy, the CPU affinity
         *       reset to the cpuset; seccomp without no_new_privs (needs
         *       CAP_SYS_ADMIN); the bounding set (needs CAP_SETPCAP); user
         *       (groups, gid, uid); capabilities; no_new_privs; umask; cwd
         *       as the user. Shared with `berth exec`; the order and its
         *       reasons are in process-setup.c. */
        r = berth_process_apply(&setup, &warning, &err);
        if (warning)
            warn(l, warning);
        if (r < 0 || check_cwd(&err) < 0)
            fail(l, &err);

        /* 14. args[0] must exist now: create, not start, reports it. */
        if (berth_find_executable(p, &exe, &err) < 0)
            fail(l, &err);
        env = berth_process_env(p, l->listen_fds);
        if (!env) {
            berth_error_make(&err, ENOMEM, "build environment");
            fail(l, &err);
        }
    }

    /* 15. fds: nothing of berth's may reach the container process. */
    if (prepare_fds(l, &err) < 0 ||
        (!l->run_start && check_fifo(l, fifo_path, sizeof(fifo_path), &err) < 0))
        fail(l, &err);

    /* 15b. A notify filter with no_new_privs: before READY, while
     *      `berth create` is there to take its listener (berth-seccomp.h);
     *      it sees the few syscalls listed in seccomp.c. Every other
     *      filter is the last step (18). */
    if (p && p->noNewPrivileges && l->seccomp && !setup.seccomp_last && load_seccomp(l, &err) < 0)
        fail(l, &err);

    /* 16. READY: create returns. Non-dumpable until the exec (which
     *     resets it): while we wait, no container process may open our
     *     /proc files (our exe is berth's sealed handle, exe-seal.h; our
     *     memory holds the whole config). Set again: a
     *     credential change (step 10) resets it to the host's
     *     fs.suid_dumpable. */
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (l->run_start) {
        run_started(l);
    } else {
        /* `berth create` exits right after reading READY. */
        if (await_recorded(l, &err) < 0)
            fail(l, &err);
        (void)prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
        if (berth_sync_send(l->sync_fd, BERTH_SYNC_READY, 0, NULL, &err) < 0)
            fail(l, &err); /* reaches stderr when the socket cannot */
        l->sync_fd = safe_close(l->sync_fd);

        /* 17. Wait for `berth start` (runtime.md: process.args MUST NOT
         *     run before start). */
        fifo_fd = wait_for_start(fifo_path);

        /* 17b. runtime.md step 7: startContainer hooks, in the container,
         *      before the user program and before start is answered, so
         *      that their failure fails start and stops the container. */
        (void)berth_hooks_run_kind(c->hooks, BERTH_HOOK_START_CONTAINER, l->id, getpid(), l->bundle,
                                   &c->annotations, &err);
        answer_start(fifo_fd, &err);
    }
    if (!p)
        _exit(0); /* start refuses a config without process */

    /* 18. The user's filter, then the user's program: nothing of berth's
     *     runs under the filter, so a default-deny profile needs only what
     *     the program uses (config-linux.md "Seccomp"). The filter was
     *     compiled and checked by `berth create`; loading it is one
     *     syscall that cannot meet a config error any more. Should it fail
     *     (ENOMEM), start has already answered: the error goes to the
     *     container's stderr and the container exits 1. */
    if (berth_process_load_filter(&setup, &err) < 0) {
        dprintf(STDERR_FILENO, "berth init: %s\n", err->msg);
        _exit(1);
    }
    exec_process(exe, p, env);
}
