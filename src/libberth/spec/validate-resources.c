/* validate-resources.c: rules on linux.resources (config-linux.md "Control
 * groups" and its subsections). The same rules serve `update --resources`.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "page-size.h"
#include "validate-internal.h"

static void check_device_allow(struct vctx *v, const oci_resources *r, const char *prefix)
{
    for (size_t i = 0; r->devices && i < r->devices_len; i++) {
        const oci_device_cgroup *d = &r->devices[i];
        if (d->type && (strlen(d->type) != 1 || !strchr("abc", d->type[0])))
            v_error(v, vp(v, "%s/devices/%zu/type", prefix, i), S_DEVALLOW,
                    "type \"%s\" must be a, c or b", d->type);
        /* access: "A composition of r (read), w (write), and m (mknod)." */
        if (d->access && strspn(d->access, "rwm") != strlen(d->access))
            v_error(v, vp(v, "%s/devices/%zu/access", prefix, i), S_DEVALLOW,
                    "access \"%s\" may only contain r, w and m", d->access);
    }
}

static void check_memory_value(struct vctx *v, const char *prefix, const char *name, bool present,
                               int64_t value)
{
    /* "Values for memory specify the limit in bytes, or -1 for unlimited." */
    if (present && value < -1)
        v_error(v, vp(v, "%s/memory/%s", prefix, name), S_MEMORY,
                "%s %lld is neither a byte count nor -1 (unlimited)", name, (long long)value);
}

static void check_memory(struct vctx *v, const oci_memory *m, const char *prefix)
{
    check_memory_value(v, prefix, "limit", m->limit_present, m->limit);
    check_memory_value(v, prefix, "reservation", m->reservation_present, m->reservation);
    check_memory_value(v, prefix, "swap", m->swap_present, m->swap);
    check_memory_value(v, prefix, "kernel", m->kernel_present, m->kernel);
    check_memory_value(v, prefix, "kernelTCP", m->kernelTCP_present, m->kernelTCP);
    /* swap is memory+swap: below the memory limit the kernel (v1) refuses
     * it and the v2 conversion would underflow (runc rejects it too). */
    if (m->swap_present && m->limit_present && m->swap > 0 && m->limit > 0 && m->swap < m->limit)
        v_error(v, vp(v, "%s/memory/swap", prefix), S_MEMORY,
                "swap (memory+swap) %lld must not be below limit %lld", (long long)m->swap,
                (long long)m->limit);
    /* "The values are from 0 to 100"; UINT64_MAX is Go's -1 for "unset". */
    if (m->swappiness_present && m->swappiness > 100 && m->swappiness != UINT64_MAX)
        v_error(v, vp(v, "%s/memory/swappiness", prefix), S_MEMORY,
                "swappiness %llu is outside 0..100", (unsigned long long)m->swappiness);
    /* kernel is NOT RECOMMENDED: Linux 5.16 removed kmem limits and cgroup
     * v2 never had them. */
    if (m->kernel_present && m->kernel > 0)
        v_warning(v, vp(v, "%s/memory/kernel", prefix), S_MEMORY,
                  "kernel memory limits are NOT RECOMMENDED and ignored by current kernels");
}

static void check_cpu(struct vctx *v, const oci_cpu *c, const char *prefix)
{
    /* quota is -1 (no limit) or at least 1 ms; period 1 ms .. 1 s (the
     * kernel's CFS bounds); 0 in either means "not set" as in runc. */
    if (c->quota_present && (c->quota < -1 || (c->quota > 0 && c->quota < 1000)))
        v_error(v, vp(v, "%s/cpu/quota", prefix), S_CPU,
                "quota %lld must be -1 (unlimited) or at least 1000 microseconds",
                (long long)c->quota);
    if (c->period_present && c->period && (c->period < 1000 || c->period > 1000000))
        v_error(v, vp(v, "%s/cpu/period", prefix), S_CPU,
                "period %llu must be between 1000 and 1000000 microseconds",
                (unsigned long long)c->period);
    /* burst "MUST be no larger than any positive quota". */
    if (c->burst_present && c->quota_present && c->quota > 0 && c->burst > (uint64_t)c->quota)
        v_error(v, vp(v, "%s/cpu/burst", prefix), S_CPU, "burst %llu is larger than quota %lld",
                (unsigned long long)c->burst, (long long)c->quota);
    if (c->realtimeRuntime_present && c->realtimePeriod_present && c->realtimePeriod &&
        c->realtimeRuntime > 0 && (uint64_t)c->realtimeRuntime > c->realtimePeriod)
        v_error(v, vp(v, "%s/cpu/realtimeRuntime", prefix), S_CPU,
                "realtimeRuntime %lld is longer than realtimePeriod %llu",
                (long long)c->realtimeRuntime, (unsigned long long)c->realtimePeriod);
    if (c->cpus && *c->cpus && !v_id_list_ok(c->cpus))
        v_error(v, vp(v, "%s/cpu/cpus", prefix), S_CPU,
                "\"%s\" is not a CPU list such as \"0-3,7\"", c->cpus);
    if (c->mems && *c->mems && !v_id_list_ok(c->mems))
        v_error(v, vp(v, "%s/cpu/mems", prefix), S_CPU,
                "\"%s\" is not a memory node list such as \"0-3,7\"", c->mems);
    /* idle: "0: default behavior, 1: SCHED_IDLE". */
    if (c->idle_present && c->idle != 0 && c->idle != 1)
        v_error(v, vp(v, "%s/cpu/idle", prefix), S_CPU, "idle must be 0 or 1, got %lld",
                (long long)c->idle);
}

