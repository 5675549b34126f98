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

#include "caps.h"
#include "error.h"
#include "oci-types.h"

struct berth_process_setup {
    const oci_process *p;
    const oci_personality *personality; /* linux.personality, may be NULL */
    const struct berth_caps *caps;
    /* Loads linux.seccomp when the process has no noNewPrivileges (it
     * then needs CAP_SYS_ADMIN, so it runs before the caps drop); NULL =
     * no filter. With noNewPrivileges the caller loads it itself, as late
     * as possible, after its last own syscall that matters. */
    int (*load_seccomp)(void *data, berth_error_t *err);
    void *data;
};

/* rlimits, oomScoreAdj, personality, scheduler, ioPriority, [seccomp],
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
