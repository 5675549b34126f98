/* oci-config-linux.c: descriptor tables for the "linux" object of
 * config.json (config-linux.md v1.3.0, config-linux.json, defs-linux.json),
 * including linux.resources (also read bare by `update --resources`), and the
 * lists of allowed values shared with validation and `features`.
 */
#include <stdio.h>
#include <string.h>

#include "oci-checks.h"

/* config-linux.md "Namespaces" (defs-linux.json NamespaceType) */
const char *const oci_namespace_types[] = {
    "mount", "pid", "network", "uts", "ipc", "user", "cgroup", "time", NULL,
};

/* config-linux.md "Seccomp": actions (defs-linux.json SeccompAction) */
const char *const oci_seccomp_actions[] = {
    "SCMP_ACT_KILL",        "SCMP_ACT_KILL_PROCESS",
    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
    "SCMP_ACT_ERRNO",       "SCMP_ACT_TRACE",
    "SCMP_ACT_ALLOW",       "SCMP_ACT_LOG",
    "SCMP_ACT_NOTIFY",      NULL,
};

/* config-linux.md "Seccomp": operators (defs-linux.json SeccompOperators) */
const char *const oci_seccomp_operators[] = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
    "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};

/* config-linux.md "Seccomp": architectures (defs-linux.json SeccompArch) */
const char *const oci_seccomp_archs[] = {
    "SCMP_ARCH_X86",         "SCMP_ARCH_X86_64",      "SCMP_ARCH_X32",     "SCMP_ARCH_ARM",
    "SCMP_ARCH_AARCH64",     "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",    "SCMP_ARCH_MIPS",
    "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64",
    "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",         "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",
    "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",       "SCMP_ARCH_SH",      "SCMP_ARCH_SHEB",
    "SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64",    "SCMP_ARCH_RISCV64", NULL,
};

/* config-linux.md "Seccomp": flags (defs-linux.json SeccompFlag) */
const char *const oci_seccomp_flags[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    NULL,
};

/* config-linux.md "Memory policy" (defs-linux.json MemoryPolicyMode/Flag) */
const char *const oci_memory_policy_modes[] = {
    "MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
    "MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL",      NULL,
};
const char *const oci_memory_policy_flags[] = {
    "MPOL_F_NUMA_BALANCING",
    "MPOL_F_RELATIVE_NODES",
    "MPOL_F_STATIC_NODES",
    NULL,
};

/* config-linux.md "Rootfs Mount Propagation" names four values; runc also
 * takes their recursive spellings, and engines send them (containerd's CRI
 * plugin writes "rslave"/"rshared" for HostToContainer and Bidirectional
 * volumes). docs/divergences.md. */
const char *const oci_rootfs_propagations[] = {
    "private", "shared", "slave",       "unbindable", "rprivate",
    "rshared", "rslave", "runbindable", NULL,
};

/* config-linux.md "Personality" */
const char *const oci_personality_domains[] = {"LINUX", "LINUX32", NULL};

/* config-linux.md "Devices": c, b, u or p */
static const char *const device_types[] = {"c", "b", "u", "p", NULL};
/* config-linux.md "Device allowlist": a (all), c (char) or b (block) */
static const char *const cgroup_device_types[] = {"a", "c", "b", NULL};

/* ---- namespaces, id mappings, time offsets ------------------------------ */

static const struct oci_field namespace_fields[] = {
    OCI_ENUM(oci_namespace, type, OCI_REQUIRED, oci_namespace_types),
    /* config-linux.md "Namespaces": path MUST be absolute */
    OCI_STR(oci_namespace, path, OCI_ABS_PATH),
};
static const struct oci_desc namespace_desc = OCI_DESC(oci_namespace, namespace_fields);

static const struct oci_field time_offset_fields[] = {
    OCI_SCAL(oci_time_offset, secs, OCI_INT64, 0, NULL),
    OCI_SCAL(oci_time_offset, nanosecs, OCI_UINT32, 0, NULL),
};
static const struct oci_desc time_offset_desc = OCI_DESC(oci_time_offset, time_offset_fields);

