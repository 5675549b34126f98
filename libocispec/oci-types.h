/* oci-types.h: C types for every object of the OCI runtime-spec v1.3.0 that
 * berth reads or writes on Linux: config.json (config.md, config-linux.md),
 * state (runtime.md "State", state-schema.json), features (features.md,
 * features-linux.md) and a bare process object (`exec --process`).
 *
 * Member names are the JSON names, so cfg->linux->resources->memory->limit
 * reads like the document. See oci.h for the representation rules (_present,
 * _len, NULL = absent). Descriptors live in oci-config.c, oci-state.c and
 * oci-features.c.
 */
#ifndef LIBOCISPEC_OCI_TYPES_H
#define LIBOCISPEC_OCI_TYPES_H

#include "oci.h"

/* ---- defs.json ---------------------------------------------------------- */

typedef struct oci_hook {
    char *path; /* required, absolute */
    char **args;
    size_t args_len;
    char **env;
    size_t env_len;
    int timeout; /* > 0 */
    bool timeout_present;
} oci_hook;

typedef struct oci_id_mapping {
    uint32_t containerID;
    bool containerID_present;
    uint32_t hostID;
    bool hostID_present;
    uint32_t size;
    bool size_present;
} oci_id_mapping;

typedef struct oci_mount {
    char *destination; /* required */
    char *source;
    char *type;
    char **options;
    size_t options_len;
    oci_id_mapping *uidMappings;
    size_t uidMappings_len;
    oci_id_mapping *gidMappings;
    size_t gidMappings_len;
} oci_mount;

/* ---- config.md ---------------------------------------------------------- */

typedef struct oci_root {
    char *path; /* required */
    bool readonly;
    bool readonly_present;
} oci_root;

typedef struct oci_console_size {
    uint64_t height;
    bool height_present;
    uint64_t width;
    bool width_present;
} oci_console_size;

typedef struct oci_user {
    uint32_t uid;
    bool uid_present;
    uint32_t gid;
    bool gid_present;
    uint32_t umask;
    bool umask_present;
    uint32_t *additionalGids;
    size_t additionalGids_len;
    char *username; /* Windows only */
} oci_user;

typedef struct oci_capabilities {
    char **bounding;
    size_t bounding_len;
    char **effective;
    size_t effective_len;
    char **inheritable;
    size_t inheritable_len;
    char **permitted;
    size_t permitted_len;
    char **ambient;
    size_t ambient_len;
} oci_capabilities;

typedef struct oci_rlimit {
    char *type; /* required, RLIMIT_* */
    uint64_t soft;
    bool soft_present;
    uint64_t hard;
    bool hard_present;
} oci_rlimit;

typedef struct oci_io_priority {
    char *class; /* required: IOPRIO_CLASS_RT|BE|IDLE */
    int32_t priority;
    bool priority_present;
} oci_io_priority;

typedef struct oci_scheduler {
    char *policy; /* required */
    int32_t nice;
    bool nice_present;
    int32_t priority;
    bool priority_present;
    char **flags;
    size_t flags_len;
    uint64_t runtime;
    bool runtime_present;
    uint64_t deadline;
    bool deadline_present;
    uint64_t period;
    bool period_present;
} oci_scheduler;

typedef struct oci_exec_cpu_affinity {
    char *initial;
    char *final;
} oci_exec_cpu_affinity;

typedef struct oci_process {
    bool terminal;
    bool terminal_present;
    oci_console_size *consoleSize;
    oci_user *user;
    char **args;
    size_t args_len;
    char *commandLine; /* Windows only */
    char **env;
    size_t env_len;
    char *cwd; /* required, absolute */
    oci_capabilities *capabilities;
    oci_rlimit *rlimits;
    size_t rlimits_len;
    bool noNewPrivileges;
    bool noNewPrivileges_present;
    char *apparmorProfile;
    int oomScoreAdj;
    bool oomScoreAdj_present;
    oci_scheduler *scheduler;
    char *selinuxLabel;
    oci_io_priority *ioPriority;
    oci_exec_cpu_affinity *execCPUAffinity;
} oci_process;

