/* spec-default.c: builds the default config.json of `berth spec` and
 * writes it into a bundle.
 *
 * The content is runc's `spec` template (engines and users compare the two)
 * with these deliberate differences: ociVersion is the spec version berth
 * implements, hostname is "berth", and maskedPaths also hides
 * /sys/devices/virtual/powercap (the RAPL energy counters leak information
 * across containers, CVE-2020-8694; runc >= 1.2 masks it too).
 */
#include "spec-default.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation helpers that record out-of-memory in the builder instead of
 * making every caller check: the config is checked once at the end and
 * oci_free copes with the NULL members left behind by a failure. */
struct builder {
    bool oom;
};

static void *b_zalloc(struct builder *b, size_t n, size_t size)
{
    void *p = calloc(n, size);

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

static void b_strv(struct builder *b, char ***ret, size_t *ret_len, const char *const *src,
                   size_t n)
{
    char **v = b_zalloc(b, n, sizeof(char *));

    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        v[i] = b_str(b, src[i]);
    *ret = v;
    *ret_len = n;
}

/* ---- process ---------------------------------------------------------- */

static const char *const default_env[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "TERM=xterm",
};

static const char *const default_caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};

static oci_capabilities *build_caps(struct builder *b)
{
    oci_capabilities *c = b_zalloc(b, 1, sizeof(*c));
    size_t n = ARRAY_SIZE(default_caps);

    if (!c)
        return NULL;
    b_strv(b, &c->bounding, &c->bounding_len, default_caps, n);
    b_strv(b, &c->effective, &c->effective_len, default_caps, n);
    b_strv(b, &c->permitted, &c->permitted_len, default_caps, n);
    /* No ambient set, unlike runc's default: capabilities(7) raises an
     * ambient capability only if it is also inheritable, and the default has
     * no inheritable set (CVE-2022-29162), so runc's ambient list can never
     * take effect and would only produce a warning on every run. */
    return c;
}

static oci_process *build_process(struct builder *b)
{
    static const char *const args[] = {"sh"};
    oci_process *p = b_zalloc(b, 1, sizeof(*p));

    if (!p)
        return NULL;
    p->terminal = p->terminal_present = true;
    p->user = b_zalloc(b, 1, sizeof(*p->user));
    if (p->user)
        p->user->uid_present = p->user->gid_present = true; /* uid 0, gid 0 */
    b_strv(b, &p->args, &p->args_len, args, ARRAY_SIZE(args));
    b_strv(b, &p->env, &p->env_len, default_env, ARRAY_SIZE(default_env));
    p->cwd = b_str(b, "/");
    p->capabilities = build_caps(b);
    p->rlimits = b_zalloc(b, 1, sizeof(*p->rlimits));
    if (p->rlimits) {
        p->rlimits_len = 1;
        p->rlimits->type = b_str(b, "RLIMIT_NOFILE");
        p->rlimits->hard = p->rlimits->soft = 1024;
        p->rlimits->hard_present = p->rlimits->soft_present = true;
    }
    p->noNewPrivileges = p->noNewPrivileges_present = true;
    return p;
}

/* ---- mounts ----------------------------------------------------------- */

struct mount_row {
    const char *destination, *type, *source;
    const char *const *options;
    size_t options_len;
};

#define OPTS(...)                                                                                  \
    (const char *const[]){__VA_ARGS__},                                                            \
        sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)

static const struct mount_row default_mounts[] = {
    {"/proc", "proc", "proc", NULL, 0},
    {"/dev", "tmpfs", "tmpfs", OPTS("nosuid", "strictatime", "mode=755", "size=65536k")},
    {"/dev/pts", "devpts", "devpts",
     OPTS("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")},
    {"/dev/shm", "tmpfs", "shm", OPTS("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")},
    {"/dev/mqueue", "mqueue", "mqueue", OPTS("nosuid", "noexec", "nodev")},
    {"/sys", "sysfs", "sysfs", OPTS("nosuid", "noexec", "nodev", "ro")},
    {"/sys/fs/cgroup", "cgroup", "cgroup", OPTS("nosuid", "noexec", "nodev", "relatime", "ro")},
};

/* Rootless replacements: without a network namespace of its own the user
 * namespace may not mount sysfs, so /sys is bind-mounted from the host; and
 * group 5 (tty) is not mapped, so devpts cannot be given gid=5. */
static const struct mount_row rootless_sys = {"/sys", "none", "/sys",
                                              OPTS("rbind", "nosuid", "noexec", "nodev", "ro")};
static const struct mount_row rootless_devpts = {
    "/dev/pts", "devpts", "devpts",
    OPTS("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")};

