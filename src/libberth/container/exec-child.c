/* exec-child.c: the two children of `berth exec`.
 *
 *   joiner  cloned by berth; enters the container's cgroup by itself
 *           (cgroup-join.h), joins every namespace of the
 *           container through the init's pidfd (user first), then forks the
 *           process with CLONE_PARENT (so it is berth's child) and exits.
 *           The fork is needed because joining pid and time namespaces
 *           only applies to children (setns(2)).
 *   process after INIT_GO: session, terminal, LSM labels, closes every fd
 *           of berth, applies the process (process-setup.h), looks up
 *           args[0], loads seccomp, execve. Every failure goes back to berth
 *           as an ERROR message; a successful execve closes the O_CLOEXEC
 *           sync socket, which berth reads as "running".
 *
 * CVE-2024-21626 (process.cwd reaching the host through a leaked fd, e.g.
 * /proc/self/fd/N): the process closes (not just marks close-on-exec)
 * every fd but stdio, the --preserve-fds ones and the sync socket BEFORE
 * it resolves cwd, and setns(CLONE_NEWNS) already reset its root and cwd to
 * the container's root (setns(2)); the cwd it ends in is checked to be
 * reachable from that root. */
#include "exec-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "security/security.h"
#include "ns/ns.h"
#include "process/process.h"
#include "terminal/terminal.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static _Noreturn void fail(const struct exec_job *j, berth_error_t *err)
{
    berth_sync_send_error(j->sync[1], err);
    _exit(1);
}

static void warn(const struct exec_job *j, const char *text)
{
    berth_error_t ignored = NULL;

    (void)berth_sync_send(j->sync[1], BERTH_SYNC_WARN, 0, text, &ignored);
    berth_error_release(&ignored);
}

/* Kernels before 5.8 take no pidfd in setns: one /proc/PID/ns file per
 * type, the user namespace first (it grants the privileges over the
 * namespaces it owns that joining them needs). */
static int join_by_path(const struct exec_job *j, berth_error_t *err)
{
    static const int order[] = {CLONE_NEWUSER, CLONE_NEWIPC, CLONE_NEWUTS,    CLONE_NEWNET,
                                CLONE_NEWPID,  CLONE_NEWNS,  CLONE_NEWCGROUP, CLONE_NEWTIME};
    static const char *const file[] = {"user", "ipc", "uts", "net", "pid", "mnt", "cgroup", "time"};

    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        _cleanup_close_ int fd = -1;
        char path[64];

        if (!(j->ns_flags & order[i]))
            continue;
        snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)j->init, file[i]);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return berth_error_errno(err, "open `%s`", path);
        if (setns(fd, order[i]) < 0)
            return berth_error_errno(err, "join %s namespace of the container",
                                     berth_ns_type_name(order[i]));
    }
    return 0;
}

/* All at once through the init's pidfd (5.8+): atomic, and the kernel
 * orders the user namespace first itself. */
static int join_namespaces(const struct exec_job *j, berth_error_t *err)
{
    if (!j->ns_flags)
        return 0;
    if (setns(j->init_pidfd, j->ns_flags) == 0)
        return 0;
    if (errno != EINVAL)
        return berth_error_errno(err, "join the namespaces of the container (flags %#x)",
                                 j->ns_flags);
    return join_by_path(j, err);
}

static int setup_terminal(const struct exec_job *j, berth_error_t *err)
{
    const oci_process *p = j->process;
    _cleanup_close_ int master = -1;
    char name[64];
    int r;

    /* /dev/ptmx is the container's (we are in its mount namespace);
     * /dev/console stays the init's. */
    r = berth_terminal_setup_in_init(p, false, p->user ? p->user->uid : (uid_t)-1, &master, err);
    if (r < 0)
        return r;
    berth_pty_name(master, name, sizeof(name));
    r = berth_sync_send(j->sync[1], BERTH_SYNC_TERMINAL, 0, name, err);
    if (r < 0)
        return r;
    return berth_terminal_send_fd(j->sync[1], master, name, err);
}

/* Only stdio, the preserved fds and the sync socket survive, and they are
 * closed for real, not just marked, so nothing of the host is reachable
 * while cwd is resolved (CVE-2024-21626). */
static int close_host_fds(struct exec_job *j, berth_error_t *err)
{
    int keep_to = 3 + j->o->preserve_fds;
    int fd;

    /* The sync socket must sit above the preserved range. */
    if (j->sync[1] < keep_to) {
        fd = fcntl(j->sync[1], F_DUPFD_CLOEXEC, keep_to);
        if (fd < 0)
            return berth_error_errno(err, "dup sync socket");
        /* closed, or the loop below would pass it on as a preserved fd
         * and berth would never see EOF at the execve */
        close(j->sync[1]);
        j->sync[1] = fd;
    }
    if (j->sync[1] > keep_to && syscall(SYS_close_range, keep_to, j->sync[1] - 1, 0) < 0)
        return berth_error_errno(err, "close_range");
    if (syscall(SYS_close_range, j->sync[1] + 1, ~0U, 0) < 0)
        return berth_error_errno(err, "close_range");
    /* The caller's fds stay open across execve: they are the ones without
     * close-on-exec (inherited through an execve, they cannot have it).
     * Every fd of berth's own is O_CLOEXEC; one that landed in the range
     * (the --log file, a cgroup directory) is closed (CVE-2024-21626 class). */
    for (fd = 3; fd < keep_to; fd++) {
        int flags = fcntl(fd, F_GETFD);

        if (flags >= 0 && (flags & FD_CLOEXEC))
            close(fd);
    }
    return 0;
}

/* After chdir: an unreachable cwd (outside our root) reads back as
 * "(unreachable)/..." or fails. */
