/* validate-mounts.c: rules on mounts[] (config.md "Mounts", "POSIX-platform
 * Mounts", "Linux mount options"), including id-mapped mounts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "validate-internal.h"

static bool has_opt(const oci_mount *m, const char *opt)
{
    return v_strv_contains(m->options, m->options_len, opt);
}

static bool is_bind(const oci_mount *m)
{
    /* "A mount is a bind mount if it has either bind or rbind in the
     * options." Engines also write type "bind"; count it too, so that a
     * bind-only rule never rejects such a mount. */
    return has_opt(m, "bind") || has_opt(m, "rbind") || (m->type && strcmp(m->type, "bind") == 0);
}

static void check_destination(struct vctx *v, const oci_mount *m, size_t i)
{
    if (!m->destination || !*m->destination) {
        v_error(v, vp(v, "/mounts/%zu/destination", i), S_MOUNTS,
                "destination is REQUIRED and must not be empty");
        return;
    }
    /* Linux: "it MAY be a relative path, in which case it MUST be
     * interpreted as relative to "/". Relative paths are deprecated." */
    if (!v_abs(m->destination))
        v_warning(v, vp(v, "/mounts/%zu/destination", i), S_MOUNTS,
                  "relative destination \"%s\" is deprecated; it is taken relative to \"/\"",
                  m->destination);
}

static void check_bind_source(struct vctx *v, const oci_mount *m, size_t i)
{
    char buf[4096];
    struct stat st;

    if (!is_bind(m))
        return;
    if (!m->source || !*m->source) {
        v_error(v, vp(v, "/mounts/%zu/source", i), S_MOUNTS,
                "a bind mount needs a source (absolute or relative to the bundle)");
        return;
    }
    /* Sources may be created between validation and mounting (engines,
     * createRuntime hooks), so a missing one is only worth a warning. */
    if (v->o->check_host && stat(v_bundle_path(v, m->source, buf, sizeof(buf)), &st) < 0)
        v_warning(v, vp(v, "/mounts/%zu/source", i), S_MOUNTS, "bind source \"%s\": %s", buf,
                  strerror(errno));
}

static void check_idmap(struct vctx *v, const oci_mount *m, size_t i)
{
    bool idmap = has_opt(m, "idmap") || has_opt(m, "ridmap");
    bool maps = m->uidMappings || m->gidMappings;

    /* uidMappings: "If specified, it MUST be specified along with
     * gidMappings" (and the other way round). */
    if ((m->uidMappings != NULL) != (m->gidMappings != NULL))
        v_error(v, vp(v, "/mounts/%zu/%s", i, m->uidMappings ? "uidMappings" : "gidMappings"),
                S_MOUNTS_POSIX, "uidMappings and gidMappings MUST be specified together");
    if (m->uidMappings)
        v_check_id_mappings(v, vp(v, "/mounts/%zu/uidMappings", i), m->uidMappings,
                            m->uidMappings_len, S_MOUNTS_POSIX);
    if (m->gidMappings)
        v_check_id_mappings(v, vp(v, "/mounts/%zu/gidMappings", i), m->gidMappings,
                            m->gidMappings_len, S_MOUNTS_POSIX);
    if (!idmap && !maps)
        return;
    /* The options SHOULD contain idmap or ridmap when mappings are given. */
    if (maps && !idmap)
        v_warning(
            v, vp(v, "/mounts/%zu/options", i), S_MOUNTS_POSIX,
            "uidMappings/gidMappings without an \"idmap\" or \"ridmap\" option; berth applies "
            "them as \"idmap\"");
    /* MOUNT_ATTR_IDMAP works on a detached copy of an existing mount; like
     * runc, berth supports it for bind mounts only. */
    if (!is_bind(m))
        v_error(v, vp(v, "/mounts/%zu/options", i), S_MOUNT_OPTS,
                "id-mapped mounts are supported for bind mounts only (add \"bind\" or \"rbind\")");
    /* idmap without mount mappings uses the container's user namespace;
     * "If there are no uidMappings and gidMappings specified and the
     * container isn't using user namespaces, an error MUST be returned." */
    if (idmap && !maps && !v_ns(v->cfg, "user"))
        v_error(v, vp(v, "/mounts/%zu/options", i), S_MOUNT_OPTS,
                "\"%s\" without uidMappings/gidMappings needs a user namespace",
                has_opt(m, "ridmap") ? "ridmap" : "idmap");
}

/* Options applied with mount_setattr(2) (Linux 5.12): the recursive
 * attributes ("These AT_RECURSIVE options need kernel 5.12 or later") and
 * id mapping. */
static const char *const setattr_opts[] = {
    "rro",          "rrw",          "rnosuid",        "rsuid",       "rnodev",
    "rdev",         "rnoexec",      "rexec",          "rnodiratime", "rdiratime",
    "rnosymfollow", "rsymfollow",   "ratime",         "rnoatime",    "rrelatime",
    "rnorelatime",  "rstrictatime", "rnostrictatime", "idmap",       "ridmap",
};

/* Probes mount_setattr(2) with an invalid fd: ENOSYS means no support. */
static bool have_mount_setattr(void)
{
#ifdef SYS_mount_setattr
    static int have = -1;

    if (have < 0)
        have = !(syscall(SYS_mount_setattr, -1, "", 0, NULL, 0) < 0 && errno == ENOSYS);
    return have;
#else
    return false;
#endif
}

static void check_host_support(struct vctx *v, const oci_mount *m, size_t i)
{
    for (size_t k = 0; k < sizeof(setattr_opts) / sizeof(setattr_opts[0]); k++)
        if (has_opt(m, setattr_opts[k]) && !have_mount_setattr()) {
            v_error(v, vp(v, "/mounts/%zu/options", i), S_MOUNT_OPTS,
                    "option \"%s\" needs mount_setattr(2) (Linux 5.12), which this kernel lacks",
                    setattr_opts[k]);
            return;
        }
}

void check_mounts(struct vctx *v)
{
    for (size_t i = 0; v->cfg->mounts && i < v->cfg->mounts_len; i++) {
        const oci_mount *m = &v->cfg->mounts[i];
        check_destination(v, m, i);
        check_bind_source(v, m, i);
        check_idmap(v, m, i);
        if (v->o->check_host)
            check_host_support(v, m, i);
    }
}
