/* validate.h: semantic validation of a bundle's config.json.
 *
 * libocispec checks what the JSON schema can express (types, ranges, enums,
 * required members) and reports unknown members as warnings. This module
 * adds the rules that span several fields or need the host: duplicate
 * namespaces, mappings without a user namespace, errnoRet on an action
 * that has no errno, a rootfs that is not a directory, and so on. Every
 * diagnostic carries a JSON pointer and names the spec section it enforces,
 * e.g. `config-linux.md "Namespaces": duplicate namespace type "pid"`.
 *
 * `berth validate` prints the diagnostics; `create` runs the same rules
 * through berth_validate_bundle_opts() before it touches anything, so a config
 * that validate accepts is exactly a config that create accepts.
 *
 * Nothing here prints, and nothing has side effects beyond stat/open/read
 * of host files when check_host is set.
 */
#ifndef BERTH_VALIDATE_H
#define BERTH_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"
#include "oci-types.h"

struct berth_validate_opts {
    const char *bundle_dir;   /* relative root.path and bind sources resolve here; NULL = cwd */
    bool check_host;          /* also check the host: rootfs exists, namespace paths, resctrl ... */
    const char *resctrl_root; /* the context's (resctrl-root.h); NULL: the host's mount */
    /* the cgroup version whose table linux.resources is checked against
     * (by `more`): DETECT asks the host (a pure v2 host, with check_host) */
    enum { BERTH_VALIDATE_CG_DETECT, BERTH_VALIDATE_CG_V1, BERTH_VALIDATE_CG_V2 } cgroup;
    /* The rules of the modules above this one, run after validate's own
     * into the same diags (diags may be NULL: count only); returns the
     * errors it added. The commands pass berth_cgroup_validate (the cgroup
     * version's table); NULL: none. */
    size_t (*more)(const oci_config *cfg, const struct berth_validate_opts *o,
                   struct oci_diags *diags);
};

/* Runs every semantic rule over cfg and appends diagnostics (error or
 * warning, JSON pointer, message citing the spec section) to diags.
 * Returns the number of errors it added. Never prints. */
size_t berth_validate_config(const oci_config *cfg, const struct berth_validate_opts *o,
                             struct oci_diags *diags);

/* Runs the process rules over a standalone process object (`exec
 * --process FILE`); pointers are relative to that object ("/args").
 * cfg (may be NULL) gives the container's namespaces and id mappings.
 * Returns the number of errors added. */
size_t berth_validate_process(const oci_config *cfg, const oci_process *process,
                              struct oci_diags *diags);

/* Runs the resource rules over a standalone resources object (`update
 * --resources FILE`); pointers are relative to it ("/memory/swap").
 * Returns the number of errors added. */
size_t berth_validate_resources(const oci_resources *resources, struct oci_diags *diags);

/* Loads <o->bundle_dir>/config.json (NULL = cwd) with libocispec (schema
 * errors), then runs berth_validate_config with o (create and restore pass
 * check_host and berth_cgroup_validate). On any error returns -EINVAL and
 * sets *err to "<pointer>: <message>" of the first error (what create
 * reports); *ret_cfg is left untouched. On success stores the parsed
 * config in *ret_cfg (when ret_cfg is not NULL, else it is freed) and
 * returns 0. Warnings (unknown fields, unknown capabilities, deprecated
 * forms) stay in diags for the caller to log; diags may be NULL when the
 * caller does not want them. */
int berth_validate_bundle_opts(const struct berth_validate_opts *o, struct oci_diags *diags,
                               oci_config **ret_cfg, berth_error_t *err);

#endif
