/* container-cgroup.h: the library entry points of the cgroup commands:
 * pause, resume, update, ps and events. Each loads the container (state
 * dir, lock for the mutating ones), loads its cgroup from the state and
 * acts through cgroup.h. */
#ifndef BERTH_CONTAINER_CGROUP_H
#define BERTH_CONTAINER_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/context.h"
#include "util/error.h"
#include "oci-types.h"

int berth_container_pause(const struct berth_context *ctx, const char *id, berth_error_t *err);
int berth_container_resume(const struct berth_context *ctx, const char *id, berth_error_t *err);

/* update: res is validated (validate-resources.c rules) before anything is
 * written. */
int berth_container_update(const struct berth_context *ctx, const char *id,
                           const oci_resources *res, berth_error_t *err);
/* update --l3-cache-schema / --mem-bw-schema: the container's resctrl
 * group's schemata (resctrl.h); either may be NULL. */
int berth_container_update_rdt(const struct berth_context *ctx, const char *id, const char *l3,
                               const char *mb, berth_error_t *err);

/* ps: the pids of every process of the container (malloc'd). */
int berth_container_ps(const struct berth_context *ctx, const char *id, pid_t **ret, size_t *ret_n,
                       berth_error_t *err);

/* An event record (one JSON object, len bytes, no newline) handed to the
 * caller, who writes it; a negative return stops the stream with *err. */
typedef int (*berth_event_fn)(const char *json, size_t len, void *data, berth_error_t *err);

/* events: with stats, one {"type":"stats",...} record in runc's format and
 * return; otherwise a stats record every interval_ms and {"type":"oom"}
 * records as OOM kills happen, until the container stops. Each record goes
 * to emit; the library never writes them itself. */
int berth_container_events(const struct berth_context *ctx, const char *id, bool stats,
                           int interval_ms, berth_event_fn emit, void *data, berth_error_t *err);

#endif
