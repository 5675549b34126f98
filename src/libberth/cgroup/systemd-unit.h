/* systemd-unit.h: what the systemd cgroup driver asks systemd for, computed
 * without talking to it (pure functions, unit-tested).
 *
 * - the unit: runc's rules for linux.cgroupsPath "slice:prefix:name" under
 *   --systemd-cgroup (libcontainer/specconv and the cgroups systemd
 *   package): an empty cgroupsPath is "system.slice:berth:ID", an empty
 *   slice is system.slice, a name ending in ".slice" is a slice unit of its
 *   own, anything else the scope "prefix-name.scope" (prefix may be empty:
 *   "name.scope"). The cgroup path is the expanded slice plus the unit.
 * - the unit properties of linux.resources, as runc sets them, so that a
 *   systemd that re-applies its unit (daemon-reload, a restart) writes the
 *   values berth wrote to the files, not its defaults. Values systemd has no
 *   property for are only written to the files.
 *
 * Properties travel to the berth-systemd helper (systemd-bus.h) as
 * strings "Name=SIG:VALUE", or "Name@V=SIG:VALUE" for a property systemd
 * knows only from version V on (the helper drops it on an older systemd;
 * the file write still applies the value). SIG is the D-Bus signature of
 * the value: s, b ("true"/"false"), t, ay (hex digits), au (decimals
 * separated by ','), a(ss) (pairs "first second" separated by ','). */
#ifndef BERTH_SYSTEMD_UNIT_H
#define BERTH_SYSTEMD_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"
#include "oci-types.h"

struct berth_sd_unit {
    char *slice;   /* the parent slice, "system.slice" */
    char *name;    /* "berth-ID.scope", or "NAME.slice" */
    char *path;    /* its cgroup, "/system.slice/berth-ID.scope" */
    bool is_slice; /* the container gets a slice unit, not a scope */
    bool user;     /* the user's systemd instance (rootless), not the system's */
};

/* cgroups_path NULL or "" gives "system.slice:berth:<id>" ("user.slice"
 * for the user's instance, as runc); path is below the manager's own
 * cgroup (the caller prefixes a user instance's). */
int berth_sd_unit_parse(const char *cgroups_path, const char *id, bool user,
                        struct berth_sd_unit *ret, berth_error_t *err);
void berth_sd_unit_release(struct berth_sd_unit *u);

/* "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice"; "-.slice" -> "". */
int berth_sd_expand_slice(const char *slice, char **ret, berth_error_t *err);

struct berth_sd_props {
    char **v;
    size_t n;
};

void berth_sd_props_release(struct berth_sd_props *p);

/* The properties of a new unit for the container's init (pid): name,
 * parent, delegation, accounting (v2 or v1 names), no default
 * dependencies (a container must not be stopped with the units it
 * happens to come after). */
int berth_sd_props_unit(const struct berth_sd_unit *u, const char *id, pid_t pid, bool v2,
                        struct berth_sd_props *p, berth_error_t *err);

/* The properties of res (create: also the device list, always; update:
 * the device list only when res has one). The CPU quota systemd takes is
 * per second in steps of 10 ms: *ret_quota is then the quota to write to
 * the files as well, so that both agree (runc's rounding); -2 when the
 * quota is not changed. */
int berth_sd_props_resources(const oci_resources *res, bool v2, bool create,
                             struct berth_sd_props *p, int64_t *ret_quota, berth_error_t *err);

/* A cpuset list ("0-3,8") as the byte mask systemd's AllowedCPUs and
 * AllowedMemoryNodes take (bit n of byte n/8 is cpu or node n), in hex. */
int berth_sd_cpuset_mask(const char *list, char **ret_hex, berth_error_t *err);

/* The org.systemd.property.NAME annotations of a config (runc's), each a
 * property of its GVariant text value (systemd-annotations.c): -EINVAL
 * naming the annotation for a bad name or value. SIGs beyond the above: y,
 * n, q, i, u, x (decimal), d (%.17g), as (each string followed by '\n'). */
int berth_sd_props_annotations(const oci_string_map *a, struct berth_sd_props *p,
                               berth_error_t *err);

/* Appends one property (printf-style value part "SIG:VALUE"; name NULL:
 * the whole "NAME=SIG:VALUE" is in the value part). */
int berth_sd_props_add(struct berth_sd_props *p, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
