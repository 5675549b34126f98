/* process-setup.h: the per-process steps shared by the container init
 * (init.c) and `berth exec` (exec.c): everything between "in the
 * container's namespaces" and execve that depends only on the process
 * object (config.md "Process", "POSIX process", "Linux Process").
 *
 * Both callers run these in a forked child with full privileges still held;
 * the order inside berth_process_apply is the security-relevant part and
 * is explained there. */
#ifndef BERTH_PROCESS_SETUP_H
#define BERTH_PROCESS_SETUP_H

#include <stdbool.h>
#include <stddef.h>

#include "security/security.h"
#include "util/error.h"
#include "oci-types.h"

struct berth_process_setup {
    const oci_process *p;
    const oci_personality *personality;     /* linux.personality, may be NULL */
    const oci_memory_policy *memory_policy; /* linux.memoryPolicy, may be NULL */
    /* exec only (config.md: "not applicable to the container's init
     * process"): its `final` is set once in the container's cgroup; with
     * neither `initial` nor `final` (and always for the init) the
     * affinity is reset to every CPU of the cpuset (placement.h). */
    const oci_exec_cpu_affinity *affinity;
    const struct berth_caps *caps;
    /* Loads linux.seccomp; NULL = no filter. */
    int (*load_seccomp)(void *data, berth_error_t *err);
    void *data;
    /* The caller loads the filter itself as the last step before execve
     * (berth_process_load_filter), so that it sees none of berth's own
     * syscalls and a default-deny profile needs to allow only what the
     * program uses; without noNewPrivileges, seccomp(2) needs
     * CAP_SYS_ADMIN, which berth_process_apply then keeps in the permitted
     * set. Unset (a notify filter the parent of `create` must take while
     * it still waits), the filter is loaded by berth_process_apply before
     * the capabilities drop when noNewPrivileges is false, and by the
     * caller otherwise. */
    bool seccomp_last;
};

/* The last step before execve when s->seccomp_last: CAP_SYS_ADMIN back
 * into the effective set if the filter needs it, then the filter. The
 * execve right after drops CAP_SYS_ADMIN again (caps.h). */
int berth_process_load_filter(const struct berth_process_setup *s, berth_error_t *err);

/* rlimits, oomScoreAdj, personality, scheduler, ioPriority, memory
 * policy, CPU affinity, [seccomp],
 * bounding set, user (groups, gid, uid), capabilities, no_new_privs,
 * umask, cwd. *ret_warning: a malloc'd warning text (ambient caps) or NULL,
 * set even when a later step fails. */
int berth_process_apply(const struct berth_process_setup *s, char **ret_warning,
                        berth_error_t *err);

/* Go-style "<what>: no such file or directory" (lower-case errno text, as
 * runc prints it and engines match on), keeping errnum as (*err)->status. */
int berth_error_go(berth_error_t *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Default dispositions and an empty mask: berth's must not survive execve. */
int berth_signals_reset(berth_error_t *err);

/* setgroups(additionalGids, also when empty), setresgid, setresuid. */
int berth_user_switch(const oci_user *u, berth_error_t *err);

/* Like runc (Go's exec.LookPath): args[0] with a slash must be an
 * executable file, else it is looked up in the process's PATH. Errors:
 * `exec: "/bin/nope": no such file or directory`,
 * `exec: "nope": executable file not found in $PATH` (status ENOENT). */
int berth_find_executable(const oci_process *p, char **ret, berth_error_t *err);

/* The last NAME=... of env, or NULL. */
const char *berth_env_get(char **env, size_t len, const char *name);

/* process.env plus HOME (from the container's /etc/passwd when unset) and,
 * when listen_fds > 0, LISTEN_FDS/LISTEN_PID (getpid()). NULL-terminated;
 * the strings of p are borrowed. NULL on ENOMEM. */
char **berth_process_env(const oci_process *p, int listen_fds);

/* execve(path, args, env); returns -errno only on failure. */
int berth_process_execve(const char *path, const oci_process *p, char **env);

#endif
