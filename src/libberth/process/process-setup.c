/* process-setup.c: per-process steps shared by init.c and exec.c (see
 * process-setup.h). */
#include "process-setup.h"

#include <ctype.h>
#include <linux/capability.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/passwd.h"
#include "placement.h"
#include "proc-attrs.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int berth_error_go(berth_error_t *err, int errnum, const char *fmt, ...)
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

int berth_signals_reset(berth_error_t *err)
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

/* /proc/self/setgroups says "deny" (the file is per user namespace). */
static bool setgroups_denied(void)
{
    char buf[8] = "";
    _cleanup_close_ int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);

    return fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0 && strncmp(buf, "deny", 4) == 0;
}

int berth_user_switch(const oci_user *u, berth_error_t *err)
{
    uid_t uid = u ? u->uid : 0;
    gid_t gid = u ? u->gid : 0;
    size_t ngroups = u ? u->additionalGids_len : 0;

    /* Always set: an empty list drops berth's own supplementary groups.
     * A user namespace whose gid_map an unprivileged berth wrote denies
     * setgroups (user_namespaces(7)); runc then keeps the groups the
     * kernel gave, and so do we when none were asked for. */
    if (setgroups(ngroups, ngroups ? (const gid_t *)u->additionalGids : NULL) < 0) {
        if (errno != EPERM || !setgroups_denied())
            return berth_error_errno(err, "setgroups (additionalGids)");
        if (ngroups)
            return berth_error_make(err, EPERM,
                                    "setgroups (additionalGids): the user namespace denies it "
                                    "(rootless: map the gids with newgidmap, package uidmap)");
    }
    if (setresgid(gid, gid, gid) < 0)
        return berth_error_errno(err, "setresgid %u", (unsigned)gid);
    if (setresuid(uid, uid, uid) < 0)
        return berth_error_errno(err, "setresuid %u", (unsigned)uid);
    return 0;
}

/* config.md "Process": cwd MUST be absolute (validated). Entered twice if
 * need be, as runc does (engines rely on both): first still as root, so
 * that a directory only root can enter works for a non-root user (an image
 * whose WORKDIR is /root, USER 1000); if root is refused (a root-squashed
 * or 0700 directory of the user's on a volume), again as the user.
 * *entered says whether it took; with may_defer (the try as root) a
 * refusal is left for the second try, any other error fails at once. */
static int enter_cwd(const oci_process *p, bool *entered, bool may_defer, berth_error_t *err)
{
    *entered = chdir(p->cwd) == 0;
    if (*entered || (may_defer && (errno == EACCES || errno == EPERM)))
        return 0;
    return berth_error_go(err, errno, "chdir %s", p->cwd);
}

/* CAP_SYS_ADMIN held (permitted, not effective) for a late filter without
 * no_new_privs. */
static uint64_t keep_admin(const struct berth_process_setup *s)
{
    return s->load_seccomp && s->seccomp_last && !s->p->noNewPrivileges
               ? UINT64_C(1) << CAP_SYS_ADMIN
               : 0;
}

int berth_process_load_filter(const struct berth_process_setup *s, berth_error_t *err)
{
    int r;

    if (!s->load_seccomp || !s->seccomp_last)
        return 0;
    /* The one syscall between the filter and berth_caps_apply's sets:
     * before the filter, so a profile need not allow capset. */
    if (keep_admin(s) && (r = berth_caps_raise(s->caps, keep_admin(s), err)) < 0)
        return r;
    return s->load_seccomp(s->data, err);
}

/* In the container's cgroup by now (the init was placed before INIT_GO,
 * the exec joiner before it forked us), so the cpuset narrows the reset
 * and `final` is "after the transition to container's cgroup" (config.md
 * "Linux Process"). Only `initial` (set by berth exec before the clone)
 * stays as it is: the spec leaves the final affinity to the kernel then. */
static int apply_affinity(const struct berth_process_setup *s, berth_error_t *err)
{
    const oci_exec_cpu_affinity *a = s->affinity;

    if (a && a->final && *a->final)
        return berth_cpu_affinity_set(a->final, "execCPUAffinity.final", err);
    if (!a || !a->initial || !*a->initial)
        (void)berth_cpu_affinity_reset();
    return 0;
}

