/* validate-namespaces.c: rules that depend on which namespaces the
 * container gets (config-linux.md "Namespaces", "User namespace mappings",
 * "Offset for Time Namespace", "Network Devices", "Sysctl").
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "validate-internal.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* Linux 5.6; older libc headers lack it */
#endif

static const struct {
    const char *type;
    const char *proc; /* name in /proc/self/ns */
    int flag;
} ns_kinds[] = {
    {"pid", "pid", CLONE_NEWPID},          {"network", "net", CLONE_NEWNET},
    {"mount", "mnt", CLONE_NEWNS},         {"ipc", "ipc", CLONE_NEWIPC},
    {"uts", "uts", CLONE_NEWUTS},          {"user", "user", CLONE_NEWUSER},
    {"cgroup", "cgroup", CLONE_NEWCGROUP}, {"time", "time", CLONE_NEWTIME},
};

static int ns_index(const char *type)
{
    for (size_t i = 0; type && i < sizeof(ns_kinds) / sizeof(ns_kinds[0]); i++)
        if (strcmp(type, ns_kinds[i].type) == 0)
            return (int)i;
    return -1;
}

/* A new namespace needs kernel support (cgroup: 4.6, time: 5.6) and, for
 * user namespaces, a non-zero user.max_user_namespaces. */
static void check_ns_new_host(struct vctx *v, size_t i, int k)
{
    char path[64], buf[32] = "";
    struct stat st;
    FILE *f;

    (void)snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_kinds[k].proc);
    if (stat(path, &st) < 0 && errno == ENOENT) {
        v_error(v, vp(v, "/linux/namespaces/%zu/type", i), S_NS, "this kernel has no %s namespaces",
                ns_kinds[k].type);
        return;
    }
    if (ns_kinds[k].flag != CLONE_NEWUSER)
        return;
    f = fopen("/proc/sys/user/max_user_namespaces", "re");
    if (f && fgets(buf, sizeof(buf), f) && strtol(buf, NULL, 10) == 0)
        v_error(v, vp(v, "/linux/namespaces/%zu/type", i), S_NS,
                "user namespaces are disabled on this host (user.max_user_namespaces = 0)");
    if (f)
        fclose(f);
}

/* "The runtime MUST generate an error if path is not associated with a
 * namespace of type type": NS_GET_NSTYPE answers that without joining. */
static void check_ns_path_host(struct vctx *v, size_t i, const oci_namespace *ns, int flag)
{
    _cleanup_close_ int fd = -1;
    struct stat st;
    int type;

    /* Namespace files (nsfs) are regular files; opening anything else (a
     * FIFO, a device) could block or have side effects, so never do it. */
    if (stat(ns->path, &st) < 0) {
        v_error(v, vp(v, "/linux/namespaces/%zu/path", i), S_NS, "namespace path \"%s\": %s",
                ns->path, strerror(errno));
        return;
    }
    if (S_ISREG(st.st_mode))
        fd = open(ns->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        v_error(v, vp(v, "/linux/namespaces/%zu/path", i), S_NS, "\"%s\" is not a namespace file",
                ns->path);
        return;
    }
    type = ioctl(fd, NS_GET_NSTYPE);
    if (type < 0)
        v_error(v, vp(v, "/linux/namespaces/%zu/path", i), S_NS,
                "\"%s\" is not a namespace file: %s", ns->path, strerror(errno));
    else if (type != flag)
        v_error(v, vp(v, "/linux/namespaces/%zu/path", i), S_NS, "\"%s\" is not a %s namespace",
                ns->path, ns->type);
}

