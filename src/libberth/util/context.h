/* context.h: what the CLI hands to every library entry point.
 *
 * Global options and per-command options live here; runtime state (fds,
 * pids) never does. The library reports non-fatal problems through `warn`
 * (e.g. an unknown capability name, which config.md says to warn about) and
 * never prints on its own.
 */
#ifndef BERTH_CONTEXT_H
#define BERTH_CONTEXT_H

#include <stdbool.h>

#include "exe-seal.h"

typedef void (*berth_warn_fn)(void *data, const char *msg);

struct berth_context {
    const char *root; /* state root, e.g. /run/berth */
    bool debug;
    bool systemd_cgroup;
    /* --rootless (runc's rootless cgroups): berth is not the host's root
     * (a user, or uid 0 of a user namespace), so a cgroup it cannot create
     * or join is skipped when the config asks for no resources. */
    bool rootless;
    /* berth runs in a user namespace other than the initial one (uid 0
     * there is not the host's root): devices are bound, not made */
    bool in_userns;
    /* The systemd driver's D-Bus helper (berth-systemd), as the CLI found
     * it; NULL when berth was built without it. */
    const char *systemd_helper;
    /* The resctrl filesystem for linux.intelRdt: NULL finds the host's
     * mount (resctrl-root.h); the CLI sets BERTH_RESCTRL_ROOT here, so
     * that tests can use a resctrl-shaped directory. */
    const char *resctrl_root;
    /* The host's berth binary (exe-seal.h), when known: no fd of it may
     * reach a container. */
    struct berth_exe_id exe_origin;
    berth_warn_fn warn; /* may be NULL */
    void *warn_data;
    /* Advice for --debug only (same data); NULL or !debug drops it. */
    berth_warn_fn debug_log;
};

/* Options of create/run (and restore later). */
struct berth_create_opts {
    const char *id;
    const char *bundle;         /* as given; NULL = cwd */
    const char *pid_file;       /* NULL = none; relative to cwd */
    const char *console_socket; /* NULL = none */
    const char *pidfd_socket;   /* create, run: gets the init's pidfd; NULL = none */
    bool no_pivot;
    bool no_new_keyring;
    bool detach;       /* run only */
    bool keep;         /* run only: do not delete after exit */
    bool no_subreaper; /* run only: do not become a child subreaper */
    int preserve_fds;  /* extra fds 3..3+N-1 passed through */
};

void berth_warn(const struct berth_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A debug record: what runc says under --debug, and advice that must not
 * reach stderr on every run (validate's warnings on create). */
void berth_debug(const struct berth_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
