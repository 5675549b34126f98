/* validate-linux.c: rules on linux.* members that do not depend on the
 * namespace set: devices, cgroupsPath, intelRdt, memoryPolicy, the path
 * lists, rootfsPropagation and personality (config-linux.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/resctrl-root.h"
#include "validate-internal.h"

/* ---- devices ------------------------------------------------------------ */

/* The kernel's dev_t has 12 bits of major and 20 bits of minor; larger
 * numbers would silently name another device. */
#define DEV_MAJOR_MAX 4095
#define DEV_MINOR_MAX 1048575

static bool same_device(const oci_device *a, const oci_device *b)
{
    return a->type && b->type && strcmp(a->type, b->type) == 0 &&
           a->major_present == b->major_present && a->minor_present == b->minor_present &&
           (!a->major_present || a->major == b->major) &&
           (!a->minor_present || a->minor == b->minor);
}

static void check_device_numbers(struct vctx *v, const oci_device *d, size_t i)
{
    bool fifo = d->type && strcmp(d->type, "p") == 0;

    /* "major, minor (int64, REQUIRED unless type is p)" */
    if (!fifo && (!d->major_present || !d->minor_present)) {
        v_error(v, vp(v, "/linux/devices/%zu/%s", i, d->major_present ? "minor" : "major"),
                S_DEVICES, "type \"%s\" needs both major and minor", d->type);
        return;
    }
    if (fifo && ((d->major_present && d->major) || (d->minor_present && d->minor)))
        v_warning(v, vp(v, "/linux/devices/%zu", i), S_DEVICES,
                  "major/minor are ignored for a FIFO (type \"p\")");
    if (d->major_present && (d->major < 0 || d->major > DEV_MAJOR_MAX))
        v_error(v, vp(v, "/linux/devices/%zu/major", i), S_DEVICES, "major %lld is outside 0..%d",
                (long long)d->major, DEV_MAJOR_MAX);
    if (d->minor_present && (d->minor < 0 || d->minor > DEV_MINOR_MAX))
        v_error(v, vp(v, "/linux/devices/%zu/minor", i), S_DEVICES, "minor %lld is outside 0..%d",
                (long long)d->minor, DEV_MINOR_MAX);
}

static void check_device_duplicates(struct vctx *v, const oci_device *devs, size_t i)
{
    const oci_device *d = &devs[i];

    for (size_t j = 0; j < i; j++) {
        const oci_device *o = &devs[j];
        /* A second entry finds the first one's node at its path: "If a file
         * already exists at path that does not match the requested device,
         * the runtime MUST generate an error." Identical twins are harmless. */
        if (o->path && strcmp(o->path, d->path) == 0) {
            if (same_device(o, d))
                v_warning(v, vp(v, "/linux/devices/%zu/path", i), S_DEVICES,
                          "device \"%s\" is listed twice (also at index %zu)", d->path, j);
            else
                v_error(v, vp(v, "/linux/devices/%zu/path", i), S_DEVICES,
                        "device path \"%s\" is already used by a different device at index %zu",
                        d->path, j);
            return;
        }
        /* "The same type, major and minor SHOULD NOT be used for multiple devices." */
        if (strcmp(d->type, "p") != 0 && same_device(o, d)) {
            v_warning(v, vp(v, "/linux/devices/%zu", i), S_DEVICES,
                      "same type, major and minor as device %zu (\"%s\")", j,
                      o->path ? o->path : "");
            return;
        }
    }
}

void check_devices(struct vctx *v)
{
    const oci_linux *l = v->cfg->linux;

    for (size_t i = 0; l && l->devices && i < l->devices_len; i++) {
        const oci_device *d = &l->devices[i];
        if (!d->type || strlen(d->type) != 1 || !strchr("cbup", d->type[0])) {
            v_error(v, vp(v, "/linux/devices/%zu/type", i), S_DEVICES,
                    "type \"%s\" must be one of c, b, u, p", d->type ? d->type : "");
            continue;
        }
        /* path: "full path to device inside container". */
        if (!v_abs(d->path)) {
            v_error(v, vp(v, "/linux/devices/%zu/path", i), S_DEVICES,
                    "device path \"%s\" must be an absolute path", d->path ? d->path : "");
            continue;
        }
        check_device_numbers(v, d, i);
        check_device_duplicates(v, l->devices, i);
    }
}

/* ---- cgroupsPath -------------------------------------------------------- */

