/* state-json.h: (de)serialisation of struct berth_container_state, through
 * the JSON model (libocispec's engine).
 *
 * Two documents:
 *  - the private state.json in the state dir: the public fields plus what
 *    berth needs to find the container again (startTime, cgroupPath,
 *    createdStatus);
 *  - the public state (runtime.md "State" + runc's rootfs/created/owner),
 *    printed by `state`, `list --format json`, and fed to hooks.
 */
#ifndef BERTH_STATE_JSON_H
#define BERTH_STATE_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"
#include "state.h"

int berth_state_json_encode(const struct berth_container_state *s, char **ret, size_t *ret_len,
                            berth_error_t *err);

/* buf must be NUL-terminated. */
int berth_state_json_decode(const char *buf, struct berth_container_state **ret,
                            berth_error_t *err);

struct berth_state_view {
    const struct berth_container_state *s;
    enum berth_status status;
};

/* as_list false: one pretty-printed object (n == 1), as `runc state`.
 * as_list true: a compact array, or `null` when n == 0, as
 * `runc list --format json` prints. No trailing newline. */
int berth_state_json_public(const struct berth_state_view *v, size_t n, bool as_list, char **ret,
                            berth_error_t *err);

#endif
