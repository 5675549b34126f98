/* hooks.h: running OCI lifecycle hooks (config.md "POSIX-platform Hooks").
 *
 * This module only knows how to run a list of hooks with a given state
 * document on stdin; the callers decide WHERE (which process, hence which
 * namespaces) and WHEN (which lifecycle step) each kind runs:
 *
 *   kind             runs in / by                          state.status  runtime.md step
 *   prestart         runtime ns, `berth create` parent     creating      3
 *   createRuntime    runtime ns, `berth create` parent     creating      4
 *   createContainer  container ns, the init before pivot   creating      5
 *   startContainer   container ns, the init after start    created       7
 *   poststart        runtime ns, `berth start`             running       9
 *   poststop         runtime ns, `berth delete` / run end  stopped       13
 *
 * Status, from runtime.md "State": steps 3-5 are part of the create
 * operation (config.md: "MUST be called as part of the create operation"),
 * and `created` means "the runtime has finished the create operation", so
 * they see `creating`; startContainer runs before the user program
 * (step 7 < 8): `created`; poststart after step 8 and before the program
 * exits: `running`; poststop after the container was destroyed (step 12):
 * `stopped`. The pid is the init's pid as seen by the process running the
 * hook (runtime.md "State" pid: "as seen by the runtime" / "as seen by the
 * container").
 *
 * Every hook is executed as given: execve(path, args, env), with args
 * defaulting to {path} and env to the empty environment when absent; stdin
 * is the state JSON, stdout and stderr are captured and their tail goes into
 * the error message when the hook fails. `timeout` kills it (SIGKILL).
 */
#ifndef BERTH_HOOKS_H
#define BERTH_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/context.h"
#include "util/error.h"
#include "oci-types.h"

enum berth_hook_kind {
    BERTH_HOOK_PRESTART,
    BERTH_HOOK_CREATE_RUNTIME,
    BERTH_HOOK_CREATE_CONTAINER,
    BERTH_HOOK_START_CONTAINER,
    BERTH_HOOK_POSTSTART,
    BERTH_HOOK_POSTSTOP,
};

/* The JSON name ("createRuntime", ...). */
const char *berth_hook_kind_name(enum berth_hook_kind kind);

/* The status a hook of this kind sees (table above). */
const char *berth_hook_kind_status(enum berth_hook_kind kind);

/* Hooks of one kind from config.hooks (which may be NULL); returns the
 * count and sets *ret (NULL when none). */
size_t berth_hooks_get(const oci_hooks *hooks, enum berth_hook_kind kind, const oci_hook **ret);

/* True when config.hooks has at least one hook of this kind. */
bool berth_hooks_have(const oci_hooks *hooks, enum berth_hook_kind kind);

/* Builds the state document for hooks (runtime.md "State"): ociVersion,
 * id, status, pid (when pid > 0), bundle, annotations (may be NULL).
 * Compact JSON, malloc'd, NUL-terminated. */
int berth_hook_state_json(const char *id, const char *status, pid_t pid, const char *bundle,
                          const oci_string_map *annotations, char **ret, size_t *ret_len,
                          berth_error_t *err);

/* Runs hooks[0..n) in order with `state` (len bytes) on stdin; stops at the
 * first failure. `which` names the kind in messages. Errors look like
 *   "createRuntime hook #1 `/usr/bin/x`: exit status 3: <output tail>"
 *   "createRuntime hook #1 `/usr/bin/x`: timed out after 5 s" */
int berth_hooks_run_json(const oci_hook *hooks, size_t n, const char *which, const char *state,
                         size_t len, berth_error_t *err);

/* Runs every hook of `kind` from config.hooks with a state built by
 * berth_hook_state_json (status from the kind). */
int berth_hooks_run_kind(const oci_hooks *hooks, enum berth_hook_kind kind, const char *id,
                         pid_t pid, const char *bundle, const oci_string_map *annotations,
                         berth_error_t *err);

/* poststop semantics (runtime.md step 13): every hook runs even when one
 * fails; each failure becomes a warning through ctx, never an error. */
void berth_hooks_run_warn(const struct berth_context *ctx, const oci_hook *hooks, size_t n,
                          const char *which, const char *state, size_t len);

/* ---- lifecycle helpers: one call per place in create/start/delete ---- */

/* runtime.md steps 3 and 4, in the `berth create` parent once the init's
 * namespaces and mounts exist: prestart, then createRuntime, with the
 * init's host pid. */
int berth_hooks_run_create_runtime(const oci_config *c, const char *id, pid_t pid,
                                   const char *bundle, berth_error_t *err);

/* Parses the config.json copy of a state dir (for start and delete, which
 * have no bundle config in memory). */
int berth_hooks_load_config(int dirfd, oci_config **ret, berth_error_t *err);

/* runtime.md step 13: poststop hooks, failures are warnings. pid may be 0
 * (the state of a stopped container needs none). */
void berth_hooks_run_poststop(const struct berth_context *ctx, const oci_config *c, const char *id,
                              pid_t pid, const char *bundle);

#endif
