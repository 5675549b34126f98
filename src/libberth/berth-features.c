/* berth-features.c: builds `berth features` (features.md, features-linux.md).
 *
 * Every entry of the document is a promise: features.md says the runtime
 * "MUST recognize" (and for some, "MUST support") what it lists, and
 * containerd acts on it: `rro` in mountOptions turns on recursive read-only
 * mounts, and a `user` namespace plus mountExtensions.idmap.enabled turns on
 * user namespaces for pods. So berth lists only what is implemented, and
 * every claim lives in the one table below. When an issue lands a feature,
 * it flips that feature's entries to true here, and only then.
 *
 * features.md: the content SHOULD be fixed at compile time. The exceptions
 * are seccomp.supportedFlags, which by definition depends on the kernel and
 * libseccomp, and the capability names, which come from the libcap berth was
 * built with.
 */
#include "berth-features.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "cleanup.h"
#include "label.h"

/* ===================== what berth claims to implement ===================== */

struct claim {
    const char *group; /* JSON array the name is listed in, or a boolean feature */
    const char *name;  /* array element; NULL for a boolean feature */
    bool implemented;
};

static const struct claim claims[] = {
    /* config.md "POSIX-platform Hooks": create (container-create.c, init.c),
     * start and delete (container.c) run all six kinds. */
    {"hooks", "prestart", true},
    {"hooks", "createRuntime", true},
    {"hooks", "createContainer", true},
    {"hooks", "startContainer", true},
    {"hooks", "poststart", true},
    {"hooks", "poststop", true},

    /* config.md "Mounts": the mount(2) flags and propagation types, the
     * recursive mount_setattr(2) attributes (rro, rnosuid, ...; containerd
     * enables recursive read-only mounts on seeing "rro"), nosymfollow,
     * tmpcopyup and idmap/ridmap (idmap.h), each tested from inside a
     * container by tests/integration/test-mounts.sh and test-rootfs.sh. */
    {"mountOptions", "async", true},
    {"mountOptions", "atime", true},
    {"mountOptions", "bind", true},
    {"mountOptions", "defaults", true},
    {"mountOptions", "dev", true},
    {"mountOptions", "diratime", true},
    {"mountOptions", "dirsync", true},
    {"mountOptions", "exec", true},
    {"mountOptions", "iversion", true},
    {"mountOptions", "lazytime", true},
    {"mountOptions", "loud", true},
    {"mountOptions", "mand", true},
    {"mountOptions", "noatime", true},
    {"mountOptions", "nodev", true},
    {"mountOptions", "nodiratime", true},
    {"mountOptions", "noexec", true},
    {"mountOptions", "noiversion", true},
    {"mountOptions", "nolazytime", true},
    {"mountOptions", "nomand", true},
    {"mountOptions", "norelatime", true},
    {"mountOptions", "nostrictatime", true},
    {"mountOptions", "nosuid", true},
    {"mountOptions", "private", true},
    {"mountOptions", "rbind", true},
    {"mountOptions", "relatime", true},
    {"mountOptions", "remount", true},
    {"mountOptions", "ro", true},
    {"mountOptions", "rprivate", true},
    {"mountOptions", "rshared", true},
    {"mountOptions", "rslave", true},
    {"mountOptions", "runbindable", true},
    {"mountOptions", "rw", true},
    {"mountOptions", "shared", true},
    {"mountOptions", "silent", true},
    {"mountOptions", "slave", true},
    {"mountOptions", "strictatime", true},
    {"mountOptions", "suid", true},
    {"mountOptions", "sync", true},
    {"mountOptions", "unbindable", true},
    {"mountOptions", "nosymfollow", true},
    {"mountOptions", "symfollow", true},
    {"mountOptions", "ratime", true},
    {"mountOptions", "rdev", true},
    {"mountOptions", "rdiratime", true},
    {"mountOptions", "rexec", true},
    {"mountOptions", "rnoatime", true},
    {"mountOptions", "rnodev", true},
    {"mountOptions", "rnodiratime", true},
    {"mountOptions", "rnoexec", true},
    {"mountOptions", "rnorelatime", true},
    {"mountOptions", "rnostrictatime", true},
    {"mountOptions", "rnosuid", true},
    {"mountOptions", "rnosymfollow", true},
    {"mountOptions", "rrelatime", true},
    {"mountOptions", "rro", true},
    {"mountOptions", "rrw", true},
    {"mountOptions", "rstrictatime", true},
    {"mountOptions", "rsuid", true},
    {"mountOptions", "rsymfollow", true},
    {"mountOptions", "idmap", true},
    {"mountOptions", "ridmap", true},
    {"mountOptions", "tmpcopyup", true},

    /* config-linux.md "Namespaces": all eight, implemented with the
     * lifecycle (create/setns). */
    {"namespaces", "cgroup", true},
    {"namespaces", "ipc", true},
    {"namespaces", "mount", true},
    {"namespaces", "network", true},
    {"namespaces", "pid", true},
    {"namespaces", "time", true},
    {"namespaces", "user", true},
    {"namespaces", "uts", true},

    /* config.md "Linux Process" capabilities: every name libcap knows. */
    {"capabilities", NULL, true},

    /* config-linux.md "Seccomp": loaded by the init (init.c), notify fds
     * handed to listenerPath by create. */
    {"seccomp", NULL, true},

    /* config-linux.md "Control groups": the cgroupfs driver for v1, v2 and
     * hybrid hosts (cgroup*.c), tested on the v1 host and in the cgroup2 VM
     * (tests/integration/test-cgroup.sh, tests/cgroup2-vm). */
    {"cgroup.v1", NULL, true},
    {"cgroup.v2", NULL, true},

    /* Not implemented yet: each reports enabled=false (or false flags).
     * rdma: the writer exists but no host here has an rdma controller to
     * test it on. apparmor, selinux: not claims, probed at run time. */
    {"cgroup.systemd", NULL, false},
    {"cgroup.systemdUser", NULL, false},
    {"cgroup.rdma", NULL, false},
    {"intelRdt", NULL, false},
    {"intelRdt.schemata", NULL, false},
    {"intelRdt.monitoring", NULL, false},
    {"netDevices", NULL, false},
    {"mountExtensions.idmap", NULL, true},
    /* linux.memoryPolicy: the whole object is left out until implemented,
     * since its only members are lists of names berth would have to honour. */
    {"memoryPolicy", NULL, false},
};

