/* cgroup-validate.c: the validation rule the cgroup module adds to
 * berth_validate_config (validate.h's `more`): the fields of
 * linux.resources the cgroup version's table cannot apply. */
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>

#include "cgroup-fields.h"
#include "cgroup-internal.h"
#include "cgroup.h"
#include "spec/spec.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* "If the conversion is not possible the runtime MUST generate an error." */
#define S_CONVERT "config-linux.md \"Unified\""

/* The fields res sets that the version's table has a CGH_NONE row for. */
void berth_cg_unsupported(bool v2, const oci_resources *res, berth_cg_unsupported_fn fn, void *data)
{
    const struct cg_ops *ops = v2 ? &berth_cg_ops_v2 : &berth_cg_ops_v1;

    for (size_t i = 0; i < ops->nrows; i++) {
        const struct cg_row *row = &ops->rows[i];

        if (row->how == CGH_NONE && cg_row_applies(row, res))
            fn(row->field, row->why, row->warn, data);
    }
}

struct report {
    struct oci_diags *diags;
    size_t nerrors;
};

static void report(enum berth_cg_field_id id, const char *why, bool warn, void *data)
{
    struct report *r = data;
    char ptr[128];

    /* "memory.swappiness" -> "/linux/resources/memory/swappiness" */
    snprintf(ptr, sizeof(ptr), "/linux/resources/%s", berth_cg_fields[id].name);
    for (char *p = ptr; *p; p++)
        if (*p == '.')
            *p = '/';
    if (!warn)
        r->nerrors++;
    if (r->diags)
        oci_diags_add(r->diags, warn ? OCI_DIAG_WARNING : OCI_DIAG_ERROR, ptr, "%s: %s%s",
                      S_CONVERT, warn ? "ignored: " : "", why);
}

static void count(enum berth_cg_field_id id, const char *why, bool warn, void *data)
{
    (void)id, (void)why, (void)warn;
    (*(size_t *)data)++;
}

size_t berth_cgroup_validate(const oci_config *cfg, const struct berth_validate_opts *o,
                             struct oci_diags *diags)
{
    const oci_resources *res = cfg->linux ? cfg->linux->resources : NULL;
    struct report r = {diags, 0};
    struct statfs sfs;
    size_t n = 0;

    /* a value given for a v1 controller with no v2 conversion; v1 has all
     * the fields (unified on v1 is refused when applied, as runc does) */
    if (!res || o->cgroup == BERTH_VALIDATE_CG_V1)
        return 0;
    /* the host is asked only when the v2 table has something to say (a
     * statfs less on the create path of the configs engines send) */
    berth_cg_unsupported(true, res, count, &n);
    if (n == 0 || (o->cgroup == BERTH_VALIDATE_CG_DETECT &&
                   !(o->check_host && statfs("/sys/fs/cgroup", &sfs) == 0 &&
                     sfs.f_type == CGROUP2_SUPER_MAGIC)))
        return 0;
    berth_cg_unsupported(true, res, report, &r);
    return r.nerrors;
}