typedef struct oci_hooks {
    oci_hook *prestart; /* deprecated but still run */
    size_t prestart_len;
    oci_hook *createRuntime;
    size_t createRuntime_len;
    oci_hook *createContainer;
    size_t createContainer_len;
    oci_hook *startContainer;
    size_t startContainer_len;
    oci_hook *poststart;
    size_t poststart_len;
    oci_hook *poststop;
    size_t poststop_len;
} oci_hooks;

/* ---- config-linux.md ---------------------------------------------------- */

typedef struct oci_namespace {
    char *type; /* required */
    char *path;
} oci_namespace;

typedef struct oci_time_offset {
    int64_t secs;
    bool secs_present;
    uint32_t nanosecs;
    bool nanosecs_present;
} oci_time_offset;

typedef struct oci_time_offsets {
    oci_time_offset *boottime;
    oci_time_offset *monotonic;
} oci_time_offsets;

typedef struct oci_device {
    char *type; /* required: c b u p */
    char *path; /* required, absolute */
    int64_t major;
    bool major_present;
    int64_t minor;
    bool minor_present;
    uint32_t fileMode;
    bool fileMode_present;
    uint32_t uid;
    bool uid_present;
    uint32_t gid;
    bool gid_present;
} oci_device;

typedef struct oci_net_device {
    char *name;
} oci_net_device;

typedef struct oci_device_cgroup {
    bool allow; /* required */
    bool allow_present;
    char *type;
    int64_t major;
    bool major_present;
    int64_t minor;
    bool minor_present;
    char *access;
} oci_device_cgroup;

typedef struct oci_memory {
    int64_t limit;
    bool limit_present;
    int64_t reservation;
    bool reservation_present;
    int64_t swap;
    bool swap_present;
    int64_t kernel;
    bool kernel_present;
    int64_t kernelTCP;
    bool kernelTCP_present;
    uint64_t swappiness;
    bool swappiness_present;
    bool disableOOMKiller;
    bool disableOOMKiller_present;
    bool useHierarchy;
    bool useHierarchy_present;
    bool checkBeforeUpdate;
    bool checkBeforeUpdate_present;
} oci_memory;

typedef struct oci_cpu {
    uint64_t shares;
    bool shares_present;
    int64_t quota;
    bool quota_present;
    uint64_t burst;
    bool burst_present;
    uint64_t period;
    bool period_present;
    int64_t realtimeRuntime;
    bool realtimeRuntime_present;
    uint64_t realtimePeriod;
    bool realtimePeriod_present;
    char *cpus;
    char *mems;
    int64_t idle;
    bool idle_present;
} oci_cpu;

typedef struct oci_pids {
    int64_t limit; /* required */
    bool limit_present;
} oci_pids;

typedef struct oci_weight_device {
    int64_t major; /* required */
    bool major_present;
    int64_t minor; /* required */
    bool minor_present;
    uint16_t weight;
    bool weight_present;
    uint16_t leafWeight;
    bool leafWeight_present;
} oci_weight_device;

typedef struct oci_throttle_device {
    int64_t major; /* required */
    bool major_present;
    int64_t minor; /* required */
    bool minor_present;
    uint64_t rate;
    bool rate_present;
} oci_throttle_device;

typedef struct oci_block_io {
    uint16_t weight;
    bool weight_present;
    uint16_t leafWeight;
    bool leafWeight_present;
    oci_weight_device *weightDevice;
    size_t weightDevice_len;
    oci_throttle_device *throttleReadBpsDevice;
    size_t throttleReadBpsDevice_len;
    oci_throttle_device *throttleWriteBpsDevice;
    size_t throttleWriteBpsDevice_len;
    oci_throttle_device *throttleReadIOPSDevice;
    size_t throttleReadIOPSDevice_len;
    oci_throttle_device *throttleWriteIOPSDevice;
    size_t throttleWriteIOPSDevice_len;
} oci_block_io;

typedef struct oci_hugepage_limit {
    char *pageSize; /* required */
    uint64_t limit; /* required */
    bool limit_present;
} oci_hugepage_limit;

typedef struct oci_net_priority {
    char *name;        /* required */
    uint32_t priority; /* required */
    bool priority_present;
} oci_net_priority;

typedef struct oci_network {
    uint32_t classID;
    bool classID_present;
    oci_net_priority *priorities;
    size_t priorities_len;
} oci_network;

