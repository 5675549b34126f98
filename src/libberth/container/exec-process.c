/* exec-process.c: the process `berth exec` runs. Either the --process
 * file (a runtime-spec process object, libocispec's oci_process_desc) as
 * it is, as runc does, or a copy of the container's process.* with the
 * command line and the flags applied. Validated with the create-time
 * process rules before anything is started. */
#include "exec-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "spec/spec.h"

static inline void oci_process_freep(oci_process **p)
{
    if (*p)
        oci_process_free(*p);
}

static int first_error(const struct oci_diags *d, const char *what, berth_error_t *err)
{
    char buf[1024];
    const char *e = oci_diags_first_error(d, buf, sizeof(buf));

    return berth_error_make(err, EINVAL, "%s: %s", what, e ? e : "invalid");
}

static int load_process_file(const char *path, oci_process **ret, berth_error_t *err)
{
    struct oci_diags diags = {0};
    _cleanup_free_ char *what = NULL;
    int r = 0;

    *ret = oci_parse_file(&oci_process_desc, path, &diags);
    if (!*ret) {
        if (asprintf(&what, "process `%s`", path) < 0)
            what = NULL;
        r = first_error(&diags, what ? what : path, err);
    }
    oci_diags_clear(&diags);
    return r;
}

/* Appends n strings to a counted libocispec array (malloc'd copies). */
static int strv_append(char ***v, size_t *len, char *const *add, size_t n)
{
    char **nv = realloc(*v, (*len + n + 1) * sizeof(char *));

    if (!nv)
        return -ENOMEM;
    *v = nv;
    for (size_t i = 0; i < n; i++) {
        nv[*len] = strdup(add[i]);
        if (!nv[*len])
            return -ENOMEM;
        (*len)++;
    }
    nv[*len] = NULL;
    return 0;
}

static int replace_str(char **s, const char *value)
{
    char *copy = strdup(value);

    if (!copy)
        return -ENOMEM;
    free(*s);
    *s = copy;
    return 0;
}

static int parse_u32(const char *s, uint32_t *ret)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (!*s || *end || errno || v > UINT32_MAX || s[0] == '-')
        return -EINVAL;
    *ret = (uint32_t)v;
    return 0;
}

/* --user uid[:gid] and --additional-gids (numeric only, as runc). */
static int apply_user(const struct berth_exec_opts *o, oci_process *p, berth_error_t *err)
{
    if (!o->user && o->ngids == 0)
        return 0;
    if (!p->user && !(p->user = calloc(1, sizeof(*p->user))))
        return berth_error_make(err, ENOMEM, "exec");
    if (o->user) {
        _cleanup_free_ char *u = strdup(o->user);
        char *colon = u ? strchr(u, ':') : NULL;

        if (!u)
            return berth_error_make(err, ENOMEM, "exec");
        if (colon)
            *colon = '\0';
        if (parse_u32(u, &p->user->uid) < 0 || (colon && parse_u32(colon + 1, &p->user->gid) < 0))
            return berth_error_make(err, EINVAL, "--user `%s`: expected uid[:gid]", o->user);
        p->user->uid_present = true;
        if (colon)
            p->user->gid_present = true;
    }
    for (size_t i = 0; i < o->ngids; i++) {
        uint32_t gid, *ng;

        if (parse_u32(o->additional_gids[i], &gid) < 0)
            return berth_error_make(err, EINVAL,
                                    "--additional-gids `%s`: must be a non-negative number",
                                    o->additional_gids[i]);
        ng = realloc(p->user->additionalGids, (p->user->additionalGids_len + 1) * sizeof(*ng));
        if (!ng)
            return berth_error_make(err, ENOMEM, "exec");
        p->user->additionalGids = ng;
        ng[p->user->additionalGids_len++] = gid;
    }
    return 0;
}

/* runc's --cap: bounding, effective and permitted; ambient only when the
 * process has inheritable capabilities (ambient needs them). */
static int apply_caps(const struct berth_exec_opts *o, oci_process *p)
{
    oci_capabilities *c;

    if (o->ncaps == 0)
        return 0;
    if (!p->capabilities && !(p->capabilities = calloc(1, sizeof(*p->capabilities))))
        return -ENOMEM;
    c = p->capabilities;
    if (strv_append(&c->bounding, &c->bounding_len, o->caps, o->ncaps) < 0 ||
        strv_append(&c->effective, &c->effective_len, o->caps, o->ncaps) < 0 ||
        strv_append(&c->permitted, &c->permitted_len, o->caps, o->ncaps) < 0)
        return -ENOMEM;
    if (c->inheritable && strv_append(&c->ambient, &c->ambient_len, o->caps, o->ncaps) < 0)
        return -ENOMEM;
    return 0;
}

static int from_flags(const struct berth_exec_opts *o, const oci_config *cfg, oci_process **ret,
                      berth_error_t *err)
{
    _cleanup_(oci_process_freep) oci_process *p = NULL;
    int r;

    p = cfg->process ? oci_dup(&oci_process_desc, cfg->process) : calloc(1, sizeof(*p));
    if (!p || (!p->cwd && replace_str(&p->cwd, "/") < 0))
        return berth_error_make(err, ENOMEM, "exec");
    for (size_t i = 0; i < p->args_len; i++)
        free(p->args[i]);
    free(p->args);
    p->args = NULL;
    p->args_len = 0;
    /* runc: the terminal is what -t says, never the container's */
    p->terminal = o->tty;
    p->terminal_present = true;
    if (strv_append(&p->args, &p->args_len, o->args, o->nargs) < 0 ||
        strv_append(&p->env, &p->env_len, o->env, o->nenv) < 0 ||
        (o->cwd && replace_str(&p->cwd, o->cwd) < 0) ||
        (o->apparmor && replace_str(&p->apparmorProfile, o->apparmor) < 0) ||
        (o->process_label && replace_str(&p->selinuxLabel, o->process_label) < 0) ||
        apply_caps(o, p) < 0)
        return berth_error_make(err, ENOMEM, "exec");
    if (o->no_new_privs)
        p->noNewPrivileges = p->noNewPrivileges_present = true;
    r = apply_user(o, p, err);
    if (r < 0)
        return r;
    *ret = TAKE_PTR(p);
    return 0;
}

int berth_exec_build_process(const struct berth_exec_opts *o, const oci_config *cfg,
                             oci_process **ret, berth_error_t *err)
{
    _cleanup_(oci_process_freep) oci_process *p = NULL;
    struct oci_diags diags = {0};
    int r;

    if (o->process_file)
        r = load_process_file(o->process_file, &p, err);
    else
        r = from_flags(o, cfg, &p, err);
    if (r < 0)
        return r;
    /* config.md "Process": args is REQUIRED and cwd MUST be absolute;
     * plus the rest of the create-time process rules. */
    if (berth_validate_process(cfg, p, &diags) > 0) {
        r = first_error(&diags, "process", err);
        oci_diags_clear(&diags);
        return r;
    }
    oci_diags_clear(&diags);
    if (p->args_len == 0 || !p->args[0][0])
        return berth_error_make(err, EINVAL, "exec: executable path is empty");
    *ret = TAKE_PTR(p);
    return 0;
}
