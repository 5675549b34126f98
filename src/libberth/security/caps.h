/* caps.h: the five capability sets of the container process (config.md
 * "Linux Process" capabilities), resolved from names in the parent and
 * applied by the init with libcap / prctl.
 *
 * config.md: a capability that cannot be mapped to a kernel value or cannot
 * be granted MUST be logged as a warning, and create SHOULD NOT fail; so
 * unknown names, names beyond the running kernel's last capability and
 * capabilities outside berth's own bounding set are warned about and left
 * out, while the rest is applied.
 */
#ifndef BERTH_CAPS_H
#define BERTH_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/context.h"
#include "util/error.h"
#include "oci-types.h"

struct berth_caps {
    uint64_t bounding, effective, permitted, inheritable, ambient;
};

/* Parent side: names -> bit masks, warnings through ctx. */
void berth_caps_resolve(const struct berth_context *ctx, const oci_capabilities *c,
                        struct berth_caps *ret);

/* Init side, still with full privileges (PR_CAPBSET_DROP needs
 * CAP_SETPCAP): drops every capability not in the bounding set and sets
 * PR_SET_KEEPCAPS so the permitted set survives the switch to a non-root
 * uid. */
int berth_caps_prepare(const struct berth_caps *c, berth_error_t *err);

/* Init side, after setresuid: sets effective, permitted and inheritable,
 * then raises ambient (which needs each cap in permitted AND inheritable,
 * hence last). Ambient failures are reported through *ret_warning (one
 * malloc'd text or NULL), not as errors. `keep` is added to permitted only:
 * held for a step just before execve (berth_caps_raise), and gone after it,
 * because execve computes the new permitted set from inheritable, bounding
 * and ambient, never from the old permitted one (capabilities(7)). */
int berth_caps_apply(const struct berth_caps *c, uint64_t keep, char **ret_warning,
                     berth_error_t *err);

/* Makes the caps of `mask` effective again (they must be permitted: see
 * keep above), leaving the rest as berth_caps_apply set it. */
int berth_caps_raise(const struct berth_caps *c, uint64_t mask, berth_error_t *err);

#endif
