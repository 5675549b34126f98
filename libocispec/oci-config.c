/* oci-config.c: descriptor tables for config.json, the platform-neutral part
 * (config.md, defs.json): root, mounts, process (also read bare by
 * `exec --process`), hooks, annotations. The "linux" object lives in
 * oci-config-linux.c. Every property of config-schema.json and defs.json has
 * a row; REQUIRED follows the spec text where it is stricter than the schema
 * (user uid/gid, ioPriority priority, root on Linux).
 */
#include "oci-checks.h"

/* config.md "Scheduler": policy values (defs-linux.json SchedulerPolicy) */
const char *const oci_scheduler_policies[] = {
    "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",       "SCHED_BATCH",
    "SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE", NULL,
};

/* config.md "Scheduler": flags (defs-linux.json SchedulerFlag) */
const char *const oci_scheduler_flags[] = {
    "SCHED_FLAG_RESET_ON_FORK",  "SCHED_FLAG_RECLAIM",
    "SCHED_FLAG_DL_OVERRUN",     "SCHED_FLAG_KEEP_POLICY",
    "SCHED_FLAG_KEEP_PARAMS",    "SCHED_FLAG_UTIL_CLAMP_MIN",
    "SCHED_FLAG_UTIL_CLAMP_MAX", NULL,
};

/* config.md "ioPriority": class values */
const char *const oci_io_priority_classes[] = {
    "IOPRIO_CLASS_RT",
    "IOPRIO_CLASS_BE",
    "IOPRIO_CLASS_IDLE",
    NULL,
};

/* ---- defs.json ----------------------------------------------------------- */

static const struct oci_field hook_fields[] = {
    /* config.md "POSIX-platform Hooks": path MUST be absolute */
    OCI_STR(oci_hook, path, OCI_REQUIRED | OCI_ABS_PATH),
    OCI_ARR(oci_hook, args, OCI_STRING, 0),
    OCI_ARR(oci_hook, env, OCI_STRING, 0),
    OCI_SCAL(oci_hook, timeout, OCI_INT, 0, oci_check_hook_timeout),
};
static const struct oci_desc hook_desc = OCI_DESC(oci_hook, hook_fields);

static const struct oci_field id_mapping_fields[] = {
    OCI_SCAL(oci_id_mapping, containerID, OCI_UINT32, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_id_mapping, hostID, OCI_UINT32, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_id_mapping, size, OCI_UINT32, OCI_REQUIRED, NULL),
};
const struct oci_desc oci_id_mapping_desc = OCI_DESC(oci_id_mapping, id_mapping_fields);

/* config.md "Mounts": destination SHOULD (not MUST) be absolute on Linux,
 * relative destinations are resolved against "/" since v1.2. */
static const struct oci_field mount_fields[] = {
    OCI_STR(oci_mount, destination, OCI_REQUIRED),
    OCI_STR(oci_mount, source, 0),
    OCI_STR(oci_mount, type, 0),
    OCI_ARR(oci_mount, options, OCI_STRING, 0),
    OCI_ARR_OBJ(oci_mount, uidMappings, oci_id_mapping_desc, 0),
    OCI_ARR_OBJ(oci_mount, gidMappings, oci_id_mapping_desc, 0),
};
static const struct oci_desc mount_desc = OCI_DESC(oci_mount, mount_fields);

/* ---- config.md ----------------------------------------------------------- */

/* config.md "Root": path is absolute or relative to the bundle. */
static const struct oci_field root_fields[] = {
    OCI_STR(oci_root, path, OCI_REQUIRED | OCI_NONEMPTY),
    OCI_SCAL(oci_root, readonly, OCI_BOOL, 0, NULL),
};
static const struct oci_desc root_desc = OCI_DESC(oci_root, root_fields);

static const struct oci_field console_size_fields[] = {
    OCI_SCAL(oci_console_size, height, OCI_UINT64, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_console_size, width, OCI_UINT64, OCI_REQUIRED, NULL),
};
static const struct oci_desc console_size_desc = OCI_DESC(oci_console_size, console_size_fields);

/* config.md "User": uid and gid are REQUIRED (the schema omits this). */
static const struct oci_field user_fields[] = {
    OCI_SCAL(oci_user, uid, OCI_UINT32, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_user, gid, OCI_UINT32, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_user, umask, OCI_UINT32, 0, NULL),
    OCI_ARR(oci_user, additionalGids, OCI_UINT32, 0),
    OCI_STR(oci_user, username, 0),
};
static const struct oci_desc user_desc = OCI_DESC(oci_user, user_fields);

static const struct oci_field capabilities_fields[] = {
    OCI_ARR(oci_capabilities, bounding, OCI_STRING, 0),
    OCI_ARR(oci_capabilities, effective, OCI_STRING, 0),
    OCI_ARR(oci_capabilities, inheritable, OCI_STRING, 0),
    OCI_ARR(oci_capabilities, permitted, OCI_STRING, 0),
    OCI_ARR(oci_capabilities, ambient, OCI_STRING, 0),
};
static const struct oci_desc capabilities_desc = OCI_DESC(oci_capabilities, capabilities_fields);

