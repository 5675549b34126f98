/* cgroup-systemd.c: the systemd cgroup driver (--systemd-cgroup).
 *
 * systemd owns the container's cgroup: berth asks it for a transient unit
 * (a scope, or a slice) holding the init, with the resources as unit
 * properties (systemd-unit.h), and then drives the directory systemd made
 * exactly as the cgroupfs driver does: the files of every resource
 * (systemd has no property for many), freeze, kill, pids, stats. On a
 * hybrid host the v1 controllers systemd does not manage (cpuset, freezer,
 * net_cls...) get directories of berth's own at the same path, as runc
 * does. D-Bus is spoken by the helper berth-systemd (systemd-bus.h), which
 * is linked against libsystemd so that berth is not. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup-internal.h"
#include "cgroup.h"
#include "util/cleanup.h"
#include "util/run.h"
#include "systemd-unit.h"

/* Runs the helper: berth-systemd [--user] OP [UNIT PROP...]; its stderr is
 * the error message, its exit status the errno; out (or NULL) gets its
 * stdout. */
static int call_helper(const struct berth_cgroup *cg, const char *op, bool unit,
                       const struct berth_sd_props *p, const struct berth_run_buf *out,
                       berth_error_t *err)
{
    const char *helper = cg->ctx ? cg->ctx->systemd_helper : NULL;
    _cleanup_free_ char **argv = NULL;
    char msg[1024];
    size_t n = 0;
    int status = 0, r;

    if (!helper)
        return berth_error_make(err, EOPNOTSUPP,
                                "the systemd cgroup driver is not available: berth was built "
                                "without libsystemd (its helper berth-systemd)");
    argv = calloc(4 + (p ? p->n : 0) + 1, sizeof(*argv));
    if (!argv)
        return berth_error_make(err, ENOMEM, "systemd helper");
    argv[n++] = (char *)helper;
    if (cg->sd.user)
        argv[n++] = "--user";
    argv[n++] = (char *)op;
    if (unit)
        argv[n++] = cg->sd.name;
    for (size_t i = 0; p && i < p->n; i++)
        argv[n++] = p->v[i];
    r = berth_run_capture(argv, false, out, &(struct berth_run_buf){msg, sizeof(msg)}, &status,
                          err);
    if (r < 0) { /* runc-like wording the tests and engines see */
        berth_error_release(err);
        return berth_error_make(err, -r, "run the systemd cgroup driver's helper `%s`", helper);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    r = WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
    /* the helper's message ends with its errno text already */
    berth_error_make(err, 0, "systemd: %s", msg[0] ? msg : "the helper failed");
    (*err)->status = r;
    return -r;
}

int cg_sd_plan(struct berth_cgroup *cg, const char *cgroups_path, const char *id, bool v2,
               char **ret_path, berth_error_t *err)
{
    /* rootless: the user's own systemd instance (runc's rootless systemd
     * manager, which exists for cgroup v2 only) */
    bool user = cg->ctx && cg->ctx->rootless;
    char manager[4096];
    int r;

    if (user && !v2)
        return berth_error_make(err, 0, "cannot use rootless systemd cgroups manager on cgroup v1");
    r = berth_sd_unit_parse(cgroups_path, id, user, &cg->sd, err);
    if (r < 0)
        return r;
    cg->unit_v2 = v2;
    if (!user) {
        *ret_path = TAKE_PTR(cg->sd.path);
        return 0;
    }
    /* a user instance's slices are below its own cgroup,
     * "/user.slice/user-UID.slice/user@UID.service" (runc asks the same) */
    r = call_helper(cg, "control-group", false, NULL,
                    &(struct berth_run_buf){manager, sizeof(manager)}, err);
    if (r < 0)
        return r;
    if (manager[0] != '/')
        return berth_error_make(err, EPROTO, "systemd: the user manager's cgroup is `%s`", manager);
    if (asprintf(ret_path, "%s%s", strcmp(manager, "/") == 0 ? "" : manager, cg->sd.path) < 0)
        return berth_error_make(err, ENOMEM, "cgroup path");
    return 0;
}

int cg_sd_start(struct berth_cgroup *cg, const char *id, pid_t pid, const oci_resources *res,
                berth_error_t *err)
{
    struct berth_sd_props p = {0};
    int r;

    if (!cg->sd.name)
        return 0;
    /* the unit's own, the init (systemd moves it into the new cgroup: it
     * waits for CGROUP_READY before it goes on), the resources */
    r = berth_sd_props_unit(&cg->sd, id, pid, cg->unit_v2, &p, err);
    if (r == 0)
        r = berth_sd_props_resources(res, cg->unit_v2, true, &p, &cg->sd_quota, err);
    /* the annotations' last: as runc, they may set what the others did */
    for (size_t i = 0; r == 0 && i < cg->sd_extra.n; i++)
        if (berth_sd_props_add(&p, NULL, "%s", cg->sd_extra.v[i]) < 0)
            r = berth_error_make(err, ENOMEM, "unit properties");
    if (r == 0)
        r = call_helper(cg, "start", true, &p, NULL, err);
    berth_sd_props_release(&p);
    return r;
}

int berth_cgroup_unit_annotations(struct berth_cgroup *cg, const oci_string_map *annotations,
                                  berth_error_t *err)
{
    if (!cg->sd.name)
        return 0;
    return berth_sd_props_annotations(annotations, &cg->sd_extra, err);
}

int cg_sd_update(struct berth_cgroup *cg, const oci_resources *res, int64_t *ret_quota,
                 berth_error_t *err)
{
    struct berth_sd_props p = {0};
    int r = berth_sd_props_resources(res, cg->unit_v2, false, &p, ret_quota, err);

    if (r == 0 && p.n > 0)
        r = call_helper(cg, "set", true, &p, NULL, err);
    berth_sd_props_release(&p);
    return r;
}

int cg_sd_stop(struct berth_cgroup *cg, berth_error_t *err)
{
    /* no systemd (any more): no unit to stop, and delete must not be
     * stuck on it */
    if (!berth_cgroup_systemd_running())
        return 0;
    return call_helper(cg, "stop", true, NULL, NULL, err);
}

bool berth_cgroup_systemd_running(void)
{
    struct stat st;

    return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}