/* Annotations of config.json that change what berth does (features.md
 * "potentiallyUnsafeConfigAnnotations"; a trailing "." is a prefix). berth
 * interprets none yet. */
static const char *const unsafe_annotations[] = {NULL};

/* ========================================================================== */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool claimed(const char *group)
{
    for (size_t i = 0; i < ARRAY_SIZE(claims); i++)
        if (!claims[i].name && strcmp(claims[i].group, group) == 0)
            return claims[i].implemented;
    return false;
}

/* Same out-of-memory bookkeeping as spec-default.c: record, check once. */
struct builder {
    bool oom;
};

static void *b_zalloc(struct builder *b, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);

    if (!p)
        b->oom = true;
    return p;
}

static char *b_str(struct builder *b, const char *s)
{
    char *p = strdup(s);

    if (!p)
        b->oom = true;
    return p;
}

/* The implemented names of `group`, as a present (possibly empty) array. */
static void claimed_names(struct builder *b, const char *group, char ***ret, size_t *ret_len)
{
    char **v = b_zalloc(b, ARRAY_SIZE(claims), sizeof(char *));
    size_t n = 0;

    if (!v)
        return;
    for (size_t i = 0; i < ARRAY_SIZE(claims); i++)
        if (claims[i].name && claims[i].implemented && strcmp(claims[i].group, group) == 0)
            v[n++] = b_str(b, claims[i].name);
    *ret = v;
    *ret_len = n;
}

static void strv_from(struct builder *b, const char *const *src, char ***ret, size_t *ret_len)
{
    size_t n = 0;
    char **v;

    while (src[n])
        n++;
    v = b_zalloc(b, n, sizeof(char *));
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        v[i] = b_str(b, src[i]);
    *ret = v;
    *ret_len = n;
}

