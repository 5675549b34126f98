/* init.c: the container init, a flat list of steps from "just cloned" to
 * "execve(process.args)". Each step's error carries its context and reaches
 * the caller of `berth create` over the sync socket (sync.h); the order of
 * the steps is the security-relevant part and every ordering constraint is
 * explained where it applies.
 *
 * CVE-2019-5736 (a container overwriting the runtime binary through
 * /proc/PID/exe): berth never re-executes /proc/self/exe, and the init
 * execs the user program directly, so after start no process of the
 * container has berth as its executable. Before start the waiting init
 * still does: it makes itself non-dumpable (step 16), so other container
 * processes cannot open its /proc/PID/exe, and every fd of berth is
 * close-on-exec (step 15). */
#include "init.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "hooks.h"
#include "label.h"
#include "ns-attrs.h"
#include "proc-attrs.h"
#include "process.h"
#include "rootfs.h"
#include "sync.h"
#include "terminal.h"
#include "userns.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

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

/* Go-style "<what>: no such file or directory" (lower-case errno text, as
 * runc prints it and engines match on), keeping the errno as status. */
static int error_go(berth_error_t *err, int errnum, const char *fmt, ...)
{
    _cleanup_free_ char *what = NULL;
    char text[128];
    va_list ap;
    int r;

    va_start(ap, fmt);
    if (vasprintf(&what, fmt, ap) < 0)
        what = NULL;
    va_end(ap);
    snprintf(text, sizeof(text), "%s", strerror(errnum));
    text[0] = tolower((unsigned char)text[0]);
    r = berth_error_make(err, 0, "%s: %s", what ? what : "?", text);
    if (*err)
        (*err)->status = errnum;
    return r < 0 && errnum > 0 ? -errnum : r;
}

/* While being set up the init must not outlive `berth create`: nobody would
 * ever reap or release it. Cleared again just before READY. */
