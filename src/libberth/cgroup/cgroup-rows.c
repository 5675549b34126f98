/* cgroup-rows.c: walks a hierarchy version's table of linux.resources
 * (struct cg_row in cgroup-internal.h; the tables are in cgroup-v1.c and
 * cgroup-v2.c): what a version refuses, where each field goes, and the
 * writes in table order. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cgroup-internal.h"

bool cg_row_applies(const struct cg_row *row, const oci_resources *res)
{
    struct berth_cg_value v;

    if (!berth_cg_field_get(res, row->field, &v))
        return false;
    return row->when == CGW_SET || (row->when == CGW_TRUE) == v.b;
}

static const struct cg_row *row_of(const struct cg_ops *ops, enum berth_cg_field_id id)
{
    for (size_t i = 0; i < ops->nrows; i++)
        if (ops->rows[i].field == id)
            return &ops->rows[i];
    return NULL;
}

/* "memory.swappiness 60: cgroup v2 has no swappiness" */
static int refuse(const struct cg_row *row, const oci_resources *res, berth_error_t *err)
{
    char val[64];

    berth_cg_field_format(res, row->field, val, sizeof(val));
    return berth_error_make(err, EINVAL, "%s %s: %s", berth_cg_fields[row->field].name, val,
                            row->why);
}

static void ignore(const struct cg_row *row, const oci_resources *res,
                   const struct berth_context *ctx)
{
    char val[64];

    berth_cg_field_format(res, row->field, val, sizeof(val));
    berth_warn(ctx, "%s %s ignored: %s", berth_cg_fields[row->field].name, val, row->why);
}

static int write_row(int dirfd, const struct cg_row *row, const oci_resources *res,
                     berth_error_t *err)
{
    const struct berth_cg_field *f = &berth_cg_fields[row->field];
    struct berth_cg_value v;
    char buf[32];

    (void)berth_cg_field_get(res, row->field, &v);
    switch (row->conv) {
    case CGC_STR:
        return cg_write(dirfd, row->file, v.s, err);
    case CGC_BOOL01:
        return cg_write(dirfd, row->file, v.b ? "1" : "0", err);
    case CGC_MEM_V1:
    case CGC_MEM_V2:
        cg_fmt_mem(buf, sizeof(buf), v.i, row->conv == CGC_MEM_V2);
        return cg_write(dirfd, row->file, buf, err);
    case CGC_NEG_MAX:
        if (v.i < 0)
            return cg_write(dirfd, row->file, "max", err);
        /* pids.limit 0 is a real limit, written as 1 as runc >= 1.2 does:
         * systemd refuses TasksMax=0, and both drivers must agree (the
         * init alone already counts 1, so no process can be added). */
        if (v.i == 0)
            return cg_write(dirfd, row->file, "1", err);
        return cg_writef(dirfd, row->file, err, "%" PRId64, v.i);
    case CGC_CPU_WEIGHT:
        return cg_writef(dirfd, row->file, err, "%" PRIu64, berth_cg_shares_to_weight(v.u));
    case CGC_NUM:
        break;
    }
    if (f->type == CGT_I64)
        return cg_writef(dirfd, row->file, err, "%" PRId64, v.i);
    return cg_writef(dirfd, row->file, err, "%" PRIu64, v.u);
}

static bool row_here(const struct cg_row *row, const struct cg_dir *d)
{
    return row->controller && cg_dir_has(d, row->controller);
}

int cg_apply_rows(const struct cg_ops *ops, const struct cg_dir *d, int dirfd,
                  const oci_resources *res, const struct berth_context *ctx, berth_error_t *err)
{
    /* First what this version cannot do, so that a refusal writes
     * nothing. */
    for (size_t i = 0; i < ops->nrows; i++) {
        const struct cg_row *row = &ops->rows[i];

        if (row->how != CGH_NONE || !row_here(row, d) || !cg_row_applies(row, res))
            continue;
        if (!row->warn)
            return refuse(row, res, err);
        ignore(row, res, ctx);
    }
    for (size_t i = 0; i < ops->nrows; i++) {
        const struct cg_row *row = &ops->rows[i];
        int r = 0;

        if (!row_here(row, d))
            continue;
        if (row->how == CGH_WRITER)
            r = row->write(dirfd, res, ctx, err);
        else if (row->how == CGH_FILE && cg_row_applies(row, res))
            r = write_row(dirfd, row, res, err);
        if (r < 0)
            return r;
    }
    return 0;
}

/* The hierarchy a rootless berth could not create that field id needs. */
static const struct cg_dir *gone_for(const struct cg_dir *gone, size_t ngone, int id)
{
    for (size_t j = 0; j < ngone; j++) {
        const struct cg_row *row = row_of(gone[j].ops, id);

        if (row && row->controller && cg_dir_has(&gone[j], row->controller))
            return &gone[j];
    }
    return NULL;
}

int cg_rows_placeable(const struct cg_dir *dirs, size_t n, const struct cg_dir *gone, size_t ngone,
                      const oci_resources *res, berth_error_t *err)
{
    bool any_v1 = false;

    for (size_t j = 0; j < n; j++)
        any_v1 |= !dirs[j].v2;
    for (int id = 0; id < CGF_N; id++) {
        const struct cg_dir *lost;
        const struct cg_row *none = NULL;
        const char *wanted = NULL;
        bool placed = false;

        if (!berth_cg_field_get(res, id, NULL))
            continue;
        for (size_t j = 0; j < n && !placed; j++) {
            const struct cg_row *row = row_of(dirs[j].ops, id);

            if (!row || row->how == CGH_NOTHING || (row->how == CGH_BY && !row->controller)) {
                placed = true;
            } else if (row->how == CGH_NONE && !row->controller) {
                none = row;
            } else if (cg_dir_has(&dirs[j], row->controller)) {
                /* what the version lacks is refused before any directory
                 * is written (a warning waits for cg_apply_rows) */
                if (row->how == CGH_NONE && !row->warn && cg_row_applies(row, res))
                    return refuse(row, res, err);
                placed = true;
            } else if (!wanted || !dirs[j].v2) {
                wanted = row->controller;
            }
        }
        if (placed || (id == CGF_DEVICES && ngone))
            continue;
        if ((lost = gone_for(gone, ngone, id)))
            /* runc: "rootless needs no limits + no cgrouppath when no
             * permission is granted for cgroups" */
            return berth_error_make(err, EPERM,
                                    "linux.resources.%s: cannot set the limit: rootless berth may "
                                    "not create the container's cgroup `%s` (delegate a cgroup to "
                                    "the user and name it in linux.cgroupsPath)",
                                    berth_cg_fields[id].name, lost->path);
        /* On a pure v2 host the version's reason says it best; with v1
         * hierarchies the controller is what is missing. */
        if (none && !any_v1) {
            if (cg_row_applies(none, res))
                return refuse(none, res, err);
            continue;
        }
        if (!wanted)
            continue;
        return berth_error_make(err, EOPNOTSUPP,
                                "linux.resources.%s: the cgroup controller `%s` is not available "
                                "on this host",
                                berth_cg_fields[id].name, wanted);
    }
    return 0;
}