int berth_process_apply(const struct berth_process_setup *s, char **ret_warning, berth_error_t *err)
{
    const oci_process *p = s->p;
    bool in_cwd = false;
    int r;

    *ret_warning = NULL;
    /* Still privileged: raising a hard rlimit or a scheduler class needs
     * capabilities dropped below. */
    if ((r = berth_rlimits_apply(p, err)) < 0 || (r = berth_oom_score_adj_apply(p, err)) < 0 ||
        (r = berth_personality_apply(s->personality, err)) < 0 ||
        (r = berth_scheduler_apply(p->scheduler, err)) < 0 ||
        (r = berth_io_priority_apply(p->ioPriority, err)) < 0 ||
        (r = berth_memory_policy_apply(s->memory_policy, err)) < 0 ||
        (r = apply_affinity(s, err)) < 0)
        return r;
    /* Seccomp without no_new_privs needs CAP_SYS_ADMIN: before the drop
     * (as runc) when the filter cannot be the last step. */
    if (!p->noNewPrivileges && s->load_seccomp && !s->seccomp_last &&
        (r = s->load_seccomp(s->data, err)) < 0)
        return r;
    /* Capabilities, part 1: the bounding set is dropped while we still
     * have CAP_SETPCAP; KEEPCAPS keeps the permitted set across setuid. */
    if ((r = berth_caps_prepare(s->caps, err)) < 0)
        return r;
    if ((r = enter_cwd(p, &in_cwd, true, err)) < 0)
        return r;
    /* Groups, gid, then uid (after setuid groups cannot change any more). */
    if ((r = berth_user_switch(p->user, err)) < 0)
        return r;
    /* Capabilities, part 2: setuid cleared the effective set; set E/P/I,
     * then ambient (needs P and I). */
    if ((r = berth_caps_apply(s->caps, keep_admin(s), ret_warning, err)) < 0)
        return r;
    /* no_new_privs after the last privileged step, before the filter the
     * caller loads last. */
    if (p->noNewPrivileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return berth_error_errno(err, "prctl(PR_SET_NO_NEW_PRIVS)");
    /* config.md: umask unchanged when unset; cwd as the user if root could
     * not enter it. */
    if (p->user && p->user->umask_present)
        umask(p->user->umask);
    return in_cwd ? 0 : enter_cwd(p, &in_cwd, false, err);
}

const char *berth_env_get(char **env, size_t len, const char *name)
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

int berth_find_executable(const oci_process *p, char **ret, berth_error_t *err)
{
    const char *name = p->args[0];
    const char *path = berth_env_get(p->env, p->env_len, "PATH");
    _cleanup_free_ char *dirs = NULL;
    char *saveptr = NULL;
    int r;

    if (strchr(name, '/')) {
        r = check_executable(name);
        if (r < 0)
            return berth_error_go(err, -r, "exec: \"%s\"", name);
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
 * it, as runc does; "/" when the uid has no entry (or an empty home). */
static char *home_of(uid_t uid)
{
    _cleanup_free_ char *home = NULL;
    char *ret = NULL;

    if (berth_passwd_lookup("/etc/passwd", uid, NULL, &home) < 0)
        return NULL;
    if (asprintf(&ret, "HOME=%s", home && home[0] ? home : "/") < 0)
        return NULL;
    return ret;
}

char **berth_process_env(const oci_process *p, int listen_fds)
{
    char **env = calloc(p->env_len + 4, sizeof(char *));
    size_t n = 0;

    if (!env)
        return NULL;
    for (size_t i = 0; i < p->env_len; i++) {
        bool listen =
            !strncmp(p->env[i], "LISTEN_FDS=", 11) || !strncmp(p->env[i], "LISTEN_PID=", 11);
        if (!(listen && listen_fds > 0))
            env[n++] = p->env[i];
    }
    /* socket activation, as runc: LISTEN_PID is our pid as the container
     * sees it */
    if (listen_fds > 0) {
        if (asprintf(&env[n++], "LISTEN_FDS=%d", listen_fds) < 0 ||
            asprintf(&env[n++], "LISTEN_PID=%d", (int)getpid()) < 0)
            return NULL;
    }
    if (!berth_env_get(p->env, p->env_len, "HOME") && !(env[n++] = home_of(getuid())))
        return NULL;
    env[n] = NULL;
    return env;
}

int berth_process_execve(const char *path, const oci_process *p, char **env)
{
    /* libocispec arrays are counted, execve wants a NULL-terminated one */
    char **argv = calloc(p->args_len + 1, sizeof(char *));

    if (!argv)
        return -ENOMEM;
    memcpy(argv, p->args, p->args_len * sizeof(char *));
    execve(path, argv, env);
    free(argv);
    return -errno;
}