static int arm_parent_death(int sig, berth_error_t *err)
{
    if (prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) < 0)
        return berth_error_errno(err, "prctl(PR_SET_PDEATHSIG)");
    return 0;
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
     * child, after this). */
    (void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    if (berth_sync_send(l->sync_fd, BERTH_SYNC_USERNS_READY, 0, NULL, &err) < 0 ||
        berth_sync_expect(l->sync_fd, BERTH_SYNC_USERNS_MAPPED, &err) < 0 ||
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
    /* CLONE_PARENT: the init becomes berth's child (so berth can wait for
     * it and get its pidfd), and pid 1 of a new pid namespace. */
    pid = berth_process_clone(CLONE_PARENT, NULL, &err);
    if (pid < 0)
        fail(l, &err);
    if (pid == 0) {
        /* The init: nothing from us may reach the parent before the boot's
         * INIT_PID has, so wait for the parent to confirm it. */
        if (berth_sync_expect(l->sync_fd, BERTH_SYNC_INIT_GO, &err) < 0)
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

/* runtime.md "Lifecycle" steps 3-5, once our namespaces and mounts exist
 * and before pivot_root: the parent runs prestart and createRuntime in the
 * runtime namespace, then we run createContainer in ours (config.md: its
 * path resolves in the runtime mount namespace, which we still see). */
static int run_create_hooks(const struct berth_launch *l, berth_error_t *err)
{
    const oci_config *c = l->config;
    int r;

    /* Also for createContainer alone: from here on a failure stops the
     * container and the parent runs poststop (runtime.md step 12). */
    if (berth_hooks_have(c->hooks, BERTH_HOOK_PRESTART) ||
        berth_hooks_have(c->hooks, BERTH_HOOK_CREATE_RUNTIME) ||
        berth_hooks_have(c->hooks, BERTH_HOOK_CREATE_CONTAINER)) {
        r = berth_sync_send(l->sync_fd, BERTH_SYNC_HOOKS, 0, NULL, err);
        if (r < 0 || (r = berth_sync_expect(l->sync_fd, BERTH_SYNC_HOOKS_DONE, err)) < 0)
            return r;
    }
    return berth_hooks_run_kind(c->hooks, BERTH_HOOK_CREATE_CONTAINER, l->id, getpid(), l->bundle,
                                &c->annotations, err);
}

/* berth's signal mask and ignored signals would survive execve. */
static int reset_signals(berth_error_t *err)
{
    sigset_t none;

    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            (void)signal(sig, SIG_DFL);
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
        return berth_error_errno(err, "sigprocmask");
    return 0;
}

static int switch_user(const oci_user *u, berth_error_t *err)
{
    uid_t uid = u ? u->uid : 0;
    gid_t gid = u ? u->gid : 0;
    size_t ngroups = u ? u->additionalGids_len : 0;

    /* Always set: an empty list drops berth's own supplementary groups. */
    if (setgroups(ngroups, ngroups ? (const gid_t *)u->additionalGids : NULL) < 0)
        return berth_error_errno(err, "setgroups (additionalGids)");
    if (setresgid(gid, gid, gid) < 0)
        return berth_error_errno(err, "setresgid %u", (unsigned)gid);
    if (setresuid(uid, uid, uid) < 0)
        return berth_error_errno(err, "setresuid %u", (unsigned)uid);
    return 0;
}

/* config.md "Process": cwd MUST be absolute (validated); it is entered as
 * the container user, so its permissions apply as they will for the app. */
static int enter_cwd(const oci_process *p, berth_error_t *err)
{
    if (chdir(p->cwd) < 0)
        return error_go(err, errno, "chdir %s", p->cwd);
    return 0;
}

static const char *env_get(char **env, size_t len, const char *name)
{
    size_t n = strlen(name);

    for (size_t i = len; i-- > 0;)
        if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
            return env[i] + n + 1;
    return NULL;
}

static int check_executable(const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0)
        return -errno;
    if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0)
        return -EACCES;
    return 0;
}

/* Like runc (Go's exec.LookPath) at create time: resolve args[0] with the
 * container's PATH, so a missing binary fails `create`, not `start`. */
static int find_executable(const oci_process *p, char **ret, berth_error_t *err)
{
    const char *name = p->args[0];
    const char *path = env_get(p->env, p->env_len, "PATH");
    _cleanup_free_ char *dirs = NULL;
    char *saveptr = NULL;
    int r;

    if (strchr(name, '/')) {
        r = check_executable(name);
        if (r < 0)
            return error_go(err, -r, "exec: \"%s\"", name);
        *ret = strdup(name);
        return *ret ? 0 : berth_error_make(err, ENOMEM, "exec");
    }
    dirs = strdup(path ? path : DEFAULT_PATH);
    for (char *d = dirs ? strtok_r(dirs, ":", &saveptr) : NULL; d;
         d = strtok_r(NULL, ":", &saveptr)) {
        _cleanup_free_ char *candidate = NULL;
        if (asprintf(&candidate, "%s/%s", d, name) < 0)
            break;
        if (check_executable(candidate) == 0) {
            *ret = TAKE_PTR(candidate);
            return 0;
        }
    }
    r = berth_error_make(err, 0, "exec: \"%s\": executable file not found in $PATH", name);
    (*err)->status = ENOENT;
    return -ENOENT;
}

/* "HOME=..." from the container's /etc/passwd when the config does not set
 * it, as runc does; "/" when the uid has no entry. */
static char *home_of(uid_t uid)
{
    _cleanup_fclose_ FILE *f = fopen("/etc/passwd", "re");
    const char *home = "/";
    char line[1024];
    char *ret = NULL;

    while (f && fgets(line, sizeof(line), f)) {
        char *fields[7] = {0};
        char *s = line;
        size_t n = 0;

        line[strcspn(line, "\n")] = '\0';
        for (char *tok = strsep(&s, ":"); tok && n < 7; tok = strsep(&s, ":"))
            fields[n++] = tok;
        if (n >= 6 && fields[2][0] && strtoul(fields[2], NULL, 10) == uid) {
            if (fields[5][0])
                home = fields[5];
            break;
        }
    }
    if (asprintf(&ret, "HOME=%s", home) < 0)
        return NULL;
    return ret;
}

/* process.env, plus LISTEN_FDS/LISTEN_PID (socket activation, as runc:
 * LISTEN_PID is the init's pid as the container sees it) and HOME. */
static char **build_env(const struct berth_launch *l, const oci_process *p)
{
    char **env = calloc(p->env_len + 4, sizeof(char *));
    size_t n = 0;

    if (!env)
        return NULL;
    for (size_t i = 0; i < p->env_len; i++) {
        bool listen =
            !strncmp(p->env[i], "LISTEN_FDS=", 11) || !strncmp(p->env[i], "LISTEN_PID=", 11);
        if (!(listen && l->listen_fds > 0))
            env[n++] = p->env[i];
    }
    if (l->listen_fds > 0) {
        if (asprintf(&env[n++], "LISTEN_FDS=%d", l->listen_fds) < 0 ||
            asprintf(&env[n++], "LISTEN_PID=%d", (int)getpid()) < 0)
            return NULL;
    }
    if (!env_get(p->env, p->env_len, "HOME"))
        env[n++] = home_of(getuid());
    env[n] = NULL;
    return env;
}

/* runtime-linux.md "File descriptors": only stdio and the preserved fds
 * 3..3+N-1 reach the container; every other fd, berth's own included
 * (CVE-2019-5736 class leaks), is close-on-exec. */
static int prepare_fds(const struct berth_launch *l, berth_error_t *err)
{
    if (syscall(SYS_close_range, 3 + l->extra_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        return berth_error_errno(err, "close_range");
    for (int fd = 3; fd < 3 + l->extra_fds; fd++) {
        if (fd == l->sync_fd || fd == l->fifo_fd)
            continue; /* berth's own, not the caller's */
        int flags = fcntl(fd, F_GETFD);
        if (flags >= 0 && fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
            return berth_error_errno(err, "preserve fd %d", fd);
    }
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

static _Noreturn void exec_process(const char *path, const oci_process *p, char **env)
{
    /* libocispec arrays are counted, execve wants a NULL-terminated one */
    char **argv = calloc(p->args_len + 1, sizeof(char *));

    if (argv)
        memcpy(argv, p->args, p->args_len * sizeof(char *));
    execve(path, argv, env);
    /* Only at start time: the create-time lookup already succeeded. */
    dprintf(STDERR_FILENO, "exec: \"%s\": %s\n", p->args[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
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
    struct berth_rootfs rootfs = {
        .config = c,
        .rootfs = l->rootfs,
        .bundle = l->bundle,
        .no_pivot = l->no_pivot,
        .userns = l->ns.user,
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

    /* 1b. The parent moves us into the container's cgroup first: the cgroup
     *     namespace (created below, not by clone3) must be rooted there,
     *     and the rootfs' cgroup mount binds our cgroup. */
    if (berth_sync_expect(l->sync_fd, BERTH_SYNC_CGROUP_DONE, &err) < 0)
        fail(l, &err);

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

    /* 3. A session of our own (no controlling terminal of berth's), and
     *    berth's signal mask/ignored signals must not reach the process. */
    if (setsid() < 0 && errno != EPERM) {
        berth_error_errno(&err, "setsid");
        fail(l, &err);
    }
    if (reset_signals(&err) < 0)
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
    if (berth_rootfs_prepare(&rootfs, &err) < 0 || run_create_hooks(l, &err) < 0 ||
        berth_rootfs_pivot(&rootfs, &err) < 0)
        fail(l, &err);

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

    if (p) {
        /* 8. Process attributes, while still privileged: raising a hard
         *    rlimit or a scheduler class needs capabilities we drop below.
         *    The exec labels first: AppArmor refuses most profile changes
         *    under no_new_privs (step 12), and the write goes through a
         *    verified procfs now that the container's mounts are final. */
        if (berth_label_apply(p, &err) < 0 || berth_rlimits_apply(p, &err) < 0 || berth_oom_score_adj_apply(p, &err) < 0 ||
            berth_personality_apply(c->linux ? c->linux->personality : NULL, &err) < 0 ||
            berth_scheduler_apply(p->scheduler, &err) < 0 ||
            berth_io_priority_apply(p->ioPriority, &err) < 0)
            fail(l, &err);

        /* 8b. Seccomp without no_new_privs needs CAP_SYS_ADMIN, so it is
         *     loaded before capabilities are dropped (as runc). */
        if (!p->noNewPrivileges && load_seccomp(l, &err) < 0)
            fail(l, &err);

        /* 9. Capabilities, part 1: the bounding set is dropped while we
         *    still have CAP_SETPCAP, and KEEPCAPS keeps the permitted set
         *    across the uid change of step 10. */
        if (berth_caps_prepare(&l->caps, &err) < 0)
            fail(l, &err);

        /* 10. User: groups, gid, then uid (after setuid we could not
         *     change groups any more). */
        if (switch_user(p->user, &err) < 0)
            fail(l, &err);

        /* 11. Capabilities, part 2: setuid cleared the effective set; now
         *     set E/P/I, then ambient (needs P and I). */
        if (berth_caps_apply(&l->caps, &warning, &err) < 0)
            fail(l, &err);
        if (warning)
            warn(l, warning);

        /* 12. no_new_privs: after the last privileged step, before the
         *     seccomp filter (step 15b). */
        if (p->noNewPrivileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
            berth_error_errno(&err, "prctl(PR_SET_NO_NEW_PRIVS)");
            fail(l, &err);
        }

        /* 13. umask (config.md: unchanged when unset), cwd as the user. */
        if (p->user && p->user->umask_present)
            umask(p->user->umask);
        if (enter_cwd(p, &err) < 0)
            fail(l, &err);

        /* 14. args[0] must exist now: create, not start, reports it. */
        if (find_executable(p, &exe, &err) < 0)
            fail(l, &err);
        env = build_env(l, p);
        if (!env) {
            berth_error_make(&err, ENOMEM, "build environment");
            fail(l, &err);
        }
    }

    /* 15. fds: nothing of berth's may reach the container process. */
    if (prepare_fds(l, &err) < 0 || check_fifo(l, fifo_path, sizeof(fifo_path), &err) < 0)
        fail(l, &err);

    /* 15b. Seccomp with no_new_privs: as late as possible, so the filter
     *      sees only the few syscalls left (listed in seccomp.c), and still
     *      before READY, so a load failure fails create. */
    if (p && p->noNewPrivileges && load_seccomp(l, &err) < 0)
        fail(l, &err);

    /* 16. READY: create returns. Clear the parent-death signal first:
     *     berth exits right after reading READY. Non-dumpable until the
     *     exec (which resets it): while we wait, our /proc/PID/exe is the
     *     host's berth binary and no container process may open it.
     *     Set again: a credential change (step 10) resets it to the host's
     *     fs.suid_dumpable. */
    (void)prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (berth_sync_send(l->sync_fd, BERTH_SYNC_READY, 0, NULL, &err) < 0)
        _exit(1);
    l->sync_fd = safe_close(l->sync_fd);

    /* 17. Wait for `berth start` (runtime.md: process.args MUST NOT run
     *     before start). */
    fifo_fd = wait_for_start(fifo_path);

    /* 17b. runtime.md step 7: startContainer hooks, in the container,
     *      before the user program and before start is answered, so that
     *      their failure fails start and stops the container. */
    (void)berth_hooks_run_kind(c->hooks, BERTH_HOOK_START_CONTAINER, l->id, getpid(), l->bundle,
                               &c->annotations, &err);
    answer_start(fifo_fd, &err);
    if (!p)
        _exit(0); /* start refuses a config without process */

    /* 18. The user's program. */
    exec_process(exe, p, env);
}
