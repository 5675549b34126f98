/* container-cgroup.c: the library side of pause, resume, update, ps and
 * events. Each loads the container from the state store, refuses statuses
 * runtime.md (or runc, where the spec is silent) does not allow, loads the
 * container's cgroup from the state (never recomputed: the cgroup berth
 * made at create is the one acted on) and calls the cgroup driver. */
#include "container-cgroup.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "util/cleanup.h"
#include "ns/ns.h"
#include "state/state.h"
#include "events-json.h"
#include "status.h"
#include "spec/spec.h"

struct cgc {
    int dirfd, lockfd;
    struct berth_container_state *state;
    enum berth_status status;
    struct berth_cgroup *cg;
};

static void cgc_release(struct cgc *c)
{
    safe_close(c->lockfd);
    safe_close(c->dirfd);
    berth_container_state_free(c->state);
    berth_cgroup_free(c->cg);
}

/* The container's state dir, its lock (when asked), state and status. */
static int cgc_load_state(const struct berth_context *ctx, const char *id, bool lock, struct cgc *c,
                          berth_error_t *err)
{
    int r;

    c->dirfd = berth_state_dir_open(ctx->root, id, err);
    if (c->dirfd < 0)
        return c->dirfd;
    if (lock) {
        c->lockfd = berth_state_lock(c->dirfd, err);
        if (c->lockfd == -ENOENT) {
            berth_error_release(err);
            return berth_state_error_not_exist(err, id);
        }
        if (c->lockfd < 0)
            return c->lockfd;
    }
    r = berth_state_read(c->dirfd, &c->state, err);
    if (r == -ENOENT) {
        berth_error_release(err);
        return berth_state_error_not_exist(err, id);
    }
    if (r < 0)
        return berth_error_wrap(err, "load container %s", id);
    c->status = berth_state_status(c->dirfd, c->state);
    return 0;
}

/* ... and its cgroup, which the callers need. */
static int cgc_load(const struct berth_context *ctx, const char *id, bool lock, struct cgc *c,
                    berth_error_t *err)
{
    int r = cgc_load_state(ctx, id, lock, c, err);

    if (r < 0)
        return r;
    if (!c->state->cgroup)
        return berth_error_make(err, ENOENT,
                                "container %s has no cgroup (rootless berth could create none: "
                                "delegate a cgroup to the user and name it in linux.cgroupsPath)",
                                id);
    r = berth_cgroup_load(ctx, c->state->cgroup, &c->cg, err);
    return r < 0 ? berth_error_wrap(err, "container %s", id) : 0;
}

#define CGC_INIT                                                                                   \
    {                                                                                              \
        .dirfd = -1, .lockfd = -1                                                                  \
    }
#define _cleanup_cgc_ _cleanup_(cgc_release)

static bool live(enum berth_status s)
{
    return s == BERTH_STATUS_CREATED || s == BERTH_STATUS_RUNNING || s == BERTH_STATUS_PAUSED;
}

/* ---- pause, resume ------------------------------------------------------ */

int berth_container_pause(const struct berth_context *ctx, const char *id, berth_error_t *err)
{
    _cleanup_cgc_ struct cgc c = CGC_INIT;
    int r = cgc_load(ctx, id, true, &c, err);

    if (r < 0)
        return r;
    /* runc: only a created or running container can be paused. */
    if (c.status == BERTH_STATUS_PAUSED)
        return berth_error_make(err, 0, "container %s is already paused", id);
    if (!live(c.status))
        return berth_error_make(err, 0, "container not running");
    r = berth_cgroup_freeze(c.cg, true, err);
    return r < 0 ? berth_error_wrap(err, "pause container %s", id) : 0;
}

int berth_container_resume(const struct berth_context *ctx, const char *id, berth_error_t *err)
{
    _cleanup_cgc_ struct cgc c = CGC_INIT;
    int r = cgc_load(ctx, id, true, &c, err);

    if (r < 0)
        return r;
    /* runc's wording. */
    if (c.status != BERTH_STATUS_PAUSED)
        return berth_error_make(err, 0, "container not paused");
    r = berth_cgroup_freeze(c.cg, false, err);
    return r < 0 ? berth_error_wrap(err, "resume container %s", id) : 0;
}

/* ---- update ------------------------------------------------------------- */

/* The validate module's resource rules, pointers relative to the
 * resources object ("/memory/swap"). */
static int validate_resources(const oci_resources *res, berth_error_t *err)
{
    struct oci_diags diags = {0};
    char buf[512];
    int r = 0;

    if (berth_validate_resources(res, &diags) > 0)
        r = berth_error_make(err, EINVAL, "invalid resources: %s",
                             oci_diags_first_error(&diags, buf, sizeof(buf)));
    oci_diags_clear(&diags);
    return r;
}

int berth_container_update(const struct berth_context *ctx, const char *id,
                           const oci_resources *res, berth_error_t *err)
{
    _cleanup_cgc_ struct cgc c = CGC_INIT;
    int r;

    r = validate_resources(res, err);
    if (r < 0)
        return r;
    r = cgc_load(ctx, id, true, &c, err);
    if (r < 0)
        return r;
    if (!live(c.status))
        return berth_error_make(err, 0, "container not running");
    r = berth_cgroup_apply(c.cg, res, false, err);
    return r < 0 ? berth_error_wrap(err, "update container %s", id) : 0;
}