static void check_blkio(struct vctx *v, const oci_block_io *b, const char *prefix)
{
    /* weightDevice: "You MUST specify at least one of weight or leafWeight". */
    for (size_t i = 0; b->weightDevice && i < b->weightDevice_len; i++)
        if (!b->weightDevice[i].weight_present && !b->weightDevice[i].leafWeight_present)
            v_error(v, vp(v, "%s/blockIO/weightDevice/%zu", prefix, i), S_BLKIO,
                    "at least one of weight or leafWeight MUST be specified");
}

static void check_hugepages(struct vctx *v, const oci_resources *r, const char *prefix)
{
    for (size_t i = 0; r->hugepageLimits && i < r->hugepageLimits_len; i++) {
        const char *size = r->hugepageLimits[i].pageSize;
        uint64_t kb;
        char path[128];
        struct stat st;
        if (berth_page_size_kb(size, &kb) < 0) {
            v_error(
                v, vp(v, "%s/hugepageLimits/%zu/pageSize", prefix, i), S_HUGEPAGE,
                "pageSize \"%s\" does not have the format <size><unit-prefix>B (64KB, 2MB, 1GB)",
                size ? size : "");
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (r->hugepageLimits[j].pageSize && strcmp(r->hugepageLimits[j].pageSize, size) == 0)
                v_warning(v, vp(v, "%s/hugepageLimits/%zu/pageSize", prefix, i), S_HUGEPAGE,
                          "pageSize \"%s\" is listed twice; the last limit wins", size);
        /* Only sizes the kernel knows have hugetlb control files. */
        (void)snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB", kb);
        if (v->o->check_host && stat(path, &st) < 0)
            v_warning(v, vp(v, "%s/hugepageLimits/%zu/pageSize", prefix, i), S_HUGEPAGE,
                      "this host has no %s huge pages", size);
    }
}

static void check_rdma_unified(struct vctx *v, const oci_resources *r, const char *prefix)
{
    /* rdma: "You MUST specify at least one of the hcaHandles or hcaObjects". */
    for (size_t i = 0; r->rdma.keys && i < r->rdma.len; i++) {
        const oci_rdma *e = r->rdma.values[i];
        if (!e || (!e->hcaHandles_present && !e->hcaObjects_present)) {
            char base[VPTR_MAX];
            (void)snprintf(base, sizeof(base), "%s/rdma", prefix);
            v_error(v, vp_key(v, base, r->rdma.keys[i]), S_RDMA,
                    "at least one of hcaHandles or hcaObjects MUST be specified");
        }
    }
    /* unified keys name files in the container's cgroup directory: a bare
     * "controller.knob" name, never a path that could leave it. */
    for (size_t i = 0; r->unified.keys && i < r->unified.len; i++) {
        const char *key = r->unified.keys[i];
        if (!key || !*key || strchr(key, '/') || !strchr(key, '.') || key[0] == '.') {
            char base[VPTR_MAX];
            (void)snprintf(base, sizeof(base), "%s/unified", prefix);
            v_error(v, vp_key(v, base, key), S_UNIFIED,
                    "\"%s\" is not a cgroup interface file name such as \"memory.high\"",
                    key ? key : "");
        }
    }
}

void v_check_resources(struct vctx *v, const oci_resources *r, const char *prefix)
{
    check_device_allow(v, r, prefix);
    if (r->memory)
        check_memory(v, r->memory, prefix);
    if (r->cpu)
        check_cpu(v, r->cpu, prefix);
    /* pids.limit: -1 means "max"; 0 "is a valid limit value ... and SHOULD
     * be treated as such"; other negative numbers mean nothing. */
    if (r->pids && r->pids->limit_present && r->pids->limit < -1)
        v_error(v, vp(v, "%s/pids/limit", prefix), S_PIDS,
                "limit %lld is neither a task count nor -1 (no limit)", (long long)r->pids->limit);
    if (r->blockIO)
        check_blkio(v, r->blockIO, prefix);
    check_hugepages(v, r, prefix);
    check_rdma_unified(v, r, prefix);
}

void check_resources(struct vctx *v)
{
    if (v->cfg->linux && v->cfg->linux->resources)
        v_check_resources(v, v->cfg->linux->resources, "/linux/resources");
}