static const struct oci_field time_offsets_fields[] = {
    OCI_OBJ(oci_time_offsets, boottime, time_offset_desc, 0),
    OCI_OBJ(oci_time_offsets, monotonic, time_offset_desc, 0),
};
static const struct oci_desc time_offsets_desc = OCI_DESC(oci_time_offsets, time_offsets_fields);

/* ---- devices ------------------------------------------------------------- */

/* config-linux.md "Devices": major, minor are REQUIRED unless type is "p" */
static bool check_device(const void *obj, struct oci_obj_problem *ret)
{
    const oci_device *d = obj;

    if (d->type == NULL || strcmp(d->type, "p") == 0)
        return false;
    if (d->major_present && d->minor_present)
        return false;
    snprintf(ret->message, sizeof(ret->message),
             "major and minor are required for device type \"%s\"", d->type);
    return true;
}

static const struct oci_field device_fields[] = {
    OCI_ENUM(oci_device, type, OCI_REQUIRED, device_types),
    /* config-linux.md "Devices": full path inside the container */
    OCI_STR(oci_device, path, OCI_REQUIRED | OCI_ABS_PATH),
    OCI_SCAL(oci_device, major, OCI_INT64, 0, NULL),
    OCI_SCAL(oci_device, minor, OCI_INT64, 0, NULL),
    OCI_SCAL(oci_device, fileMode, OCI_UINT32, 0, oci_check_file_mode),
    OCI_SCAL(oci_device, uid, OCI_UINT32, 0, NULL),
    OCI_SCAL(oci_device, gid, OCI_UINT32, 0, NULL),
};
static const struct oci_desc device_desc = OCI_DESC_CHECK(oci_device, device_fields, check_device);

static const struct oci_field net_device_fields[] = {
    OCI_STR(oci_net_device, name, 0),
};
static const struct oci_desc net_device_desc = OCI_DESC(oci_net_device, net_device_fields);

/* ---- resources ----------------------------------------------------------- */

static const struct oci_field device_cgroup_fields[] = {
    OCI_SCAL(oci_device_cgroup, allow, OCI_BOOL, OCI_REQUIRED, NULL),
    OCI_ENUM(oci_device_cgroup, type, 0, cgroup_device_types),
    OCI_SCAL(oci_device_cgroup, major, OCI_INT64, 0, NULL),
    OCI_SCAL(oci_device_cgroup, minor, OCI_INT64, 0, NULL),
    OCI_STR_CHECK(oci_device_cgroup, access, 0, oci_check_cgroup_access),
};
static const struct oci_desc device_cgroup_desc = OCI_DESC(oci_device_cgroup, device_cgroup_fields);

static const struct oci_field memory_fields[] = {
    OCI_SCAL(oci_memory, limit, OCI_INT64, 0, NULL),
    OCI_SCAL(oci_memory, reservation, OCI_INT64, 0, NULL),
    OCI_SCAL(oci_memory, swap, OCI_INT64, 0, NULL),
    OCI_SCAL(oci_memory, kernel, OCI_INT64, 0, NULL),
    OCI_SCAL(oci_memory, kernelTCP, OCI_INT64, 0, NULL),
    OCI_SCAL(oci_memory, swappiness, OCI_UINT64, 0, NULL),
    OCI_SCAL(oci_memory, disableOOMKiller, OCI_BOOL, 0, NULL),
    OCI_SCAL(oci_memory, useHierarchy, OCI_BOOL, 0, NULL),
    OCI_SCAL(oci_memory, checkBeforeUpdate, OCI_BOOL, 0, NULL),
};
static const struct oci_desc memory_desc = OCI_DESC(oci_memory, memory_fields);