int berth_container_update_rdt(const struct berth_context *ctx, const char *id, const char *l3,
                               const char *mb, berth_error_t *err)
{
    _cleanup_cgc_ struct cgc c = CGC_INIT;
    int r = cgc_load_state(ctx, id, true, &c, err);

    if (r < 0)
        return r;
    if (!live(c.status))
        return berth_error_make(err, 0, "container not running");
    r = berth_resctrl_update(c.dirfd, l3, mb, err);
    return r < 0 ? berth_error_wrap(err, "update container %s", id) : 0;
}

/* ---- ps ----------------------------------------------------------------- */

int berth_container_ps(const struct berth_context *ctx, const char *id, pid_t **ret, size_t *ret_n,
                       berth_error_t *err)
{
    _cleanup_cgc_ struct cgc c = CGC_INIT;
    int r = cgc_load_state(ctx, id, false, &c, err);

    if (r < 0)
        return r;
    /* rootless without a cgroup: the processes of its pid namespace */
    if (!c.state->cgroup) {
        *ret = NULL;
        *ret_n = 0;
        return live(c.status) ? berth_pidns_pids(c.state->pid, ret, ret_n, err) : 0;
    }
    if ((r = berth_cgroup_load(ctx, c.state->cgroup, &c.cg, err)) < 0)
        return berth_error_wrap(err, "container %s", id);
    /* A stopped container is listed, not refused (runc exits 0 with an
     * empty table): whatever is left in its cgroup, or nothing once the
     * cgroup is gone. */
    r = berth_cgroup_pids(c.cg, ret, ret_n, err);
    if (r == -ENOENT && !live(c.status)) {
        berth_error_release(err);
        *ret = NULL;
        *ret_n = 0;
        return 0;
    }
    return r;
}

/* ---- events ------------------------------------------------------------- */

struct event_sink {
    berth_event_fn emit;
    void *data;
};

/* One event record: {"type":T,"id":ID[,"data":{stats}]}. */
static int send_event(const struct event_sink *out, const char *type, const char *id,
                      const struct berth_cgroup_stats *st, berth_error_t *err)
{
    _cleanup_free_ char *json = NULL;
    size_t len = 0;
    int r = berth_event_json(type, id, st, &json, &len, err);

    return r < 0 ? r : out->emit(json, len, out->data, err);
}

static int send_stats(struct berth_cgroup *cg, const struct event_sink *out, const char *id,
                      berth_error_t *err)
{
    struct berth_cgroup_stats st;
    int r = berth_cgroup_stats(cg, &st, err);

    if (r < 0)
        return r;
    r = send_event(out, "stats", id, &st, err);
    berth_cgroup_stats_release(&st);
    return r;
}

/* Counts new OOM kills since the last call. v2: memory.events "oom_kill",
 * read through the polled fd itself, since only a read on that open file
 * clears its POLLPRI (kernfs); v1: the eventfd counter. */
static uint64_t oom_new(int fd, bool v2, uint64_t *seen)
{
    uint64_t n = 0;

    if (v2) {
        char buf[1024], *p;
        ssize_t len = pread(fd, buf, sizeof(buf) - 1, 0);
        unsigned long long kills = 0;

        if (len <= 0)
            return 0;
        buf[len] = '\0';
        p = strstr(buf, "oom_kill ");
        if (!p || sscanf(p + 9, "%llu", &kills) != 1)
            return 0;
        n = kills > *seen ? kills - *seen : 0;
        *seen = kills;
        return n;
    }
    if (read(fd, &n, sizeof(n)) != sizeof(n))
        return 0;
    return n;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int berth_container_events(const struct berth_context *ctx, const char *id, bool stats,
                           int interval_ms, berth_event_fn emit, void *data, berth_error_t *err)
{
    const struct event_sink sink = {emit, data}, *out = &sink;
    _cleanup_cgc_ struct cgc c = CGC_INIT;
    _cleanup_close_ int oomfd = -1;
    uint64_t seen = 0;
    bool v2 = false;
    int r;

    r = cgc_load(ctx, id, false, &c, err);
    if (r < 0)
        return r;
    if (!live(c.status))
        return berth_error_make(err, 0, "container with id %s is not running", id);
    if (stats)
        return send_stats(c.cg, out, id, err);
    oomfd = berth_cgroup_oom_fd(c.cg, &v2, err);
    if (oomfd < 0 && *err)
        return oomfd;
    if (v2)
        (void)oom_new(oomfd, true, &seen);
    if (interval_ms <= 0)
        interval_ms = 5000;
    /* Stats on a fixed schedule: memory.events also changes (POLLPRI) on
     * every "high"/"max" event, which must not starve the stats records. */
    for (int64_t next = now_ms() + interval_ms;;) {
        struct pollfd pfd = {.fd = oomfd, .events = v2 ? POLLPRI : POLLIN};
        int64_t left = next - now_ms();

        r = poll(&pfd, oomfd >= 0 ? 1 : 0, left > 0 ? (int)left : 0);
        if (r < 0 && errno != EINTR)
            return berth_error_errno(err, "events: poll");
        /* runc stops when the container does. */
        if (!berth_proc_alive(c.state->pid, c.state->start_time))
            return 0;
        if (r > 0)
            for (uint64_t n = oom_new(oomfd, v2, &seen); n > 0; n--)
                if ((r = send_event(out, "oom", id, NULL, err)) < 0)
                    return r;
        if (now_ms() >= next) {
            if ((r = send_stats(c.cg, out, id, err)) < 0)
                return r;
            next += interval_ms;
        }
    }
}