static int check_cwd(berth_error_t *err)
{
    char buf[4096];

    if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
        return berth_error_make(err, EPERM,
                                "current working directory is outside of container "
                                "mount namespace root -- possible container breakout "
                                "detected");
    return 0;
}

static int load_seccomp(void *data, berth_error_t *err)
{
    struct exec_job *j = data;
    int r;

    if (!j->seccomp)
        return 0;
    /* With a notify action berth copies the listener fd out of us
     * (pidfd_getfd) while we go on, as for create (init.c). */
    if (!j->seccomp->notify)
        return berth_seccomp_load(j->seccomp, NULL, err);
    r = berth_sync_send(j->sync[1], BERTH_SYNC_SECCOMP, 0, NULL, err);
    if (r < 0 || (r = berth_seccomp_load(j->seccomp, NULL, err)) < 0)
        return r;
    /* Unlike the init (which waits for start long after), we are about to
     * execve, which closes the O_CLOEXEC listener fd: wait until berth
     * has its copy ("go on"). A notified recvmsg here is answered by the
     * agent, which has the fd before berth sends this. */
    return berth_sync_expect(j->sync[1], BERTH_SYNC_INIT_GO, err);
}

static _Noreturn void process_main(struct exec_job *j)
{
    const oci_process *p = j->process;
    struct berth_process_setup setup = {
        .p = p,
        .personality = j->config->linux ? j->config->linux->personality : NULL,
        .memory_policy = j->config->linux ? j->config->linux->memoryPolicy : NULL,
        .affinity = j->affinity,
        .caps = &j->caps,
        .load_seccomp = j->seccomp ? load_seccomp : NULL,
        .data = j,
        /* berth exec waits for us until execve, notify or not. */
        .seccomp_last = j->seccomp != NULL,
    };
    berth_error_t err = NULL;
    _cleanup_free_ char *exe = NULL;
    char *warning = NULL;
    char **env;
    int r;

    if (berth_sync_expect(j->sync[1], BERTH_SYNC_INIT_GO, &err) < 0 ||
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        fail(j, &err);
    /* 0. Non-dumpable until execve resets it (CVE-2016-9962): we are in
     *    the container's pid namespace with berth's privileges, and no
     *    process of the container may ptrace us or open our /proc files
     *    (our fds are berth's; our exe is the sealed handle of
     *    exe-seal.h, CVE-2019-5736). */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
        berth_error_errno(&err, "prctl(PR_SET_DUMPABLE)");
        fail(j, &err);
    }
    /* 1. A session of our own (runc does the same for every exec), and
     *    berth's signal mask must not reach the program. */
    if (setsid() < 0 && errno != EPERM) {
        berth_error_errno(&err, "setsid");
        fail(j, &err);
    }
    if (berth_signals_reset(&err) < 0)
        fail(j, &err);
    /* 2. The pty, from the container's devpts (before the user switch). */
    if (p->terminal && setup_terminal(j, &err) < 0)
        fail(j, &err);
    /* 3. LSM labels for the execve (label.h), while still privileged and
     *    before no_new_privs. */
    if (berth_label_apply(p, &err) < 0)
        fail(j, &err);
    /* 4. No host fd from here on. */
    if (close_host_fds(j, &err) < 0)
        fail(j, &err);
    /* 5. rlimits ... user, caps, nnp, umask, cwd (seccomp without nnp). */
    r = berth_process_apply(&setup, &warning, &err);
    if (warning)
        warn(j, warning);
    if (r < 0 || check_cwd(&err) < 0)
        fail(j, &err);
    /* The user switch reset dumpable to fs.suid_dumpable: clear it again
     * until execve. */
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    /* 6. args[0] with the process's PATH, env with HOME. */
    if (berth_find_executable(p, &exe, &err) < 0)
        fail(j, &err);
    env = berth_process_env(p, 0);
    if (!env) {
        berth_error_make(&err, ENOMEM, "build environment");
        fail(j, &err);
    }
    /* 7. The filter last, so that it sees only execve (and, with a
     *    notify action, the handshake that hands its listener to berth). */
    (void)prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
    if (berth_process_load_filter(&setup, &err) < 0)
        fail(j, &err);
    r = berth_process_execve(exe, p, env);
    berth_error_go(&err, -r, "exec: \"%s\"", p->args[0]);
    berth_sync_send_error(j->sync[1], &err);
    _exit(r == -ENOENT ? 127 : 126);
}

_Noreturn void berth_exec_joiner_main(struct exec_job *j)
{
    berth_error_t err = NULL;
    pid_t pid;

    j->sync[0] = safe_close(j->sync[0]);
    j->dirfd = safe_close(j->dirfd);
    j->console_sock = safe_close(j->console_sock); /* the parent's */
    j->pidfd_sock = safe_close(j->pidfd_sock);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
        berth_error_errno(&err, "prctl(PR_SET_PDEATHSIG)");
        fail(j, &err);
    }
    /* In the container's cgroup before the fork: the process inherits it
     * and never runs outside (its limits apply from its first step). */
    if (berth_cgroup_join_self(&j->cgroup_join, j->cgroup_placed, &err) < 0)
        fail(j, &err);
    if (join_namespaces(j, &err) < 0)
        fail(j, &err);
    j->init_pidfd = safe_close(j->init_pidfd);
    pid = berth_process_clone(CLONE_PARENT, NULL, &err);
    if (pid < 0)
        fail(j, &err);
    if (pid == 0)
        process_main(j); /* never returns */
    if (berth_sync_send(j->sync[1], BERTH_SYNC_INIT_PID, pid, NULL, &err) < 0)
        _exit(1);
    _exit(0);
}