static oci_feat_enabled *enabled_obj(struct builder *b, const char *group)
{
    oci_feat_enabled *e = b_zalloc(b, 1, sizeof(*e));

    if (e) {
        e->enabled = claimed(group);
        e->enabled_present = true;
    }
    return e;
}

static oci_feat_enabled *lsm_obj(struct builder *b, bool usable)
{
    oci_feat_enabled *e = b_zalloc(b, 1, sizeof(*e));

    if (e) {
        e->enabled = usable;
        e->enabled_present = true;
    }
    return e;
}

/* "CAP_CHOWN", ... for every capability libcap has a name for; libcap
 * prints unnamed (newer than itself) capabilities as bare numbers. */
static void capability_names(struct builder *b, oci_feat_linux *l)
{
    char **v = b_zalloc(b, CAP_LAST_CAP + 1, sizeof(char *));
    size_t n = 0;

    if (!v)
        return;
    for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++) {
        char *name = cap_to_name(c);
        if (name && strncmp(name, "cap_", 4) == 0) {
            for (char *p = name; *p; p++)
                *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
            v[n++] = b_str(b, name);
        }
        cap_free(name);
    }
    l->capabilities = v;
    l->capabilities_len = n;
}

static oci_feat_cgroup *cgroup_obj(struct builder *b)
{
    oci_feat_cgroup *c = b_zalloc(b, 1, sizeof(*c));

    if (!c)
        return NULL;
    c->v1 = claimed("cgroup.v1");
    c->v2 = claimed("cgroup.v2");
    c->systemd = claimed("cgroup.systemd");
    c->systemdUser = claimed("cgroup.systemdUser");
    c->rdma = claimed("cgroup.rdma");
    c->v1_present = c->v2_present = c->systemd_present = true;
    c->systemdUser_present = c->rdma_present = true;
    return c;
}

/* The action, operator, architecture and flag names are those the config
 * parser recognizes (libocispec validates them), so they are listed even
 * while seccomp itself is off. supportedFlags promises support and stays
 * empty until it is on. */
static oci_feat_seccomp *seccomp_obj(struct builder *b, berth_error_t *err)
{
    oci_feat_seccomp *s = b_zalloc(b, 1, sizeof(*s));

    if (!s)
        return NULL;
    s->enabled = claimed("seccomp");
    s->enabled_present = true;
    strv_from(b, oci_seccomp_actions, &s->actions, &s->actions_len);
    strv_from(b, oci_seccomp_operators, &s->operators, &s->operators_len);
    strv_from(b, oci_seccomp_archs, &s->archs, &s->archs_len);
    strv_from(b, oci_seccomp_flags, &s->knownFlags, &s->knownFlags_len);
    if (!s->enabled)
        s->supportedFlags = b_zalloc(b, 1, sizeof(char *));
    else if (berth_seccomp_supported_flags(oci_seccomp_flags, &s->supportedFlags,
                                           &s->supportedFlags_len, err) < 0)
        b->oom = true; /* err says why */
    return s;
}

static oci_feat_intel_rdt *intel_rdt_obj(struct builder *b)
{
    oci_feat_intel_rdt *r = b_zalloc(b, 1, sizeof(*r));

    if (!r)
        return NULL;
    r->enabled = claimed("intelRdt");
    r->schemata = claimed("intelRdt.schemata");
    r->monitoring = claimed("intelRdt.monitoring");
    r->enabled_present = r->schemata_present = r->monitoring_present = true;
    return r;
}

static oci_feat_memory_policy *memory_policy_obj(struct builder *b)
{
    oci_feat_memory_policy *m;

    if (!claimed("memoryPolicy"))
        return NULL;
    m = b_zalloc(b, 1, sizeof(*m));
    if (!m)
        return NULL;
    strv_from(b, oci_memory_policy_modes, &m->modes, &m->modes_len);
    strv_from(b, oci_memory_policy_flags, &m->flags, &m->flags_len);
    return m;
}