void check_namespaces(struct vctx *v)
{
    const oci_linux *l = v->cfg->linux;

    for (size_t i = 0; l && l->namespaces && i < l->namespaces_len; i++) {
        const oci_namespace *ns = &l->namespaces[i];
        int k = ns_index(ns->type);
        if (k < 0) {
            v_error(v, vp(v, "/linux/namespaces/%zu/type", i), S_NS,
                    "unknown namespace type \"%s\"", ns->type ? ns->type : "");
            continue;
        }
        /* "If a namespaces field contains duplicated namespaces with same
         * type, the runtime MUST generate an error." */
        for (size_t j = 0; j < i; j++)
            if (l->namespaces[j].type && strcmp(l->namespaces[j].type, ns->type) == 0) {
                v_error(v, vp(v, "/linux/namespaces/%zu/type", i), S_NS,
                        "duplicate namespace type \"%s\" (first at index %zu)", ns->type, j);
                break;
            }
        if (!ns->path || !*ns->path) {
            if (v->o->check_host)
                check_ns_new_host(v, i, k);
            continue;
        }
        /* path: "This value MUST be an absolute path in the runtime mount namespace." */
        if (!v_abs(ns->path))
            v_error(v, vp(v, "/linux/namespaces/%zu/path", i), S_NS,
                    "namespace path \"%s\" MUST be absolute", ns->path);
        else if (v->o->check_host)
            check_ns_path_host(v, i, ns, ns_kinds[k].flag);
    }
    /* An unprivileged berth may create the other namespaces only from
     * inside a user namespace of its own (runc's rootlessEUIDCheck and
     * wording); uid 0 of a user namespace (rootless podman) need not. */
    if (v->o->check_host && geteuid() != 0 && !v_ns(v->cfg, "user"))
        v_error(v, "/linux/namespaces", S_NS,
                "rootless container requires user namespaces (berth runs as uid %d; "
                "`berth spec --rootless` writes a config with one)",
                (int)geteuid());
}

/* ---- id mappings -------------------------------------------------------- */

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* user_namespaces(7): at most 340 lines, no empty or wrapping range, and
 * neither the container nor the host ranges may overlap; the kernel
 * refuses the whole map otherwise. */
void v_check_id_mappings(struct vctx *v, const char *prefix, const oci_id_mapping *m, size_t n,
                         const char *sec)
{
    char base[VPTR_MAX];

    (void)snprintf(base, sizeof(base), "%s", prefix);
    if (n > 340)
        v_error(v, base, sec, "%zu mappings: the kernel accepts at most 340", n);
    for (size_t i = 0; m && i < n; i++) {
        if (!m[i].size_present || m[i].size == 0) {
            v_error(v, vp(v, "%s/%zu/size", base, i), sec, "mapping size must be at least 1");
            continue;
        }
        if ((uint64_t)m[i].containerID + m[i].size > UINT32_MAX ||
            (uint64_t)m[i].hostID + m[i].size > UINT32_MAX) {
            v_error(v, vp(v, "%s/%zu/size", base, i), sec,
                    "mapping goes past the largest id 4294967294");
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            if (ranges_overlap(m[i].containerID, m[i].size, m[j].containerID, m[j].size)) {
                v_error(v, vp(v, "%s/%zu/containerID", base, i), sec,
                        "container range overlaps mapping %zu", j);
                break;
            }
            if (ranges_overlap(m[i].hostID, m[i].size, m[j].hostID, m[j].size)) {
                v_error(v, vp(v, "%s/%zu/hostID", base, i), sec, "host range overlaps mapping %zu",
                        j);
                break;
            }
        }
    }
}

void check_id_mappings(struct vctx *v)
{
    const oci_linux *l = v->cfg->linux;
    const oci_namespace *user = v_ns(v->cfg, "user");
    bool maps = l && (l->uidMappings || l->gidMappings);

    if (!l)
        return;
    if (l->uidMappings)
        v_check_id_mappings(v, "/linux/uidMappings", l->uidMappings, l->uidMappings_len, S_IDMAP);
    if (l->gidMappings)
        v_check_id_mappings(v, "/linux/gidMappings", l->gidMappings, l->gidMappings_len, S_IDMAP);
    /* Mappings describe a user namespace; without one there is nothing to
     * write them to (runc and crun fail the same way). */
    if (maps && !user)
        v_error(v, l->uidMappings ? "/linux/uidMappings" : "/linux/gidMappings", S_IDMAP,
                "uidMappings/gidMappings need a user namespace in linux.namespaces");
    else if (maps && !v_ns_new(v->cfg, "user"))
        v_warning(v, l->uidMappings ? "/linux/uidMappings" : "/linux/gidMappings", S_IDMAP,
                  "the user namespace is joined by path; its existing mappings apply and these are "
                  "not written");
    /* A new user namespace without maps leaves every id unmapped, so the
     * container process cannot even become its user; berth (like runc)
     * writes the maps it is given and requires both. */
    else if (user && v_ns_new(v->cfg, "user") && (!l->uidMappings_len || !l->gidMappings_len))
        v_error(v, "/linux/namespaces", S_IDMAP,
                "a new user namespace needs both uidMappings and gidMappings (%s missing)",
                !l->uidMappings_len ? "uidMappings" : "gidMappings");
}

