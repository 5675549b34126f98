/* cgroup-fields.c: the rows of linux.resources (see cgroup-fields.h). */
#include "cgroup-fields.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where each group object hangs in oci_resources, and its size (set
 * allocates a missing one). */
static const struct {
    size_t slot, size;
} groups[] = {
    [CGG_RESOURCES] = {CGF_NO_PRESENT, 0},
    [CGG_MEMORY] = {offsetof(oci_resources, memory), sizeof(oci_memory)},
    [CGG_CPU] = {offsetof(oci_resources, cpu), sizeof(oci_cpu)},
    [CGG_PIDS] = {offsetof(oci_resources, pids), sizeof(oci_pids)},
    [CGG_BLKIO] = {offsetof(oci_resources, blockIO), sizeof(oci_block_io)},
    [CGG_NETWORK] = {offsetof(oci_resources, network), sizeof(oci_network)},
};

/* A scalar with its _present flag, a string, a list's length. */
#define VAL(id, name, grp, T, type, unset, member)                                                 \
    [id] = {name, grp, T, unset, offsetof(type, member), offsetof(type, member##_present)}
#define STR(id, name, grp, type, member)                                                           \
    [id] = {name, grp, CGT_STR, CGU_NONE, offsetof(type, member), CGF_NO_PRESENT}
#define LIST(id, name, grp, type, member)                                                          \
    [id] = {name, grp, CGT_COUNT, CGU_NONE, offsetof(type, member), CGF_NO_PRESENT}
#define MEM(id, name, T, unset, member) VAL(id, name, CGG_MEMORY, T, oci_memory, unset, member)
#define CPU(id, name, T, unset, member) VAL(id, name, CGG_CPU, T, oci_cpu, unset, member)
#define BLKIO_LIST(id, name, member)    LIST(id, name, CGG_BLKIO, oci_block_io, member##_len)

const struct berth_cg_field berth_cg_fields[CGF_N] = {
    MEM(CGF_MEMORY_LIMIT, "memory.limit", CGT_I64, CGU_NONE, limit),
    MEM(CGF_MEMORY_RESERVATION, "memory.reservation", CGT_I64, CGU_NONE, reservation),
    MEM(CGF_MEMORY_SWAP, "memory.swap", CGT_I64, CGU_NONE, swap),
    MEM(CGF_MEMORY_KERNEL, "memory.kernel", CGT_I64, CGU_NONE, kernel),
    MEM(CGF_MEMORY_KERNEL_TCP, "memory.kernelTCP", CGT_I64, CGU_NONE, kernelTCP),
    MEM(CGF_MEMORY_SWAPPINESS, "memory.swappiness", CGT_U64, CGU_U64MAX, swappiness),
    MEM(CGF_MEMORY_DISABLE_OOM_KILLER, "memory.disableOOMKiller", CGT_BOOL, CGU_NONE,
        disableOOMKiller),
    MEM(CGF_MEMORY_USE_HIERARCHY, "memory.useHierarchy", CGT_BOOL, CGU_NONE, useHierarchy),
    MEM(CGF_MEMORY_CHECK_BEFORE_UPDATE, "memory.checkBeforeUpdate", CGT_BOOL, CGU_NONE,
        checkBeforeUpdate),
    CPU(CGF_CPU_SHARES, "cpu.shares", CGT_U64, CGU_ZERO, shares),
    CPU(CGF_CPU_QUOTA, "cpu.quota", CGT_I64, CGU_ZERO, quota),
    CPU(CGF_CPU_BURST, "cpu.burst", CGT_U64, CGU_NONE, burst),
    CPU(CGF_CPU_PERIOD, "cpu.period", CGT_U64, CGU_ZERO, period),
    CPU(CGF_CPU_RT_RUNTIME, "cpu.realtimeRuntime", CGT_I64, CGU_ZERO, realtimeRuntime),
    CPU(CGF_CPU_RT_PERIOD, "cpu.realtimePeriod", CGT_U64, CGU_ZERO, realtimePeriod),
    STR(CGF_CPU_CPUS, "cpu.cpus", CGG_CPU, oci_cpu, cpus),
    STR(CGF_CPU_MEMS, "cpu.mems", CGG_CPU, oci_cpu, mems),
    CPU(CGF_CPU_IDLE, "cpu.idle", CGT_I64, CGU_NONE, idle),
    VAL(CGF_PIDS_LIMIT, "pids.limit", CGG_PIDS, CGT_I64, oci_pids, CGU_NONE, limit),
    VAL(CGF_BLKIO_WEIGHT, "blockIO.weight", CGG_BLKIO, CGT_U16, oci_block_io, CGU_ZERO, weight),
    VAL(CGF_BLKIO_LEAF_WEIGHT, "blockIO.leafWeight", CGG_BLKIO, CGT_U16, oci_block_io, CGU_ZERO,
        leafWeight),
    BLKIO_LIST(CGF_BLKIO_WEIGHT_DEVICE, "blockIO.weightDevice", weightDevice),
    BLKIO_LIST(CGF_BLKIO_READ_BPS, "blockIO.throttleReadBpsDevice", throttleReadBpsDevice),
    BLKIO_LIST(CGF_BLKIO_WRITE_BPS, "blockIO.throttleWriteBpsDevice", throttleWriteBpsDevice),
    BLKIO_LIST(CGF_BLKIO_READ_IOPS, "blockIO.throttleReadIOPSDevice", throttleReadIOPSDevice),
    BLKIO_LIST(CGF_BLKIO_WRITE_IOPS, "blockIO.throttleWriteIOPSDevice", throttleWriteIOPSDevice),
    LIST(CGF_HUGEPAGE_LIMITS, "hugepageLimits", CGG_RESOURCES, oci_resources, hugepageLimits_len),
    VAL(CGF_NETWORK_CLASS_ID, "network.classID", CGG_NETWORK, CGT_U32, oci_network, CGU_NONE,
        classID),
    LIST(CGF_NETWORK_PRIORITIES, "network.priorities", CGG_NETWORK, oci_network, priorities_len),
    LIST(CGF_RDMA, "rdma", CGG_RESOURCES, oci_resources, rdma.len),
    LIST(CGF_DEVICES, "devices", CGG_RESOURCES, oci_resources, devices_len),
    LIST(CGF_UNIFIED, "unified", CGG_RESOURCES, oci_resources, unified.len),
};

static const char *group_of(const oci_resources *res, enum berth_cg_group g)
{
    if (g == CGG_RESOURCES)
        return (const char *)res;
    return *(const char *const *)((const char *)res + groups[g].slot);
}

bool berth_cg_field_get(const oci_resources *res, enum berth_cg_field_id id,
                        struct berth_cg_value *ret)
{
    const struct berth_cg_field *f = &berth_cg_fields[id];
    const char *base = res ? group_of(res, f->group) : NULL;
    const void *p;
    struct berth_cg_value v = {0};
    bool set;

    if (!base)
        return false;
    if (f->present_off != CGF_NO_PRESENT && !*(const bool *)(base + f->present_off))
        return false;
    p = base + f->off;
    switch (f->type) {
    case CGT_I64:
        v.i = *(const int64_t *)p;
        v.u = (uint64_t)v.i;
        break;
    case CGT_U64:
        v.u = *(const uint64_t *)p;
        break;
    case CGT_U32:
        v.u = *(const uint32_t *)p;
        break;
    case CGT_U16:
        v.u = *(const uint16_t *)p;
        break;
    case CGT_BOOL:
        v.b = *(const bool *)p;
        break;
    case CGT_STR:
        v.s = *(const char *const *)p;
        break;
    case CGT_COUNT:
        v.n = *(const size_t *)p;
        break;
    }
    switch (f->type) {
    case CGT_STR:
        set = v.s && *v.s;
        break;
    case CGT_COUNT:
        set = v.n > 0;
        break;
    default:
        set = f->unset == CGU_NONE || (f->unset == CGU_ZERO && v.u != 0) ||
              (f->unset == CGU_U64MAX && v.u != UINT64_MAX);
        break;
    }
    if (set && ret)
        *ret = v;
    return set;
}

void berth_cg_field_format(const oci_resources *res, enum berth_cg_field_id id, char *buf,
                           size_t size)
{
    struct berth_cg_value v;

    if (!berth_cg_field_get(res, id, &v)) {
        snprintf(buf, size, "(not set)");
        return;
    }
    switch (berth_cg_fields[id].type) {
    case CGT_I64:
        snprintf(buf, size, "%" PRId64, v.i);
        break;
    case CGT_BOOL:
        snprintf(buf, size, "%s", v.b ? "true" : "false");
        break;
    case CGT_STR:
        snprintf(buf, size, "%s", v.s);
        break;
    case CGT_COUNT:
        snprintf(buf, size, "(%zu entries)", v.n);
        break;
    default:
        snprintf(buf, size, "%" PRIu64, v.u);
        break;
    }
}

int berth_cg_field_set(oci_resources *res, enum berth_cg_field_id id, int64_t v, const char *s)
{
    const struct berth_cg_field *f = &berth_cg_fields[id];
    char *base = (char *)res;
    void *p;

    if (f->type == CGT_COUNT)
        return -EINVAL;
    if (f->group != CGG_RESOURCES) {
        char **slot = (char **)((char *)res + groups[f->group].slot);

        if (!*slot && !(*slot = calloc(1, groups[f->group].size)))
            return -ENOMEM;
        base = *slot;
    }
    p = base + f->off;
    switch (f->type) {
    case CGT_I64:
        *(int64_t *)p = v;
        break;
    case CGT_U64:
        *(uint64_t *)p = (uint64_t)v;
        break;
    case CGT_U32:
        *(uint32_t *)p = (uint32_t)v;
        break;
    case CGT_U16:
        *(uint16_t *)p = (uint16_t)v;
        break;
    case CGT_BOOL:
        *(bool *)p = v != 0;
        break;
    case CGT_STR: {
        char *copy = strdup(s ? s : "");

        if (!copy)
            return -ENOMEM;
        free(*(char **)p);
        *(char **)p = copy;
        break;
    }
    case CGT_COUNT:
        break;
    }
    if (f->present_off != CGF_NO_PRESENT)
        *(bool *)(base + f->present_off) = true;
    return 0;
}
