/* state-types.c: the life of the state record's types (state.h): the
 * names of the statuses, freeing a state and its cgroup record. Below
 * state.c and state-json.c, which both need them, so that neither needs
 * the other for them. */
#include <stdlib.h>

#include "state.h"

const char *berth_status_name(enum berth_status s)
{
    switch (s) {
    case BERTH_STATUS_CREATING:
        return "creating";
    case BERTH_STATUS_CREATED:
        return "created";
    case BERTH_STATUS_RUNNING:
        return "running";
    case BERTH_STATUS_PAUSED:
        return "paused";
    case BERTH_STATUS_STOPPED:
        return "stopped";
    }
    return "unknown";
}

void berth_cgroup_record_free(struct berth_cgroup_record *rec)
{
    if (!rec)
        return;
    for (size_t i = 0; i < rec->ndirs; i++) {
        free(rec->dirs[i].controllers);
        free(rec->dirs[i].mount);
        free(rec->dirs[i].path);
        free(rec->dirs[i].created);
    }
    free(rec->dirs);
    free(rec->path);
    free(rec->unit);
    free(rec);
}

void berth_container_state_free(struct berth_container_state *s)
{
    if (!s)
        return;
    free(s->id);
    free(s->bundle);
    free(s->rootfs);
    free(s->created);
    free(s->owner);
    free(s->cgroup_path);
    berth_cgroup_record_free(s->cgroup);
    for (size_t i = 0; i < s->annotations_len; i++) {
        free(s->annotations[i].key);
        free(s->annotations[i].value);
    }
    free(s->annotations);
    free(s);
}
