/* cgroup-exec.c: the cgroup of an exec'd process: the container's own, or
 * with --cgroup a sub-cgroup of it, as runc: "path" for every hierarchy,
 * or "ctrl[,ctrl]:path" entries (comma separated) per v1 controller, where
 * the empty controller name is the cgroup2 hierarchy. The sub-cgroup must
 * exist; berth never creates it. */
#include "cgroup-join.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup-internal.h"
#include "util/cleanup.h"

/* A relative path without "..": it must stay below the container's
 * cgroup. */
static int check_sub(const char *sub, berth_error_t *err)
{
    _cleanup_free_ char *copy = strdup(sub);
    char *save = NULL;

    if (!copy)
        return berth_error_make(err, ENOMEM, "--cgroup");
    if (sub[0] == '/' || !sub[0])
        return berth_error_make(err, EINVAL, "--cgroup `%s`: must be a relative path", sub);
    for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save))
        if (strcmp(c, "..") == 0 || strcmp(c, ".") == 0)
            return berth_error_make(err, EINVAL, "--cgroup `%s`: must not contain `.` or `..`",
                                    sub);
    return 0;
}

/* The sub path spec gives for directory d, or NULL: a plain path applies
 * everywhere; "ctrls:path" entries to the hierarchies of their
 * controllers (empty = cgroup2). */
static int sub_for(const struct cg_dir *d, const char *spec, char **ret, berth_error_t *err)
{
    _cleanup_free_ char *copy = strdup(spec);
    char *save = NULL;

    *ret = NULL;
    if (!copy)
        return berth_error_make(err, ENOMEM, "--cgroup");
    if (!strchr(spec, ':')) {
        *ret = strdup(spec);
        return *ret ? 0 : berth_error_make(err, ENOMEM, "--cgroup");
    }
    for (char *e = strtok_r(copy, " ", &save); e; e = strtok_r(NULL, " ", &save)) {
        char *colon = strchr(e, ':'), *save2 = NULL;

        if (!colon)
            return berth_error_make(err, EINVAL, "--cgroup `%s`: expected ctrl:path", e);
        *colon = '\0';
        if (!e[0] && d->v2) {
            *ret = strdup(colon + 1);
            return *ret ? 0 : berth_error_make(err, ENOMEM, "--cgroup");
        }
        for (char *c = strtok_r(e, ",", &save2); c; c = strtok_r(NULL, ",", &save2))
            if (!d->v2 && cg_dir_has(d, c)) {
                *ret = strdup(colon + 1);
                return *ret ? 0 : berth_error_make(err, ENOMEM, "--cgroup");
            }
    }
    return 0;
}

/* The directory of hierarchy d for pid's cgroup: the container's, or the
 * --cgroup sub-cgroup below it; *ret NULL when d keeps the container's. */
static int target_dir(const struct cg_dir *d, const char *sub, char **ret, berth_error_t *err)
{
    _cleanup_free_ char *rel = NULL;
    int r;

    *ret = NULL;
    if (!sub)
        return 0;
    r = sub_for(d, sub, &rel, err);
    if (r < 0 || !rel)
        return r;
    if ((r = check_sub(rel, err)) < 0)
        return r;
    if (asprintf(ret, "%s/%s", d->path, rel) < 0)
        return berth_error_make(err, ENOMEM, "--cgroup");
    return 0;
}

/* Every controller a "ctrls:path" entry names must be one of the
 * container's hierarchies (runc: "unknown controller X"): a typo must not
 * leave the process silently in the container's own cgroup. */
static int check_controllers(const struct berth_cgroup *cg, const char *spec, berth_error_t *err)
{
    _cleanup_free_ char *copy = strdup(spec);
    char *save = NULL;

    if (!copy)
        return berth_error_make(err, ENOMEM, "--cgroup");
    if (!strchr(spec, ':'))
        return 0;
    for (char *e = strtok_r(copy, " ", &save); e; e = strtok_r(NULL, " ", &save)) {
        char *colon = strchr(e, ':'), *save2 = NULL;

        if (!colon)
            continue; /* sub_for reports it */
        *colon = '\0';
        for (char *c = strtok_r(e, ",", &save2); c; c = strtok_r(NULL, ",", &save2)) {
            bool known = false;
            for (size_t i = 0; !known && i < cg->n; i++)
                known = !cg->d[i].v2 && cg_dir_has(&cg->d[i], c);
            if (!known)
                return berth_error_make(err, EINVAL, "--cgroup `%s`: unknown controller `%s`", spec,
                                        c);
        }
    }
    return 0;
}

int berth_cgroup_join_prepare_sub(const struct berth_cgroup *cg, const char *sub,
                                  struct berth_cgroup_join *j, berth_error_t *err)
{
    int r;

    if (sub && (r = check_controllers(cg, sub, err)) < 0)
        return r;
    for (size_t i = 0; i < cg->n; i++) {
        _cleanup_free_ char *path = NULL;

        r = target_dir(&cg->d[i], sub, &path, err);
        if (r >= 0)
            r = berth_cgroup_join_add(j, -1, path ? path : cg->d[i].path, cg->d[i].v2, err);
        if (r < 0)
            return sub ? berth_error_wrap(err, "--cgroup `%s`", sub) : r;
    }
    return 0;
}