void check_cgroups_path(struct vctx *v)
{
    const char *p = v->cfg->linux ? v->cfg->linux->cgroupsPath : NULL;

    if (!p || !*p)
        return;
    /* Absolute and relative paths are both valid, and "Runtimes MAY
     * consider certain cgroupsPath values to be invalid": berth refuses
     * ".." (a container must not name a cgroup outside its tree), control
     * characters, and the root itself (the container needs its own). */
    if (v_has_dotdot(p))
        v_error(v, "/linux/cgroupsPath", S_CGPATH, "cgroupsPath \"%s\" must not contain \"..\"", p);
    else if (strspn(p, "/") == strlen(p))
        v_error(v, "/linux/cgroupsPath", S_CGPATH,
                "cgroupsPath \"%s\" names the root cgroup; a container needs its own", p);
    for (const char *c = p; *c; c++)
        if ((unsigned char)*c < 0x20) {
            v_error(v, "/linux/cgroupsPath", S_CGPATH, "cgroupsPath contains a control character");
            break;
        }
}

/* ---- intelRdt ----------------------------------------------------------- */

static bool resctrl_mounted(const char *override)
{
    _cleanup_free_ char *root = NULL;
    berth_error_t err = NULL;
    int r = berth_resctrl_root(override, &root, &err);

    berth_error_release(&err);
    return r == 0;
}

void check_intel_rdt(struct vctx *v)
{
    const oci_intel_rdt *r = v->cfg->linux ? v->cfg->linux->intelRdt : NULL;

    if (!r)
        return;
    /* closID names a directory of resctrl; "/" is the special default CLOS. */
    if (r->closID && strcmp(r->closID, "/") != 0 &&
        (!*r->closID || strcmp(r->closID, ".") == 0 || strcmp(r->closID, "..") == 0 ||
         strchr(r->closID, '/') || strchr(r->closID, '\n')))
        v_error(v, "/linux/intelRdt/closID", S_RDT,
                "closID \"%s\" must be \"/\" or a plain directory name", r->closID);
    /* memBwSchema "MUST start with MB: and MUST NOT contain newlines". */
    if (r->memBwSchema && (strncmp(r->memBwSchema, "MB:", 3) != 0 || strchr(r->memBwSchema, '\n')))
        v_error(v, "/linux/intelRdt/memBwSchema", S_RDT,
                "memBwSchema MUST start with \"MB:\" and MUST NOT contain newlines");
    /* l3CacheSchema: the same, but SHOULD. */
    if (r->l3CacheSchema &&
        (strncmp(r->l3CacheSchema, "L3", 2) != 0 || strchr(r->l3CacheSchema, '\n')))
        v_warning(v, "/linux/intelRdt/l3CacheSchema", S_RDT,
                  "l3CacheSchema SHOULD start with \"L3:\" and SHOULD NOT contain newlines");
    for (size_t i = 0; r->schemata && i < r->schemata_len; i++)
        if (!r->schemata[i] || strchr(r->schemata[i], '\n'))
            v_error(v, vp(v, "/linux/intelRdt/schemata/%zu", i), S_RDT,
                    "schemata lines MUST NOT contain newlines");
    /* "If no mounted resctrl pseudo-filesystem is available in the runtime
     * mount namespace, the runtime MUST generate an error." */
    if (v->o->check_host && !resctrl_mounted(v->o->resctrl_root))
        v_error(v, "/linux/intelRdt", S_RDT, "no resctrl filesystem is mounted on this host");
}

/* ---- memoryPolicy ------------------------------------------------------- */

