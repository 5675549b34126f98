/* proc-attrs.h: per-process attributes of the container process, applied by
 * the init to itself (config.md "POSIX process", "Linux Process";
 * config-linux.md "Personality"). Each setter resolves its names and fails
 * with the field in the message; validation already rejected bad values, so
 * these errors only show up for what the running kernel refuses. */
#ifndef BERTH_PROC_ATTRS_H
#define BERTH_PROC_ATTRS_H

#include "util/error.h"
#include "oci-types.h"

/* setrlimit for each entry (duplicates were rejected by validation). */
int berth_rlimits_apply(const oci_process *p, berth_error_t *err);

/* config.md: if oomScoreAdj is not set the runtime MUST NOT change
 * oom_score_adj, so this is a no-op unless oomScoreAdj_present. */
int berth_oom_score_adj_apply(const oci_process *p, berth_error_t *err);

int berth_personality_apply(const oci_personality *pers, berth_error_t *err);

/* sched_setattr(2) with policy, nice, priority, flags, runtime/deadline/period. */
int berth_scheduler_apply(const oci_scheduler *s, berth_error_t *err);

/* ioprio_set(IOPRIO_WHO_PROCESS, 0, class|priority). */
int berth_io_priority_apply(const oci_io_priority *io, berth_error_t *err);

#endif