static const struct oci_field cpu_fields[] = {
    OCI_SCAL(oci_cpu, shares, OCI_UINT64, 0, NULL),
    OCI_SCAL(oci_cpu, quota, OCI_INT64, 0, NULL),
    OCI_SCAL(oci_cpu, burst, OCI_UINT64, 0, NULL),
    OCI_SCAL(oci_cpu, period, OCI_UINT64, 0, NULL),
    OCI_SCAL(oci_cpu, realtimeRuntime, OCI_INT64, 0, NULL),
    OCI_SCAL(oci_cpu, realtimePeriod, OCI_UINT64, 0, NULL),
    OCI_STR(oci_cpu, cpus, 0),
    OCI_STR(oci_cpu, mems, 0),
    OCI_SCAL(oci_cpu, idle, OCI_INT64, 0, NULL),
};
static const struct oci_desc cpu_desc = OCI_DESC(oci_cpu, cpu_fields);

static const struct oci_field pids_fields[] = {
    OCI_SCAL(oci_pids, limit, OCI_INT64, OCI_REQUIRED, NULL),
};
static const struct oci_desc pids_desc = OCI_DESC(oci_pids, pids_fields);

static const struct oci_field weight_device_fields[] = {
    OCI_SCAL(oci_weight_device, major, OCI_INT64, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_weight_device, minor, OCI_INT64, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_weight_device, weight, OCI_UINT16, 0, NULL),
    OCI_SCAL(oci_weight_device, leafWeight, OCI_UINT16, 0, NULL),
};
static const struct oci_desc weight_device_desc = OCI_DESC(oci_weight_device, weight_device_fields);

/* config-linux.md "Block IO": rate is REQUIRED for throttle entries */
static const struct oci_field throttle_device_fields[] = {
    OCI_SCAL(oci_throttle_device, major, OCI_INT64, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_throttle_device, minor, OCI_INT64, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_throttle_device, rate, OCI_UINT64, OCI_REQUIRED, NULL),
};
static const struct oci_desc throttle_device_desc =
    OCI_DESC(oci_throttle_device, throttle_device_fields);

static const struct oci_field block_io_fields[] = {
    OCI_SCAL(oci_block_io, weight, OCI_UINT16, 0, NULL),
    OCI_SCAL(oci_block_io, leafWeight, OCI_UINT16, 0, NULL),
    OCI_ARR_OBJ(oci_block_io, weightDevice, weight_device_desc, 0),
    OCI_ARR_OBJ(oci_block_io, throttleReadBpsDevice, throttle_device_desc, 0),
    OCI_ARR_OBJ(oci_block_io, throttleWriteBpsDevice, throttle_device_desc, 0),
    OCI_ARR_OBJ(oci_block_io, throttleReadIOPSDevice, throttle_device_desc, 0),
    OCI_ARR_OBJ(oci_block_io, throttleWriteIOPSDevice, throttle_device_desc, 0),
};
static const struct oci_desc block_io_desc = OCI_DESC(oci_block_io, block_io_fields);

static const struct oci_field hugepage_limit_fields[] = {
    OCI_STR_CHECK(oci_hugepage_limit, pageSize, OCI_REQUIRED, oci_check_page_size),
    OCI_SCAL(oci_hugepage_limit, limit, OCI_UINT64, OCI_REQUIRED, NULL),
};
static const struct oci_desc hugepage_limit_desc =
    OCI_DESC(oci_hugepage_limit, hugepage_limit_fields);

static const struct oci_field net_priority_fields[] = {
    OCI_STR(oci_net_priority, name, OCI_REQUIRED),
    OCI_SCAL(oci_net_priority, priority, OCI_UINT32, OCI_REQUIRED, NULL),
};
static const struct oci_desc net_priority_desc = OCI_DESC(oci_net_priority, net_priority_fields);

static const struct oci_field network_fields[] = {
    OCI_SCAL(oci_network, classID, OCI_UINT32, 0, NULL),
    OCI_ARR_OBJ(oci_network, priorities, net_priority_desc, 0),
};
static const struct oci_desc network_desc = OCI_DESC(oci_network, network_fields);

