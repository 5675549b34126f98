/* events-json.h: one record of `berth events` as runc prints it:
 * {"type":T,"id":ID[,"data":{stats}]}, written by the JSON engine from the
 * cgroup module's statistics (events-json.c). */
#ifndef BERTH_EVENTS_JSON_H
#define BERTH_EVENTS_JSON_H

#include <stddef.h>

#include "cgroup/cgroup.h"
#include "util/error.h"

/* st NULL: a record without data ("oom"). *ret is malloc'd, compact. */
int berth_event_json(const char *type, const char *id, const struct berth_cgroup_stats *st,
                     char **ret, size_t *ret_len, berth_error_t *err);

#endif