/* ---- time namespace ----------------------------------------------------- */

static void check_offset(struct vctx *v, const char *clock, const oci_time_offset *o)
{
    /* time_namespaces(7): nanoseconds must be below one second. */
    if (o && o->nanosecs_present && o->nanosecs >= 1000000000u)
        v_error(v, vp(v, "/linux/timeOffsets/%s/nanosecs", clock), S_TIMENS,
                "nanosecs %u must be below 1000000000", o->nanosecs);
}

void check_time_offsets(struct vctx *v)
{
    const oci_linux *l = v->cfg->linux;

    if (!l || !l->timeOffsets)
        return;
    check_offset(v, "boottime", l->timeOffsets->boottime);
    check_offset(v, "monotonic", l->timeOffsets->monotonic);
    /* Offsets are written to /proc/self/timens_offsets, which only works
     * for a new time namespace before any process enters it. */
    if (!v_ns(v->cfg, "time"))
        v_error(v, "/linux/timeOffsets", S_TIMENS, "timeOffsets need a time namespace");
    else if (!v_ns_new(v->cfg, "time"))
        v_error(v, "/linux/timeOffsets", S_TIMENS,
                "timeOffsets cannot be set on a time namespace joined by path");
}

/* ---- network devices ---------------------------------------------------- */

static const char *netdev_target(const oci_linux *l, size_t i)
{
    const oci_net_device *d = l->netDevices.values[i];

    return d && d->name && *d->name ? d->name : l->netDevices.keys[i];
}

void check_net_devices(struct vctx *v)
{
    const oci_linux *l = v->cfg->linux;
    const char *why;

    if (!l || !l->netDevices.keys || l->netDevices.len == 0)
        return;
    /* Devices move "from the host network namespace into the container
     * network namespace": without one of its own (new or joined by path)
     * there is no such move, and runc 1.4 refuses the config ("unable to
     * move network devices without a NET namespace") rather than start a
     * container without the devices it asked for; so does create
     * (netdev.h). A warning here: the spec's own good example has no
     * network namespace, and is valid as a document. */
    if (!v_ns(v->cfg, "network"))
        v_warning(v, "/linux/netDevices", S_NETDEV,
                  "netDevices without a network namespace of the container (new or joined by "
                  "path): there is nowhere to move them, so create will fail");
    for (size_t i = 0; i < l->netDevices.len; i++) {
        const char *key = l->netDevices.keys[i];
        const oci_net_device *d = l->netDevices.values[i];
        if ((why = v_ifname_problem(key)))
            v_error(v, vp_key(v, "/linux/netDevices", key), S_NETDEV,
                    "host interface name \"%s\" %s", key ? key : "", why);
        if (d && d->name && (why = v_ifname_problem(d->name))) {
            char base[VPTR_MAX];
            (void)snprintf(base, sizeof(base), "%s", vp_key(v, "/linux/netDevices", key));
            v_error(v, vp(v, "%s/name", base), S_NETDEV, "interface name \"%s\" %s", d->name, why);
        }
        /* A name that already exists in the container MUST be an error,
         * unless it is a "%d" template the kernel completes. */
        for (size_t j = 0; j < i; j++) {
            const char *a = netdev_target(l, i), *b = netdev_target(l, j);
            if (a && b && strcmp(a, b) == 0 && !strstr(a, "%d")) {
                v_error(v, vp_key(v, "/linux/netDevices", key), S_NETDEV,
                        "\"%s\" and \"%s\" would both be named \"%s\" in the container", key,
                        l->netDevices.keys[j], a);
                break;
            }
        }
    }
}

