/* oci-features.c: descriptor tables for the features document (features.md,
 * features-linux.md, features-schema.json, features-linux.json) that
 * `berth features` emits. Arrays of known values use the same lists as
 * config validation, so what berth advertises is what it accepts.
 */
#include "oci-checks.h"

static const struct oci_field feat_enabled_fields[] = {
    OCI_SCAL(oci_feat_enabled, enabled, OCI_BOOL, 0, NULL),
};
static const struct oci_desc feat_enabled_desc = OCI_DESC(oci_feat_enabled, feat_enabled_fields);

static const struct oci_field feat_cgroup_fields[] = {
    OCI_SCAL(oci_feat_cgroup, v1, OCI_BOOL, 0, NULL),
    OCI_SCAL(oci_feat_cgroup, v2, OCI_BOOL, 0, NULL),
    OCI_SCAL(oci_feat_cgroup, systemd, OCI_BOOL, 0, NULL),
    OCI_SCAL(oci_feat_cgroup, systemdUser, OCI_BOOL, 0, NULL),
    OCI_SCAL(oci_feat_cgroup, rdma, OCI_BOOL, 0, NULL),
};
static const struct oci_desc feat_cgroup_desc = OCI_DESC(oci_feat_cgroup, feat_cgroup_fields);

static const struct oci_field feat_seccomp_fields[] = {
    OCI_SCAL(oci_feat_seccomp, enabled, OCI_BOOL, 0, NULL),
    OCI_ARR_ENUM(oci_feat_seccomp, actions, 0, oci_seccomp_actions),
    OCI_ARR_ENUM(oci_feat_seccomp, operators, 0, oci_seccomp_operators),
    OCI_ARR_ENUM(oci_feat_seccomp, archs, 0, oci_seccomp_archs),
    OCI_ARR_ENUM(oci_feat_seccomp, knownFlags, 0, oci_seccomp_flags),
    OCI_ARR_ENUM(oci_feat_seccomp, supportedFlags, 0, oci_seccomp_flags),
};
static const struct oci_desc feat_seccomp_desc = OCI_DESC(oci_feat_seccomp, feat_seccomp_fields);

/* features-linux.md "IntelRdt": schemata and monitoring are not in the
 * JSON schema yet but are in the text. */
static const struct oci_field feat_intel_rdt_fields[] = {
    OCI_SCAL(oci_feat_intel_rdt, enabled, OCI_BOOL, 0, NULL),
    OCI_SCAL(oci_feat_intel_rdt, schemata, OCI_BOOL, 0, NULL),
    OCI_SCAL(oci_feat_intel_rdt, monitoring, OCI_BOOL, 0, NULL),
};
static const struct oci_desc feat_intel_rdt_desc =
    OCI_DESC(oci_feat_intel_rdt, feat_intel_rdt_fields);

/* features-linux.md "MemoryPolicy" (text only, like intelRdt above) */
static const struct oci_field feat_memory_policy_fields[] = {
    OCI_ARR_ENUM(oci_feat_memory_policy, modes, 0, oci_memory_policy_modes),
    OCI_ARR_ENUM(oci_feat_memory_policy, flags, 0, oci_memory_policy_flags),
};
static const struct oci_desc feat_memory_policy_desc =
    OCI_DESC(oci_feat_memory_policy, feat_memory_policy_fields);

static const struct oci_field feat_mount_ext_fields[] = {
    OCI_OBJ(oci_feat_mount_ext, idmap, feat_enabled_desc, 0),
};
static const struct oci_desc feat_mount_ext_desc =
    OCI_DESC(oci_feat_mount_ext, feat_mount_ext_fields);

static const struct oci_field feat_linux_fields[] = {
    OCI_ARR_ENUM(oci_feat_linux, namespaces, 0, oci_namespace_types),
    OCI_ARR_CHECK(oci_feat_linux, capabilities, OCI_STRING, 0, oci_check_cap_name),
    OCI_OBJ(oci_feat_linux, cgroup, feat_cgroup_desc, 0),
    OCI_OBJ(oci_feat_linux, seccomp, feat_seccomp_desc, 0),
    OCI_OBJ(oci_feat_linux, apparmor, feat_enabled_desc, 0),
    OCI_OBJ(oci_feat_linux, selinux, feat_enabled_desc, 0),
    OCI_OBJ(oci_feat_linux, intelRdt, feat_intel_rdt_desc, 0),
    OCI_OBJ(oci_feat_linux, memoryPolicy, feat_memory_policy_desc, 0),
    OCI_OBJ(oci_feat_linux, mountExtensions, feat_mount_ext_desc, 0),
    OCI_OBJ(oci_feat_linux, netDevices, feat_enabled_desc, 0),
};
static const struct oci_desc feat_linux_desc = OCI_DESC(oci_feat_linux, feat_linux_fields);

static const struct oci_field features_fields[] = {
    OCI_STR_CHECK(oci_features, ociVersionMin, OCI_REQUIRED, oci_check_semver),
    OCI_STR_CHECK(oci_features, ociVersionMax, OCI_REQUIRED, oci_check_semver),
    OCI_ARR(oci_features, hooks, OCI_STRING, 0),
    OCI_ARR(oci_features, mountOptions, OCI_STRING, 0),
    OCI_OBJ(oci_features, linux, feat_linux_desc, 0),
    OCI_MAP_STR(oci_features, annotations, 0),
    OCI_ARR(oci_features, potentiallyUnsafeConfigAnnotations, OCI_STRING, 0),
};
const struct oci_desc oci_features_desc = OCI_DESC(oci_features, features_fields);