static const struct oci_field rlimit_fields[] = {
    OCI_STR_CHECK(oci_rlimit, type, OCI_REQUIRED, oci_check_rlimit_type),
    OCI_SCAL(oci_rlimit, soft, OCI_UINT64, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_rlimit, hard, OCI_UINT64, OCI_REQUIRED, NULL),
};
static const struct oci_desc rlimit_desc = OCI_DESC(oci_rlimit, rlimit_fields);

static const struct oci_field io_priority_fields[] = {
    OCI_ENUM(oci_io_priority, class, OCI_REQUIRED, oci_io_priority_classes),
    /* config.md: priority is REQUIRED, 0 (highest) to 7 (lowest) */
    OCI_SCAL(oci_io_priority, priority, OCI_INT32, OCI_REQUIRED, oci_check_io_priority),
};
static const struct oci_desc io_priority_desc = OCI_DESC(oci_io_priority, io_priority_fields);

static const struct oci_field scheduler_fields[] = {
    OCI_ENUM(oci_scheduler, policy, OCI_REQUIRED, oci_scheduler_policies),
    OCI_SCAL(oci_scheduler, nice, OCI_INT32, 0, NULL),
    OCI_SCAL(oci_scheduler, priority, OCI_INT32, 0, NULL),
    OCI_ARR_ENUM(oci_scheduler, flags, 0, oci_scheduler_flags),
    OCI_SCAL(oci_scheduler, runtime, OCI_UINT64, 0, NULL),
    OCI_SCAL(oci_scheduler, deadline, OCI_UINT64, 0, NULL),
    OCI_SCAL(oci_scheduler, period, OCI_UINT64, 0, NULL),
};
static const struct oci_desc scheduler_desc = OCI_DESC(oci_scheduler, scheduler_fields);

static const struct oci_field exec_cpu_affinity_fields[] = {
    OCI_STR_CHECK(oci_exec_cpu_affinity, initial, 0, oci_check_cpu_list),
    OCI_STR_CHECK(oci_exec_cpu_affinity, final, 0, oci_check_cpu_list),
};
static const struct oci_desc exec_cpu_affinity_desc =
    OCI_DESC(oci_exec_cpu_affinity, exec_cpu_affinity_fields);

static const struct oci_field process_fields[] = {
    OCI_SCAL(oci_process, terminal, OCI_BOOL, 0, NULL),
    OCI_OBJ(oci_process, consoleSize, console_size_desc, 0),
    OCI_OBJ(oci_process, user, user_desc, 0),
    /* config.md "Process": at least one args entry is REQUIRED (non-Windows) */
    OCI_ARR(oci_process, args, OCI_STRING, OCI_NONEMPTY),
    OCI_STR(oci_process, commandLine, 0),
    OCI_ARR(oci_process, env, OCI_STRING, 0),
    /* config.md "Process": cwd MUST be an absolute path */
    OCI_STR(oci_process, cwd, OCI_REQUIRED | OCI_ABS_PATH),
    OCI_OBJ(oci_process, capabilities, capabilities_desc, 0),
    OCI_ARR_OBJ(oci_process, rlimits, rlimit_desc, 0),
    OCI_SCAL(oci_process, noNewPrivileges, OCI_BOOL, 0, NULL),
    OCI_STR(oci_process, apparmorProfile, 0),
    OCI_SCAL(oci_process, oomScoreAdj, OCI_INT, 0, NULL),
    OCI_OBJ(oci_process, scheduler, scheduler_desc, 0),
    OCI_STR(oci_process, selinuxLabel, 0),
    OCI_OBJ(oci_process, ioPriority, io_priority_desc, 0),
    OCI_OBJ(oci_process, execCPUAffinity, exec_cpu_affinity_desc, 0),
};
const struct oci_desc oci_process_desc = OCI_DESC(oci_process, process_fields);

static const struct oci_field hooks_fields[] = {
    OCI_ARR_OBJ(oci_hooks, prestart, hook_desc, 0),
    OCI_ARR_OBJ(oci_hooks, createRuntime, hook_desc, 0),
    OCI_ARR_OBJ(oci_hooks, createContainer, hook_desc, 0),
    OCI_ARR_OBJ(oci_hooks, startContainer, hook_desc, 0),
    OCI_ARR_OBJ(oci_hooks, poststart, hook_desc, 0),
    OCI_ARR_OBJ(oci_hooks, poststop, hook_desc, 0),
};
static const struct oci_desc hooks_desc = OCI_DESC(oci_hooks, hooks_fields);

static const struct oci_field config_fields[] = {
    OCI_STR_CHECK(oci_config, ociVersion, OCI_REQUIRED, oci_check_semver),
    /* config.md "Root": REQUIRED on every platform but Hyper-V Windows */
    OCI_OBJ(oci_config, root, root_desc, OCI_REQUIRED),
    OCI_ARR_OBJ(oci_config, mounts, mount_desc, 0),
    OCI_OBJ(oci_config, process, oci_process_desc, 0),
    OCI_STR(oci_config, hostname, 0),
    OCI_STR(oci_config, domainname, 0),
    OCI_OBJ(oci_config, hooks, hooks_desc, 0),
    OCI_MAP_STR(oci_config, annotations, 0),
    OCI_OBJ(oci_config, linux, oci_linux_desc, 0),
};
const struct oci_desc oci_config_desc = OCI_DESC(oci_config, config_fields);
