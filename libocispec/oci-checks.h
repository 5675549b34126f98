/* oci-checks.h: check functions and shared descriptors used by the tables
 * in oci-config.c, oci-config-linux.c, oci-state.c and oci-features.c.
 * Internal to libocispec.
 */
#ifndef LIBOCISPEC_OCI_CHECKS_H
#define LIBOCISPEC_OCI_CHECKS_H

#include "oci-types.h"

const char *oci_check_rlimit_type(const void *v);
const char *oci_check_cap_name(const void *v);
const char *oci_check_page_size(const void *v);
const char *oci_check_mem_bw_schema(const void *v);
const char *oci_check_cpu_list(const void *v);
const char *oci_check_cgroup_access(const void *v);
const char *oci_check_file_mode(const void *v);
const char *oci_check_hook_timeout(const void *v);
const char *oci_check_io_priority(const void *v);
const char *oci_check_pid(const void *v);
const char *oci_check_semver(const void *v);

/* defs.json IDMapping, used by mounts (config.md) and linux (config-linux.md). */
extern const struct oci_desc oci_id_mapping_desc;
/* The "linux" object of config.json (oci-config-linux.c). */
extern const struct oci_desc oci_linux_desc;

#endif