static const struct oci_field rdma_fields[] = {
    OCI_SCAL(oci_rdma, hcaHandles, OCI_UINT32, 0, NULL),
    OCI_SCAL(oci_rdma, hcaObjects, OCI_UINT32, 0, NULL),
};
static const struct oci_desc rdma_desc = OCI_DESC(oci_rdma, rdma_fields);

static const struct oci_field resources_fields[] = {
    OCI_ARR_OBJ(oci_resources, devices, device_cgroup_desc, 0),
    OCI_OBJ(oci_resources, memory, memory_desc, 0),
    OCI_OBJ(oci_resources, cpu, cpu_desc, 0),
    OCI_OBJ(oci_resources, pids, pids_desc, 0),
    OCI_OBJ(oci_resources, blockIO, block_io_desc, 0),
    OCI_ARR_OBJ(oci_resources, hugepageLimits, hugepage_limit_desc, 0),
    OCI_OBJ(oci_resources, network, network_desc, 0),
    OCI_MAP_OBJ(oci_resources, rdma, rdma_desc, 0),
    OCI_MAP_STR(oci_resources, unified, 0),
};
const struct oci_desc oci_resources_desc = OCI_DESC(oci_resources, resources_fields);

/* ---- seccomp, intelRdt, memory policy, personality ----------------------- */

static const struct oci_field syscall_arg_fields[] = {
    OCI_SCAL(oci_syscall_arg, index, OCI_UINT32, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_syscall_arg, value, OCI_UINT64, OCI_REQUIRED, NULL),
    OCI_SCAL(oci_syscall_arg, valueTwo, OCI_UINT64, 0, NULL),
    OCI_ENUM(oci_syscall_arg, op, OCI_REQUIRED, oci_seccomp_operators),
};
static const struct oci_desc syscall_arg_desc = OCI_DESC(oci_syscall_arg, syscall_arg_fields);

static const struct oci_field syscall_fields[] = {
    /* config-linux.md "Seccomp": names MUST contain at least one entry */
    OCI_ARR(oci_syscall, names, OCI_STRING, OCI_REQUIRED | OCI_NONEMPTY),
    OCI_ENUM(oci_syscall, action, OCI_REQUIRED, oci_seccomp_actions),
    OCI_SCAL(oci_syscall, errnoRet, OCI_UINT32, 0, NULL),
    OCI_ARR_OBJ(oci_syscall, args, syscall_arg_desc, 0),
};
static const struct oci_desc syscall_desc = OCI_DESC(oci_syscall, syscall_fields);

static const struct oci_field seccomp_fields[] = {
    OCI_ENUM(oci_seccomp, defaultAction, OCI_REQUIRED, oci_seccomp_actions),
    OCI_SCAL(oci_seccomp, defaultErrnoRet, OCI_UINT32, 0, NULL),
    OCI_ARR_ENUM(oci_seccomp, architectures, 0, oci_seccomp_archs),
    OCI_ARR_ENUM(oci_seccomp, flags, 0, oci_seccomp_flags),
    OCI_STR(oci_seccomp, listenerPath, 0),
    OCI_STR(oci_seccomp, listenerMetadata, 0),
    OCI_ARR_OBJ(oci_seccomp, syscalls, syscall_desc, 0),
};
const struct oci_desc oci_seccomp_desc = OCI_DESC(oci_seccomp, seccomp_fields);

static const struct oci_field intel_rdt_fields[] = {
    OCI_STR(oci_intel_rdt, closID, 0),
    OCI_STR(oci_intel_rdt, l3CacheSchema, 0),
    OCI_STR_CHECK(oci_intel_rdt, memBwSchema, 0, oci_check_mem_bw_schema),
    OCI_ARR(oci_intel_rdt, schemata, OCI_STRING, 0),
    OCI_SCAL(oci_intel_rdt, enableMonitoring, OCI_BOOL, 0, NULL),
};
static const struct oci_desc intel_rdt_desc = OCI_DESC(oci_intel_rdt, intel_rdt_fields);