static const struct mount_row *mount_row(size_t i, bool rootless)
{
    const struct mount_row *row = &default_mounts[i];

    if (rootless && strcmp(row->destination, "/sys") == 0)
        return &rootless_sys;
    if (rootless && strcmp(row->destination, "/dev/pts") == 0)
        return &rootless_devpts;
    return row;
}

static void build_mounts(struct builder *b, oci_config *c, bool rootless)
{
    size_t n = ARRAY_SIZE(default_mounts);

    c->mounts = b_zalloc(b, n, sizeof(*c->mounts));
    if (!c->mounts)
        return;
    c->mounts_len = n;
    for (size_t i = 0; i < n; i++) {
        const struct mount_row *row = mount_row(i, rootless);
        oci_mount *m = &c->mounts[i];

        m->destination = b_str(b, row->destination);
        m->type = b_str(b, row->type);
        m->source = b_str(b, row->source);
        if (row->options)
            b_strv(b, &m->options, &m->options_len, row->options, row->options_len);
    }
}

/* ---- linux ------------------------------------------------------------ */

static const char *const masked_paths[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/sys/firmware",
    "/proc/scsi",
    "/sys/devices/virtual/powercap",
};

static const char *const readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

static void build_namespaces(struct builder *b, oci_linux *l, bool rootless)
{
    /* rootless: no network namespace (an unprivileged user could not give
     * it any connectivity) and a user namespace instead */
    static const char *const root_ns[] = {"pid", "network", "ipc", "uts", "mount"};
    static const char *const rootless_ns[] = {"pid", "ipc", "uts", "mount", "user"};
    const char *const *types = rootless ? rootless_ns : root_ns;
    size_t n = rootless ? ARRAY_SIZE(rootless_ns) : ARRAY_SIZE(root_ns);

    l->namespaces = b_zalloc(b, n, sizeof(*l->namespaces));
    if (!l->namespaces)
        return;
    l->namespaces_len = n;
    for (size_t i = 0; i < n; i++)
        l->namespaces[i].type = b_str(b, types[i]);
}

/* Maps container root to one host id: all an unprivileged user owns
 * without newuidmap/newgidmap. */
static oci_id_mapping *build_mapping(struct builder *b, uint32_t host_id)
{
    oci_id_mapping *m = b_zalloc(b, 1, sizeof(*m));

    if (!m)
        return NULL;
    m->containerID_present = true; /* containerID 0 */
    m->hostID = host_id;
    m->hostID_present = true;
    m->size = 1;
    m->size_present = true;
    return m;
}

/* Deny every device by default; the runtime adds the standard ones. A
 * rootless container cannot manage a device cgroup, so it gets none. */
static oci_resources *build_resources(struct builder *b)
{
    oci_resources *r = b_zalloc(b, 1, sizeof(*r));

    if (!r)
        return NULL;
    r->devices = b_zalloc(b, 1, sizeof(*r->devices));
    if (r->devices) {
        r->devices_len = 1;
        r->devices->allow_present = true; /* allow: false */
        r->devices->access = b_str(b, "rwm");
    }
    return r;
}

static oci_linux *build_linux(struct builder *b, bool rootless, uid_t uid, gid_t gid)
{
    oci_linux *l = b_zalloc(b, 1, sizeof(*l));

    if (!l)
        return NULL;
    if (rootless) {
        l->uidMappings = build_mapping(b, uid);
        l->uidMappings_len = l->uidMappings ? 1 : 0;
        l->gidMappings = build_mapping(b, gid);
        l->gidMappings_len = l->gidMappings ? 1 : 0;
    } else {
        l->resources = build_resources(b);
    }
    build_namespaces(b, l, rootless);
    b_strv(b, &l->maskedPaths, &l->maskedPaths_len, masked_paths, ARRAY_SIZE(masked_paths));
    b_strv(b, &l->readonlyPaths, &l->readonlyPaths_len, readonly_paths, ARRAY_SIZE(readonly_paths));
    return l;
}

int berth_spec_default(bool rootless, uid_t uid, gid_t gid, oci_config **ret, berth_error_t *err)
{
    struct builder b = {false};
    oci_config *c = b_zalloc(&b, 1, sizeof(*c));

    if (!c)
        return berth_error_make(err, ENOMEM, "build default config");
    c->ociVersion = b_str(&b, OCI_SPEC_VERSION);
    c->process = build_process(&b);
    c->root = b_zalloc(&b, 1, sizeof(*c->root));
    if (c->root) {
        c->root->path = b_str(&b, "rootfs");
        c->root->readonly = c->root->readonly_present = true;
    }
    c->hostname = b_str(&b, "berth");
    build_mounts(&b, c, rootless);
    c->linux = build_linux(&b, rootless, uid, gid);
    if (b.oom) {
        oci_config_free(c);
        return berth_error_make(err, ENOMEM, "build default config");
    }
    *ret = c;
    return 0;
}
