/* container.h: the lifecycle entry points, one per CLI verb. Each is a short
 * sequence of calls into the modules (state, process, rootfs, ...). */
#ifndef BERTH_CONTAINER_H
#define BERTH_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/context.h"
#include "util/error.h"
#include "oci-types.h"
#include "state/state.h"
#include "spec/spec.h"

/* The rules a bundle is held to before a container is made from it (create,
 * run, restore): host checks, the cgroup version's table, the context's
 * resctrl root. */
struct berth_validate_opts berth_container_validate_opts(const struct berth_context *ctx,
                                                         const char *bundle);

/* create: returns once init is blocked on exec.fifo. */
int berth_container_create(const struct berth_context *ctx, const struct berth_create_opts *o,
                           berth_error_t *err);
/* run: create + start; in the foreground waits and returns the exit status
 * in *ret_status (128+signal when killed). */
int berth_container_run(const struct berth_context *ctx, const struct berth_create_opts *o,
                        int *ret_status, berth_error_t *err);
int berth_container_start(const struct berth_context *ctx, const char *id, berth_error_t *err);
int berth_container_kill(const struct berth_context *ctx, const char *id, int signo, bool all,
                         berth_error_t *err);
int berth_container_delete(const struct berth_context *ctx, const char *id, bool force,
                           berth_error_t *err);
/* delete with the container's config already in memory (run: the one
 * create just validated and copied into the state dir), instead of reading
 * and parsing that copy again; NULL reads it. */
int berth_container_delete_cfg(const struct berth_context *ctx, const char *id, bool force,
                               const oci_config *cfg, berth_error_t *err);
/* run: the poststart hooks of a container run started itself (no-op
 * without any); a failure destroys it, as after start. */
int berth_container_poststart(const struct berth_context *ctx, const char *id,
                              const oci_config *cfg, berth_error_t *err);
/* The containers as state and list report them: each one's record with
 * its live status (state-json.h formats them as runc does). */
struct berth_container_listing {
    struct berth_state_view *views; /* sorted by id */
    struct berth_container_state **states;
    size_t n;
};
void berth_container_listing_release(struct berth_container_listing *li);

/* state: the container `id` (one view). */
int berth_container_state(const struct berth_context *ctx, const char *id,
                          struct berth_container_listing *ret, berth_error_t *err);
/* list: every container under ctx->root; one that vanishes meanwhile is
 * left out, one that cannot be read is a warning (as runc logs and goes
 * on). */
int berth_container_list(const struct berth_context *ctx, struct berth_container_listing *ret,
                         berth_error_t *err);

/* The rest of the module's door: other modules include this header only
 * (docs/architecture.md, "Doors"). */
#include "container/container-cgroup.h"
#include "container/exec.h"
#include "container/berth-features.h"
#include "container/status.h"

#endif