typedef struct oci_rdma {
    uint32_t hcaHandles;
    bool hcaHandles_present;
    uint32_t hcaObjects;
    bool hcaObjects_present;
} oci_rdma;

typedef struct oci_resources {
    oci_device_cgroup *devices;
    size_t devices_len;
    oci_memory *memory;
    oci_cpu *cpu;
    oci_pids *pids;
    oci_block_io *blockIO;
    oci_hugepage_limit *hugepageLimits;
    size_t hugepageLimits_len;
    oci_network *network;
    OCI_MAP(oci_rdma *) rdma;
    oci_string_map unified;
} oci_resources;

typedef struct oci_syscall_arg {
    uint32_t index; /* required */
    bool index_present;
    uint64_t value; /* required */
    bool value_present;
    uint64_t valueTwo;
    bool valueTwo_present;
    char *op; /* required */
} oci_syscall_arg;

typedef struct oci_syscall {
    char **names; /* required, non-empty */
    size_t names_len;
    char *action; /* required */
    uint32_t errnoRet;
    bool errnoRet_present;
    oci_syscall_arg *args;
    size_t args_len;
} oci_syscall;

typedef struct oci_seccomp {
    char *defaultAction; /* required */
    uint32_t defaultErrnoRet;
    bool defaultErrnoRet_present;
    char **architectures;
    size_t architectures_len;
    char **flags;
    size_t flags_len;
    char *listenerPath;
    char *listenerMetadata;
    oci_syscall *syscalls;
    size_t syscalls_len;
} oci_seccomp;

typedef struct oci_intel_rdt {
    char *closID;
    char *l3CacheSchema;
    char *memBwSchema;
    char **schemata;
    size_t schemata_len;
    bool enableMonitoring;
    bool enableMonitoring_present;
} oci_intel_rdt;

typedef struct oci_memory_policy {
    char *mode; /* required */
    char *nodes;
    char **flags;
    size_t flags_len;
} oci_memory_policy;

typedef struct oci_personality {
    char *domain;
    char **flags;
    size_t flags_len;
} oci_personality;

typedef struct oci_linux {
    oci_namespace *namespaces;
    size_t namespaces_len;
    oci_id_mapping *uidMappings;
    size_t uidMappings_len;
    oci_id_mapping *gidMappings;
    size_t gidMappings_len;
    oci_time_offsets *timeOffsets;
    oci_device *devices;
    size_t devices_len;
    OCI_MAP(oci_net_device *) netDevices;
    char *cgroupsPath;
    oci_resources *resources;
    oci_intel_rdt *intelRdt;
    oci_memory_policy *memoryPolicy;
    oci_string_map sysctl;
    oci_seccomp *seccomp;
    char *rootfsPropagation;
    char **maskedPaths;
    size_t maskedPaths_len;
    char **readonlyPaths;
    size_t readonlyPaths_len;
    char *mountLabel;
    oci_personality *personality;
} oci_linux;

typedef struct oci_config {
    char *ociVersion; /* required */
    oci_root *root;
    oci_mount *mounts;
    size_t mounts_len;
    oci_process *process;
    char *hostname;
    char *domainname;
    oci_hooks *hooks;
    oci_string_map annotations;
    oci_linux *linux;
} oci_config;

/* ---- state-schema.json -------------------------------------------------- */

typedef struct oci_state {
    char *ociVersion; /* required */
    char *id;         /* required */
    char *status;     /* required */
    int64_t pid;
    bool pid_present;
    char *bundle; /* required */
    oci_string_map annotations;
    /* Not in the spec; written by berth (as runc does) so `state` and
     * `list` can show them. Readers of other runtimes' state ignore them. */
    char *rootfs;  /* absolute rootfs path */
    char *created; /* RFC 3339 creation time, UTC */
    char *owner;   /* user name (or uid) that created the container */
} oci_state;

/* config-linux.md "The Container Process State": what the runtime sends
 * to a seccomp agent at linux.seccomp.listenerPath, with the listener fd
 * as SCM_RIGHTS (fds[i] names the i-th fd). */
typedef struct oci_container_process_state {
    char *ociVersion; /* required */
    char **fds;       /* required */
    size_t fds_len;
    int64_t pid; /* required */
    bool pid_present;
    char *metadata;
    oci_state *state; /* required */
} oci_container_process_state;