/* ---- sysctl ------------------------------------------------------------- */

/* The sysctls the kernel keeps per namespace; any other one would change
 * the host, which berth refuses (as runc does). */
static const char *sysctl_namespace(const char *key)
{
    static const char *const ipc_prefixes[] = {"kernel.msg", "kernel.sem", "kernel.shm",
                                               "fs.mqueue."};

    if (strncmp(key, "net.", 4) == 0)
        return "network";
    for (size_t i = 0; i < sizeof(ipc_prefixes) / sizeof(ipc_prefixes[0]); i++)
        if (strncmp(key, ipc_prefixes[i], strlen(ipc_prefixes[i])) == 0)
            return "ipc";
    if (strcmp(key, "kernel.hostname") == 0 || strcmp(key, "kernel.domainname") == 0)
        return "uts";
    /* /proc/sys/user/max_*: the ucounts limits of the writer's user
     * namespace (runc >= 1.4). Without one of its own the container would
     * set the host's, e.g. turn max_user_namespaces back on where the admin
     * turned it off. */
    if (strncmp(key, "user.", 5) == 0)
        return "user";
    return NULL;
}

/* true when `path` names the runtime's own namespace of that kind. */
static bool is_host_ns(const char *path, const char *self)
{
    struct stat a, b;

    return stat(path, &a) == 0 && stat(self, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

static bool is_sep(char c)
{
    return c == '.' || c == '/';
}

static bool sysctl_key_ok(const char *key)
{
    size_t len = key ? strlen(key) : 0;

    /* Keys map to /proc/sys/<key with . or / as separator>: no empty
     * component and no "..", so that a key cannot leave /proc/sys. */
    if (len == 0 || is_sep(key[0]) || is_sep(key[len - 1]))
        return false;
    for (size_t i = 0; i + 1 < len; i++)
        if (is_sep(key[i]) && is_sep(key[i + 1]))
            return false;
    return true;
}

static void check_one_sysctl(struct vctx *v, const char *key)
{
    _cleanup_free_ char *norm = key ? strdup(key) : NULL;
    const oci_namespace *ns;
    const char *kind;

    if (!sysctl_key_ok(key) || !norm) {
        v_error(v, vp_key(v, "/linux/sysctl", key), S_SYSCTL, "\"%s\" is not a sysctl name",
                key ? key : "");
        return;
    }
    for (char *c = norm; *c; c++)
        if (*c == '/')
            *c = '.';
    kind = sysctl_namespace(norm);
    if (!kind) {
        v_error(v, vp_key(v, "/linux/sysctl", key), S_SYSCTL,
                "sysctl \"%s\" is not namespaced: setting it would change the host", key);
        return;
    }
    ns = v_ns(v->cfg, kind);
    if (!ns) {
        v_error(v, vp_key(v, "/linux/sysctl", key), S_SYSCTL,
                "sysctl \"%s\" needs a %s namespace: without one it would change the host", key,
                kind);
        return;
    }
    if (strcmp(kind, "network") == 0 && v->o->check_host && ns->path && *ns->path &&
        is_host_ns(ns->path, "/proc/self/ns/net"))
        v_error(v, vp_key(v, "/linux/sysctl", key), S_SYSCTL,
                "sysctl \"%s\" is not allowed in the host's network namespace", key);
    if ((strcmp(norm, "kernel.hostname") == 0 && v->cfg->hostname) ||
        (strcmp(norm, "kernel.domainname") == 0 && v->cfg->domainname))
        v_error(v, vp_key(v, "/linux/sysctl", key), S_SYSCTL,
                "sysctl \"%s\" conflicts with the %s field", key,
                strcmp(norm, "kernel.hostname") == 0 ? "hostname" : "domainname");
}

void check_sysctl(struct vctx *v)
{
    const oci_linux *l = v->cfg->linux;

    for (size_t i = 0; l && l->sysctl.keys && i < l->sysctl.len; i++)
        check_one_sysctl(v, l->sysctl.keys[i]);
}
