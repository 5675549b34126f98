/* exec.h: `berth exec`, another process in an existing container
 * (runtime.md leaves exec to the runtime; flags and error texts follow
 * runc, FEATURES.md §2). */
#ifndef BERTH_EXEC_H
#define BERTH_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "util/context.h"
#include "util/error.h"

struct berth_exec_opts {
    const char *id;
    const char *process_file; /* --process: a runtime-spec process object */
    char **args;              /* COMMAND [ARGS...] (without --process) */
    size_t nargs;
    bool tty; /* -t: process.terminal (runc: overrides the config's) */
    const char *console_socket;
    bool detach;
    const char *pid_file; /* relative to the cwd of berth */
    const char *cwd;
    char **env; /* -e NAME=VALUE, appended to the config's env */
    size_t nenv;
    const char *user;       /* "uid[:gid]" */
    char **additional_gids; /* -g, decimal gids, appended */
    size_t ngids;
    char **caps; /* --cap, added to bounding/effective/permitted (+ambient) */
    size_t ncaps;
    bool no_new_privs;
    const char *apparmor;
    const char *process_label;
    int preserve_fds;
    const char *cgroup; /* sub-cgroup: "path" or "ctrl[,ctrl]:path[,...]" */
    bool ignore_paused;
    const char *pidfd_socket;
};

/* Runs the process in the container. Foreground: waits and stores the
 * exit status (128+signal when killed) in *ret_status. Detached: returns
 * once execve succeeded (*ret_status 0). Errors of the new process before
 * execve (missing binary, bad cwd) are returned as *err. */
int berth_container_exec(const struct berth_context *ctx, const struct berth_exec_opts *o,
                         int *ret_status, berth_error_t *err);

#endif