/* ---- features-schema.json, features-linux.json ------------------------ */

typedef struct oci_feat_enabled { /* {"enabled": bool} sub-objects */
    bool enabled;
    bool enabled_present;
} oci_feat_enabled;

typedef struct oci_feat_cgroup {
    bool v1;
    bool v1_present;
    bool v2;
    bool v2_present;
    bool systemd;
    bool systemd_present;
    bool systemdUser;
    bool systemdUser_present;
    bool rdma;
    bool rdma_present;
} oci_feat_cgroup;

typedef struct oci_feat_seccomp {
    bool enabled;
    bool enabled_present;
    char **actions;
    size_t actions_len;
    char **operators;
    size_t operators_len;
    char **archs;
    size_t archs_len;
    char **knownFlags;
    size_t knownFlags_len;
    char **supportedFlags;
    size_t supportedFlags_len;
} oci_feat_seccomp;

typedef struct oci_feat_intel_rdt {
    bool enabled;
    bool enabled_present;
    bool schemata;
    bool schemata_present;
    bool monitoring;
    bool monitoring_present;
} oci_feat_intel_rdt;

typedef struct oci_feat_memory_policy {
    char **modes;
    size_t modes_len;
    char **flags;
    size_t flags_len;
} oci_feat_memory_policy;

typedef struct oci_feat_mount_ext {
    oci_feat_enabled *idmap;
} oci_feat_mount_ext;

typedef struct oci_feat_linux {
    char **namespaces;
    size_t namespaces_len;
    char **capabilities;
    size_t capabilities_len;
    oci_feat_cgroup *cgroup;
    oci_feat_seccomp *seccomp;
    oci_feat_enabled *apparmor;
    oci_feat_enabled *selinux;
    oci_feat_intel_rdt *intelRdt;
    oci_feat_memory_policy *memoryPolicy;
    oci_feat_mount_ext *mountExtensions;
    oci_feat_enabled *netDevices;
} oci_feat_linux;

typedef struct oci_features {
    char *ociVersionMin; /* required */
    char *ociVersionMax; /* required */
    char **hooks;
    size_t hooks_len;
    char **mountOptions;
    size_t mountOptions_len;
    oci_feat_linux *linux;
    oci_string_map annotations;
    char **potentiallyUnsafeConfigAnnotations;
    size_t potentiallyUnsafeConfigAnnotations_len;
} oci_features;

/* ---- descriptors (one per object) and typed entry points -------------- */

extern const struct oci_desc oci_config_desc;
extern const struct oci_desc oci_process_desc;
extern const struct oci_desc oci_state_desc;
extern const struct oci_desc oci_container_process_state_desc; /* seccomp agents */
extern const struct oci_desc oci_features_desc;
extern const struct oci_desc oci_resources_desc; /* `update --resources` */
extern const struct oci_desc oci_seccomp_desc;   /* the seccomp program cache key */

/* Allowed string values, shared with validation and `features`. */
extern const char *const oci_namespace_types[];
extern const char *const oci_seccomp_actions[];
extern const char *const oci_seccomp_operators[];
extern const char *const oci_seccomp_archs[];
extern const char *const oci_seccomp_flags[];
extern const char *const oci_memory_policy_modes[];
extern const char *const oci_memory_policy_flags[];
extern const char *const oci_scheduler_policies[];
extern const char *const oci_scheduler_flags[];
extern const char *const oci_io_priority_classes[];
extern const char *const oci_rootfs_propagations[];
extern const char *const oci_personality_domains[];
extern const char *const oci_state_statuses[];

static inline oci_config *oci_config_parse_file(const char *path, struct oci_diags *d)
{
    return oci_parse_file(&oci_config_desc, path, d);
}
static inline void oci_config_free(oci_config *c)
{
    oci_free(&oci_config_desc, c);
}
static inline void oci_process_free(oci_process *p)
{
    oci_free(&oci_process_desc, p);
}
static inline void oci_state_free(oci_state *s)
{
    oci_free(&oci_state_desc, s);
}
static inline void oci_features_free(oci_features *f)
{
    oci_free(&oci_features_desc, f);
}

#endif