static oci_feat_linux *linux_obj(struct builder *b, berth_error_t *err)
{
    oci_feat_linux *l = b_zalloc(b, 1, sizeof(*l));

    if (!l)
        return NULL;
    claimed_names(b, "namespaces", &l->namespaces, &l->namespaces_len);
    if (claimed("capabilities"))
        capability_names(b, l);
    l->cgroup = cgroup_obj(b);
    l->seccomp = seccomp_obj(b, err);
    /* Computed at run time, not claimed: berth refuses a label the host
     * cannot apply (label.h), so "enabled" means usable here and now. */
    l->apparmor = lsm_obj(b, berth_apparmor_usable());
    l->selinux = lsm_obj(b, berth_selinux_usable());
    l->intelRdt = intel_rdt_obj(b);
    l->memoryPolicy = memory_policy_obj(b);
    l->mountExtensions = b_zalloc(b, 1, sizeof(*l->mountExtensions));
    if (l->mountExtensions)
        l->mountExtensions->idmap = enabled_obj(b, "mountExtensions.idmap");
    l->netDevices = enabled_obj(b, "netDevices");
    return l;
}

/* Informational annotations about this build (features.md "annotations"). */
static void annotations(struct builder *b, oci_features *f)
{
    /* checkpoint.enabled as runc's org.opencontainers.runc.checkpoint.enabled:
     * the commands are built in (criu.h); whether criu runs on this kernel
     * is a run-time fact `berth --version` reports ("criu: X (usable|...)"). */
    static const char *const keys[] = {"org.berth.version", "org.berth.commit",
                                       "org.berth.libseccomp.version",
                                       "org.berth.checkpoint.enabled"};
    static const char *const values[] = {PACKAGE_VERSION, GIT_COMMIT, SECCOMP_VERSION_STR, "true"};
    size_t n = ARRAY_SIZE(keys);

    f->annotations.keys = b_zalloc(b, n, sizeof(char *));
    f->annotations.values = b_zalloc(b, n, sizeof(char *));
    if (!f->annotations.keys || !f->annotations.values)
        return;
    for (size_t i = 0; i < n; i++) {
        f->annotations.keys[i] = b_str(b, keys[i]);
        f->annotations.values[i] = b_str(b, values[i]);
    }
    f->annotations.len = n;
}

int berth_features_build(oci_features **ret, berth_error_t *err)
{
    struct builder b = {false};
    oci_features *f = b_zalloc(&b, 1, sizeof(*f));

    if (!f)
        return berth_error_make(err, ENOMEM, "build features");
    /* features.md: both MUST be accepted as config.json ociVersion */
    f->ociVersionMin = b_str(&b, "1.0.0");
    f->ociVersionMax = b_str(&b, OCI_SPEC_VERSION);
    claimed_names(&b, "hooks", &f->hooks, &f->hooks_len);
    claimed_names(&b, "mountOptions", &f->mountOptions, &f->mountOptions_len);
    f->linux = linux_obj(&b, err);
    annotations(&b, f);
    strv_from(&b, unsafe_annotations, &f->potentiallyUnsafeConfigAnnotations,
              &f->potentiallyUnsafeConfigAnnotations_len);
    if (b.oom) {
        oci_features_free(f);
        if (*err)
            return berth_error_wrap(err, "build features");
        return berth_error_make(err, ENOMEM, "build features");
    }
    *ret = f;
    return 0;
}

int berth_features_write(FILE *out, berth_error_t *err)
{
    _cleanup_free_ char *json = NULL;
    oci_features *f = NULL;
    size_t len = 0;
    int r;

    r = berth_features_build(&f, err);
    if (r < 0)
        return r;
    json = oci_emit(&oci_features_desc, f, true, &len);
    oci_features_free(f);
    if (!json)
        return berth_error_make(err, ENOMEM, "emit features");
    if (fwrite(json, 1, len, out) != len || fputc('\n', out) == EOF || fflush(out) != 0)
        return berth_error_errno(err, "write features");
    return 0;
}
