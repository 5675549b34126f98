/* validate.c: the validate module's frame and its top-level rules.
 *
 * Owns the table of semantic rules, the bundle entry points used by
 * `berth validate` and `create`, and the rules on the top-level members of
 * config.md (ociVersion, root, process presence, hostname, hooks,
 * annotations). The per-concern rules live in
 * validate-{process,mounts,namespaces,linux,resources,seccomp}.c; the
 * helpers every rule file uses (reporting, shared predicates) below them
 * all, in validate-util.c.
 */
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/cleanup.h"
#include "validate-internal.h"

/* ---- ociVersion --------------------------------------------------------- */

/* One dot-separated SemVer identifier list ("rc.1", "build.5"); numeric
 * identifiers of a pre-release must not have leading zeros. */
static const char *semver_idents(const char *s, bool prerelease)
{
    for (;;) {
        const char *start = s;
        bool numeric = true;
        for (; *s == '-' || (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
               (*s >= 'A' && *s <= 'Z');
             s++)
            if (*s < '0' || *s > '9')
                numeric = false;
        if (s == start)
            return NULL;
        if (prerelease && numeric && s - start > 1 && *start == '0')
            return NULL;
        if (*s != '.')
            return s;
        s++;
    }
}

static const char *semver_number(const char *s, unsigned long *ret)
{
    const char *end = v_parse_uint(s, ret);

    if (!end || (*s == '0' && end - s > 1))
        return NULL;
    return end;
}

/* SemVer 2.0.0: MAJOR.MINOR.PATCH[-pre.release][+build.meta]. */
static bool semver_parse(const char *s, unsigned long ver[3])
{
    for (int i = 0; i < 3; i++) {
        s = s ? semver_number(s, &ver[i]) : NULL;
        if (!s || (i < 2 && *s++ != '.'))
            return false;
    }
    if (*s == '-')
        s = semver_idents(s + 1, true);
    if (s && *s == '+')
        s = semver_idents(s + 1, false);
    return s && *s == '\0';
}

static void check_version(struct vctx *v)
{
    const char *version = v->cfg->ociVersion;
    unsigned long ver[3], max[3] = {1, 3, 0};

    if (!version) {
        v_error(v, "/ociVersion", S_VERSION, "ociVersion is REQUIRED");
        return;
    }
    if (!semver_parse(version, ver)) {
        v_error(v, "/ociVersion", S_VERSION, "\"%s\" is not a SemVer 2.0.0 version", version);
        return;
    }
    (void)semver_parse(OCI_SPEC_VERSION, max);
    /* The spec keeps compatibility within a major version only; a newer
     * minor may carry fields berth would silently ignore. */
    if (ver[0] > max[0] || (ver[0] == max[0] && ver[1] > max[1]))
        v_error(v, "/ociVersion", S_VERSION,
                "unsupported version \"%s\": berth implements runtime-spec %s (up to %lu.%lu.x)",
                version, OCI_SPEC_VERSION, max[0], max[1]);
    else if (ver[0] == 0)
        v_warning(v, "/ociVersion", S_VERSION,
                  "pre-1.0 version \"%s\": berth reads it as runtime-spec %s", version,
                  OCI_SPEC_VERSION);
}

/* ---- root --------------------------------------------------------------- */

static void check_root(struct vctx *v)
{
    const oci_root *root = v->cfg->root;
    char buf[4096];
    struct stat st;

    /* "On all other platforms [than Windows], this field is REQUIRED." */
    if (!root) {
        v_error(v, "/root", S_ROOT, "root is REQUIRED on Linux");
        return;
    }
    if (!root->path || !*root->path) {
        v_error(v, "/root/path", S_ROOT, "root.path is REQUIRED and must not be empty");
        return;
    }
    /* Not a spec rule, but berth sets up the rootfs (pivot_root, mounts)
     * only inside a mount namespace of the container's own; create fails
     * without one. The spec's own minimal example has none, so: warning. */
    if (!v_ns(v->cfg, "mount"))
        v_warning(v, "/linux/namespaces", S_ROOT,
                  "no mount namespace: berth needs one to set up the root filesystem, so create "
                  "will fail");
    if (!v->o->check_host)
        return;
    /* "A directory MUST exist at the path declared by the field." */
    v_bundle_path(v, root->path, buf, sizeof(buf));
    if (stat(buf, &st) < 0)
        v_error(v, "/root/path", S_ROOT, "a directory MUST exist at \"%s\": %s", buf,
                strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        v_error(v, "/root/path", S_ROOT, "a directory MUST exist at \"%s\": not a directory", buf);
}

/* ---- process ------------------------------------------------------------ */

static void check_process(struct vctx *v)
{
    /* create may run without process; start MUST then fail, so say it now. */
    if (!v->cfg->process) {
        v_warning(v, "/process", S_START,
                  "process is not set: the container can be created but start will fail");
        return;
    }
    v_check_process(v, v->cfg->process, "/process");
}

/* ---- hostname, domainname ----------------------------------------------- */

static void check_uts(struct vctx *v)
{
    /* config.md says the UTS namespace "may be the runtime UTS namespace";
     * setting the name there would rename the host, which berth (like runc
     * and crun) refuses. Joining a UTS namespace by path is fine. */
    if (v->cfg->hostname && *v->cfg->hostname && !v_ns(v->cfg, "uts"))
        v_error(v, "/hostname", S_HOSTNAME,
                "hostname requires a UTS namespace in linux.namespaces (otherwise it would change "
                "the host's name)");
    if (v->cfg->domainname && *v->cfg->domainname && !v_ns(v->cfg, "uts"))
        v_error(
            v, "/domainname", S_DOMAINNAME,
            "domainname requires a UTS namespace in linux.namespaces (otherwise it would change "
            "the host's name)");
}

/* ---- hooks -------------------------------------------------------------- */

static void check_hook_list(struct vctx *v, const char *name, const oci_hook *hooks, size_t n,
                            bool runtime_ns)
{
    for (size_t i = 0; hooks && i < n; i++) {
        const oci_hook *h = &hooks[i];
        char buf[4096];
        struct stat st;

        /* "This specification extends the IEEE standard in that path MUST be absolute." */
        if (!v_abs(h->path)) {
            v_error(v, vp(v, "/hooks/%s/%zu/path", name, i), S_HOOKS,
                    "hook path \"%s\" MUST be absolute", h->path ? h->path : "");
            continue;
        }
        /* "If set, timeout MUST be greater than zero." */
        if (h->timeout_present && h->timeout <= 0)
            v_error(v, vp(v, "/hooks/%s/%zu/timeout", name, i), S_HOOKS,
                    "timeout MUST be greater than zero, got %d", h->timeout);
        for (size_t j = 0; h->env && j < h->env_len; j++)
            if (!v_env_entry_ok(h->env[j]))
                v_error(v, vp(v, "/hooks/%s/%zu/env/%zu", name, i, j), S_HOOKS,
                        "\"%s\" is not of the form KEY=value (environ semantics)",
                        h->env[j] ? h->env[j] : "");
        /* The path "MUST resolve in the runtime namespace"; it may still be
         * installed later, so a missing one is only a warning. */
        if (v->o->check_host && runtime_ns) {
            (void)snprintf(buf, sizeof(buf), "%s", h->path);
            if (stat(buf, &st) < 0)
                v_warning(v, vp(v, "/hooks/%s/%zu/path", name, i), S_HOOKS, "hook \"%s\": %s",
                          h->path, strerror(errno));
        }
    }
}

static void check_hooks(struct vctx *v)
{
    const oci_hooks *h = v->cfg->hooks;

    if (!h)
        return;
    check_hook_list(v, "prestart", h->prestart, h->prestart_len, true);
    check_hook_list(v, "createRuntime", h->createRuntime, h->createRuntime_len, true);
    check_hook_list(v, "createContainer", h->createContainer, h->createContainer_len, true);
    /* startContainer paths resolve in the container namespace. */
    check_hook_list(v, "startContainer", h->startContainer, h->startContainer_len, false);
    check_hook_list(v, "poststart", h->poststart, h->poststart_len, true);
    check_hook_list(v, "poststop", h->poststop, h->poststop_len, true);
}

/* ---- annotations -------------------------------------------------------- */

static const char *const oci_annotation_keys[] = {
    "org.opencontainers.image.os",          "org.opencontainers.image.os.version",
    "org.opencontainers.image.os.features", "org.opencontainers.image.architecture",
    "org.opencontainers.image.variant",     "org.opencontainers.image.author",
    "org.opencontainers.image.created",     "org.opencontainers.image.stopSignal",
};

static bool known_oci_annotation(const char *key)
{
    for (size_t i = 0; i < sizeof(oci_annotation_keys) / sizeof(oci_annotation_keys[0]); i++)
        if (strcmp(key, oci_annotation_keys[i]) == 0)
            return true;
    return false;
}

static void check_annotations(struct vctx *v)
{
    const oci_string_map *a = &v->cfg->annotations;

    for (size_t i = 0; a->keys && i < a->len; i++) {
        const char *key = a->keys[i];
        /* "Keys MUST NOT be an empty string." */
        if (!key || !*key)
            v_error(v, vp_key(v, "/annotations", ""), S_ANNOTATIONS,
                    "annotation keys MUST NOT be an empty string");
        /* Unknown keys are handled "like any other unknown property": logged. */
        else if (strncmp(key, "org.opencontainers.", 19) == 0 && !known_oci_annotation(key))
            v_warning(
                v, vp_key(v, "/annotations", key), S_ANNOTATIONS,
                "\"%s\" is in the reserved org.opencontainers namespace but not defined by the "
                "spec; it is ignored",
                key);
    }
}

/* ---- the rule table and entry points ------------------------------------ */

struct vrule {
    const char *name;
    void (*fn)(struct vctx *v);
};

/* Order is report order: top-level members first, then linux.*. */
static const struct vrule rules[] = {
    {"version", check_version},
    {"root", check_root},
    {"mounts", check_mounts},
    {"process", check_process},
    {"uts", check_uts},
    {"hooks", check_hooks},
    {"annotations", check_annotations},
    {"namespaces", check_namespaces},
    {"id-mappings", check_id_mappings},
    {"time-offsets", check_time_offsets},
    {"devices", check_devices},
    {"net-devices", check_net_devices},
    {"cgroups-path", check_cgroups_path},
    {"resources", check_resources},
    {"intel-rdt", check_intel_rdt},
    {"memory-policy", check_memory_policy},
    {"sysctl", check_sysctl},
    {"seccomp", check_seccomp},
    {"linux-paths", check_linux_paths},
    {"personality", check_personality},
};

size_t berth_validate_config(const oci_config *cfg, const struct berth_validate_opts *o,
                             struct oci_diags *diags)
{
    static const struct berth_validate_opts defaults = {NULL, false};
    struct vctx v = {.cfg = cfg, .o = o ? o : &defaults, .diags = diags};

    if (!cfg) {
        v_error(&v, "", S_VERSION, "no configuration");
        return v.nerrors;
    }
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        rules[i].fn(&v);
    if (v.o->more)
        v.nerrors += v.o->more(cfg, v.o, diags);
    return v.nerrors;
}

size_t berth_validate_process(const oci_config *cfg, const oci_process *process,
                              struct oci_diags *diags)
{
    static const struct berth_validate_opts defaults = {NULL, false};
    static const oci_config empty = {0};
    struct vctx v = {.cfg = cfg ? cfg : &empty, .o = &defaults, .diags = diags};

    if (!process) {
        v_error(&v, "", S_PROCESS, "no process");
        return v.nerrors;
    }
    v_check_process(&v, process, "");
    return v.nerrors;
}

size_t berth_validate_resources(const oci_resources *resources, struct oci_diags *diags)
{
    static const struct berth_validate_opts defaults = {NULL, false};
    static const oci_config empty = {0};
    struct vctx v = {.cfg = &empty, .o = &defaults, .diags = diags};

    if (!resources) {
        v_error(&v, "", S_MEMORY, "no resources");
        return v.nerrors;
    }
    v_check_resources(&v, resources, "");
    return v.nerrors;
}

/* The first error at index >= from, NULL when none. */
static const struct oci_diag *first_error(const struct oci_diags *d, size_t from)
{
    for (size_t i = from; i < d->len; i++)
        if (d->items[i].level == OCI_DIAG_ERROR)
            return &d->items[i];
    return NULL;
}

int berth_validate_bundle_opts(const struct berth_validate_opts *o, struct oci_diags *diags,
                               oci_config **ret_cfg, berth_error_t *err)
{
    struct oci_diags local = {0};
    struct oci_diags *d = diags ? diags : &local;
    const char *dir = o && o->bundle_dir ? o->bundle_dir : ".";
    _cleanup_free_ char *path = NULL;
    const struct oci_diag *first;
    oci_config *cfg;
    size_t from = d->len;
    int r = 0;

    if (asprintf(&path, "%s/config.json", dir) < 0)
        return berth_error_make(err, ENOMEM, "validate bundle `%s`", dir);
    cfg = oci_config_parse_file(path, d);
    if (cfg)
        (void)berth_validate_config(cfg, o, d);
    first = first_error(d, from);
    if (first) {
        if (first->pointer && *first->pointer)
            r = berth_error_make(err, 0, "%s: %s", first->pointer, first->message);
        else
            r = berth_error_make(err, 0, "%s", first->message);
    } else if (!cfg) {
        r = berth_error_make(err, 0, "%s: cannot parse the configuration", path);
    }
    if (r == 0 && ret_cfg)
        *ret_cfg = cfg;
    else if (cfg)
        oci_config_free(cfg);
    oci_diags_clear(&local);
    return r;
}