void check_memory_policy(struct vctx *v)
{
    const oci_memory_policy *m = v->cfg->linux ? v->cfg->linux->memoryPolicy : NULL;
    const char *mode;
    bool nodes;

    if (!m)
        return;
    mode = m->mode ? m->mode : "";
    nodes = m->nodes && *m->nodes;
    if (nodes && !v_id_list_ok(m->nodes))
        v_error(v, "/linux/memoryPolicy/nodes", S_MEMPOLICY,
                "\"%s\" is not a node list such as \"0-3,7\"", m->nodes);
    /* set_mempolicy(2): DEFAULT and LOCAL take no nodes; BIND, INTERLEAVE,
     * WEIGHTED_INTERLEAVE and PREFERRED_MANY need at least one; PREFERRED
     * with no nodes means local allocation. */
    if ((strcmp(mode, "MPOL_DEFAULT") == 0 || strcmp(mode, "MPOL_LOCAL") == 0) && nodes)
        v_error(v, "/linux/memoryPolicy/nodes", S_MEMPOLICY, "%s requires that there are no nodes",
                mode);
    else if (!nodes && (strcmp(mode, "MPOL_BIND") == 0 || strcmp(mode, "MPOL_INTERLEAVE") == 0 ||
                        strcmp(mode, "MPOL_WEIGHTED_INTERLEAVE") == 0 ||
                        strcmp(mode, "MPOL_PREFERRED_MANY") == 0))
        v_error(v, "/linux/memoryPolicy/nodes", S_MEMPOLICY, "%s requires at least one node", mode);
    /* set_mempolicy(2): the two node-interpretation flags exclude each
     * other, and NUMA balancing only applies to BIND (PREFERRED_MANY since
     * Linux 6.9). */
    if (v_strv_contains(m->flags, m->flags_len, "MPOL_F_STATIC_NODES") &&
        v_strv_contains(m->flags, m->flags_len, "MPOL_F_RELATIVE_NODES"))
        v_error(v, "/linux/memoryPolicy/flags", S_MEMPOLICY,
                "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
    if (v_strv_contains(m->flags, m->flags_len, "MPOL_F_NUMA_BALANCING") &&
        strcmp(mode, "MPOL_BIND") != 0 && strcmp(mode, "MPOL_PREFERRED_MANY") != 0)
        v_error(v, "/linux/memoryPolicy/flags", S_MEMPOLICY,
                "MPOL_F_NUMA_BALANCING only works with MPOL_BIND or MPOL_PREFERRED_MANY");
}

/* ---- paths, propagation, personality ------------------------------------ */

static void check_abs_list(struct vctx *v, const char *name, char **paths, size_t n,
                           const char *sec)
{
    /* "The values MUST be absolute paths in the container namespace." */
    for (size_t i = 0; paths && i < n; i++)
        if (!v_abs(paths[i]))
            v_error(v, vp(v, "/linux/%s/%zu", name, i), sec, "\"%s\" MUST be an absolute path",
                    paths[i] ? paths[i] : "");
}

void check_linux_paths(struct vctx *v)
{
    const oci_linux *l = v->cfg->linux;
    const char *p;
    bool known;

    if (!l)
        return;
    check_abs_list(v, "maskedPaths", l->maskedPaths, l->maskedPaths_len, S_MASKED);
    check_abs_list(v, "readonlyPaths", l->readonlyPaths, l->readonlyPaths_len, S_READONLY);
    /* The paths are "in the container namespace": without a mount
     * namespace of its own they would be masked on the host (runc refuses
     * this as well). */
    if (!v_ns(v->cfg, "mount") && (l->maskedPaths_len || l->readonlyPaths_len))
        v_error(v, l->maskedPaths_len ? "/linux/maskedPaths" : "/linux/readonlyPaths",
                l->maskedPaths_len ? S_MASKED : S_READONLY,
                "maskedPaths and readonlyPaths need a mount namespace (they would apply to the "
                "host)");
    /* "Its value is either shared, slave, private or unbindable"; the
     * r-prefixed forms as runc. The model's table is the one list (a
     * config built in memory skips the parser's enum check). */
    p = l->rootfsPropagation;
    known = false;
    for (size_t i = 0; p && oci_rootfs_propagations[i]; i++)
        known |= strcmp(p, oci_rootfs_propagations[i]) == 0;
    if (p && *p && !known)
        v_error(v, "/linux/rootfsPropagation", S_PROPAGATION,
                "\"%s\" is not one of shared, slave, private, unbindable (or rshared, rslave, "
                "rprivate, runbindable)",
                p);
}

void check_personality(struct vctx *v)
{
    const oci_personality *p = v->cfg->linux ? v->cfg->linux->personality : NULL;

    if (!p)
        return;
    if (!p->domain || (strcmp(p->domain, "LINUX") != 0 && strcmp(p->domain, "LINUX32") != 0))
        v_error(v, "/linux/personality/domain", S_PERSONALITY,
                "domain \"%s\" must be LINUX or LINUX32", p->domain ? p->domain : "");
    /* "Currently no flag values are supported." */
    for (size_t i = 0; p->flags && i < p->flags_len; i++)
        v_error(v, vp(v, "/linux/personality/flags/%zu", i), S_PERSONALITY,
                "unsupported flag \"%s\": no personality flags are defined",
                p->flags[i] ? p->flags[i] : "");
}
