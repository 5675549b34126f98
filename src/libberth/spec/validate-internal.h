/* validate-internal.h: what the rule files of the validate module share.
 *
 * A rule is `void check_x(struct vctx *v)`: it reads v->cfg and reports
 * through v_error()/v_warning(). The table of rules lives in validate.c; each
 * concern (process, mounts, namespaces, linux, resources, seccomp) has its
 * own file.
 * Rules must cope with configs built in C that libocispec never checked,
 * so they never assume a REQUIRED member is set.
 */
#ifndef BERTH_VALIDATE_INTERNAL_H
#define BERTH_VALIDATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "oci-types.h"
#include "validate.h"

/* Spec sections cited in messages: file and heading. */
#define S_VERSION      "config.md \"Specification version\""
#define S_ROOT         "config.md \"Root\""
#define S_MOUNTS       "config.md \"Mounts\""
#define S_MOUNTS_POSIX "config.md \"POSIX-platform Mounts\""
#define S_MOUNT_OPTS   "config.md \"Linux mount options\""
#define S_PROCESS      "config.md \"Process\""
#define S_RLIMITS      "config.md \"POSIX process\""
#define S_LINUX_PROC   "config.md \"Linux Process\""
#define S_HOSTNAME     "config.md \"Hostname\""
#define S_DOMAINNAME   "config.md \"Domainname\""
#define S_HOOKS        "config.md \"POSIX-platform Hooks\""
#define S_ANNOTATIONS  "config.md \"Annotations\""
#define S_START        "runtime.md \"Start\""
#define S_NS           "config-linux.md \"Namespaces\""
#define S_IDMAP        "config-linux.md \"User namespace mappings\""
#define S_TIMENS       "config-linux.md \"Offset for Time Namespace\""
#define S_DEVICES      "config-linux.md \"Devices\""
#define S_NETDEV       "config-linux.md \"Network Devices\""
#define S_CGPATH       "config-linux.md \"Cgroups Path\""
#define S_DEVALLOW     "config-linux.md \"Allowed Device list\""
#define S_MEMORY       "config-linux.md \"Memory\""
#define S_CPU          "config-linux.md \"CPU\""
#define S_BLKIO        "config-linux.md \"Block IO\""
#define S_HUGEPAGE     "config-linux.md \"Huge page limits\""
#define S_PIDS         "config-linux.md \"PIDs\""
#define S_RDMA         "config-linux.md \"RDMA\""
#define S_UNIFIED      "config-linux.md \"Unified\""
/* "If the conversion is not possible the runtime MUST generate an error." */
#define S_CG_CONVERT  S_UNIFIED
#define S_RDT         "config-linux.md \"IntelRdt\""
#define S_MEMPOLICY   "config-linux.md \"Memory policy\""
#define S_SYSCTL      "config-linux.md \"Sysctl\""
#define S_SECCOMP     "config-linux.md \"Seccomp\""
#define S_PROPAGATION "config-linux.md \"Rootfs Mount Propagation\""
#define S_MASKED      "config-linux.md \"Masked Paths\""
#define S_READONLY    "config-linux.md \"Readonly Paths\""
#define S_PERSONALITY "config-linux.md \"Personality\""

#define VPTR_MAX 512

struct vctx {
    const oci_config *cfg;               /* never NULL inside a rule */
    const struct berth_validate_opts *o; /* never NULL */
    struct oci_diags *diags;
    size_t nerrors;
    char ptr[VPTR_MAX]; /* scratch for vp()/vp_key() */
};

/* Report one diagnostic; `sec` is one of the S_* strings above. */
void v_error(struct vctx *v, const char *ptr, const char *sec, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void v_warning(struct vctx *v, const char *ptr, const char *sec, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Formats a JSON pointer into v->ptr; valid until the next vp call. */
const char *vp(struct vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* v->ptr = prefix + "/" + key with "~" and "/" escaped (RFC 6901). */
const char *vp_key(struct vctx *v, const char *prefix, const char *key);

/* Small predicates shared by the rule files. */
bool v_abs(const char *path);           /* non-NULL, starts with '/' */
bool v_has_dotdot(const char *path);    /* has a ".." component */
bool v_env_entry_ok(const char *entry); /* KEY=value with a non-empty KEY */
/* The number at s (digits, below 10^9) in *ret; its end, or NULL. */
const char *v_parse_uint(const char *s, unsigned long *ret);
bool v_id_list_ok(const char *list);            /* "0-3,7" (cpus, mems, nodes) */
const char *v_ifname_problem(const char *name); /* NULL when a valid interface name */
bool v_strv_contains(char **v, size_t n, const char *s);
/* The first namespace entry of `type`, or NULL. */
const oci_namespace *v_ns(const oci_config *cfg, const char *type);
/* true when the container gets a new namespace of `type` (entry without path). */
bool v_ns_new(const oci_config *cfg, const char *type);
/* Checks an array of id mappings (size > 0, no overflow, no overlap). */
void v_check_id_mappings(struct vctx *v, const char *prefix, const oci_id_mapping *m, size_t n,
                         const char *sec);
/* Resolves a bundle-relative path into buf; returns buf. */
const char *v_bundle_path(struct vctx *v, const char *path, char *buf, size_t size);

/* Process rules, shared with berth_validate_process(); `prefix` is the
 * pointer of the process object ("/process" or ""). */
void v_check_process(struct vctx *v, const oci_process *p, const char *prefix);

/* Rules, one per concern; the table is in validate.c. */
void check_mounts(struct vctx *v);
void check_namespaces(struct vctx *v);
void check_id_mappings(struct vctx *v);
void check_time_offsets(struct vctx *v);
void check_devices(struct vctx *v);
void check_net_devices(struct vctx *v);
void check_sysctl(struct vctx *v);
void check_linux_paths(struct vctx *v);
void check_personality(struct vctx *v);
void check_memory_policy(struct vctx *v);
void check_intel_rdt(struct vctx *v);
void check_cgroups_path(struct vctx *v);
void check_resources(struct vctx *v);
void check_seccomp(struct vctx *v);

/* Resource rules, also used for `update --resources` objects. */
void v_check_resources(struct vctx *v, const oci_resources *r, const char *prefix);

#endif