static const struct oci_field memory_policy_fields[] = {
    /* config-linux.md "Memory policy": mode is REQUIRED */
    OCI_ENUM(oci_memory_policy, mode, OCI_REQUIRED, oci_memory_policy_modes),
    OCI_STR(oci_memory_policy, nodes, 0),
    OCI_ARR_ENUM(oci_memory_policy, flags, 0, oci_memory_policy_flags),
};
static const struct oci_desc memory_policy_desc = OCI_DESC(oci_memory_policy, memory_policy_fields);

static const struct oci_field personality_fields[] = {
    /* config-linux.md "Personality": domain is REQUIRED */
    OCI_ENUM(oci_personality, domain, OCI_REQUIRED, oci_personality_domains),
    OCI_ARR(oci_personality, flags, OCI_STRING, 0),
};
static const struct oci_desc personality_desc = OCI_DESC(oci_personality, personality_fields);

/* ---- linux ---------------------------------------------------------------- */

static int namespace_type_index(const char *type)
{
    for (int i = 0; type != NULL && oci_namespace_types[i] != NULL; i++)
        if (strcmp(oci_namespace_types[i], type) == 0)
            return i;
    return -1; /* reported by the enum check */
}

/* config-linux.md "Namespaces": duplicated namespace types MUST error */
static bool check_linux(const void *obj, struct oci_obj_problem *ret)
{
    const oci_linux *l = obj;
    bool seen[sizeof(oci_namespace_types) / sizeof(oci_namespace_types[0])] = {false};

    for (size_t i = 0; i < l->namespaces_len; i++) {
        int t = namespace_type_index(l->namespaces[i].type);

        if (t < 0)
            continue;
        if (seen[t]) {
            snprintf(ret->where, sizeof(ret->where), "namespaces/%zu/type", i);
            snprintf(ret->message, sizeof(ret->message), "type \"%s\" is listed more than once",
                     oci_namespace_types[t]);
            return true;
        }
        seen[t] = true;
    }
    return false;
}

static const struct oci_field linux_fields[] = {
    OCI_ARR_OBJ(oci_linux, namespaces, namespace_desc, 0),
    OCI_ARR_OBJ(oci_linux, uidMappings, oci_id_mapping_desc, 0),
    OCI_ARR_OBJ(oci_linux, gidMappings, oci_id_mapping_desc, 0),
    OCI_OBJ(oci_linux, timeOffsets, time_offsets_desc, 0),
    OCI_ARR_OBJ(oci_linux, devices, device_desc, 0),
    OCI_MAP_OBJ(oci_linux, netDevices, net_device_desc, 0),
    OCI_STR(oci_linux, cgroupsPath, 0),
    OCI_OBJ(oci_linux, resources, oci_resources_desc, 0),
    OCI_OBJ(oci_linux, intelRdt, intel_rdt_desc, 0),
    OCI_OBJ(oci_linux, memoryPolicy, memory_policy_desc, 0),
    OCI_MAP_STR(oci_linux, sysctl, 0),
    OCI_OBJ(oci_linux, seccomp, oci_seccomp_desc, 0),
    OCI_ENUM(oci_linux, rootfsPropagation, 0, oci_rootfs_propagations),
    /* config-linux.md "Masked Paths"/"Readonly Paths": MUST be absolute */
    OCI_ARR(oci_linux, maskedPaths, OCI_STRING, OCI_ABS_PATH),
    OCI_ARR(oci_linux, readonlyPaths, OCI_STRING, OCI_ABS_PATH),
    OCI_STR(oci_linux, mountLabel, 0),
    OCI_OBJ(oci_linux, personality, personality_desc, 0),
};
const struct oci_desc oci_linux_desc = OCI_DESC_CHECK(oci_linux, linux_fields, check_linux);
