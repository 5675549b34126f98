/* cgroup-v1.c: the legacy hierarchy writers (see cgroup-v1.h). Each
 * function owns one controller's files; cgroup.c decides which directory
 * (which hierarchy) each one gets. */
#include "cgroup-v1.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup-internal.h"
#include "util/cleanup.h"

/* ---- memory ------------------------------------------------------------- */

static int v1_mem_write(int dirfd, const char *file, int64_t v, berth_error_t *err)
{
    char buf[32];

    cg_fmt_mem(buf, sizeof(buf), v, false);
    return cg_write(dirfd, file, buf, err);
}

/* The kernel keeps memory.limit_in_bytes <= memory.memsw.limit_in_bytes
 * at every write, so the order of the two writes depends on the values,
 * in both directions; runc's rule (fs/memory.go), which engines' updates
 * are written for:
 *  - a swap of 0 means "not set";
 *  - memory -1 (unlimited) without a swap value makes swap unlimited too
 *    when the kernel accounts swap (else the write of -1 fails with
 *    EINVAL under an existing swap limit: `update --memory -1`);
 *  - both set: swap first when it is unlimited or above the current
 *    memory limit, memory first otherwise. */
static int v1_limit_and_swap(int dirfd, const oci_memory *m, berth_error_t *err)
{
    bool has_swap = m->swap_present && m->swap != 0;
    int64_t swap = m->swap;
    uint64_t cur = 0;
    bool swap_first;
    int r;

    if (m->limit_present && m->limit == -1 && !has_swap &&
        cg_has(dirfd, "memory.memsw.limit_in_bytes")) {
        swap = -1;
        has_swap = true;
    }
    if (!has_swap)
        return m->limit_present ? v1_mem_write(dirfd, "memory.limit_in_bytes", m->limit, err) : 0;
    if (!cg_has(dirfd, "memory.memsw.limit_in_bytes"))
        return berth_error_make(
            err, EOPNOTSUPP,
            "memory.swap %" PRId64 " needs swap accounting (memory.memsw.limit_in_bytes)", swap);
    if (!m->limit_present)
        return v1_mem_write(dirfd, "memory.memsw.limit_in_bytes", swap, err);
    r = cg_read_u64(dirfd, "memory.limit_in_bytes", &cur, err);
    if (r < 0)
        return r;
    swap_first = swap == -1 || cur < (uint64_t)swap;
    if (swap_first && (r = v1_mem_write(dirfd, "memory.memsw.limit_in_bytes", swap, err)) < 0)
        return r;
    if (m->limit_present && (r = v1_mem_write(dirfd, "memory.limit_in_bytes", m->limit, err)) < 0)
        return r;
    if (!swap_first && (r = v1_mem_write(dirfd, "memory.memsw.limit_in_bytes", swap, err)) < 0)
        return r;
    return 0;
}

/* config-linux.md "Memory": kernel and kernelTCP are NOT RECOMMENDED;
 * Linux 5.16+ accepts the kmem file but no longer limits anything, newer
 * kernels drop the file. Warn instead of failing a container over it. */
static int v1_kmem(int dirfd, const char *file, const char *what, int64_t v,
                   const struct berth_context *ctx, berth_error_t *err)
{
    int r;

    if (!cg_has(dirfd, file)) {
        berth_warn(ctx, "memory.%s %" PRId64 " ignored: the kernel has no `%s`", what, v, file);
        return 0;
    }
    r = v1_mem_write(dirfd, file, v, err);
    if (r == -EOPNOTSUPP || r == -EINVAL || r == -ENOTSUP) {
        berth_warn(ctx, "memory.%s ignored: %s", what, (*err)->msg);
        berth_error_release(err);
        return 0;
    }
    return r;
}

static int v1_memory_limits(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                            berth_error_t *err)
{
    (void)ctx;
    return res->memory ? v1_limit_and_swap(dirfd, res->memory, err) : 0;
}

static int v1_memory_kmem(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                          berth_error_t *err)
{
    const oci_memory *m = res->memory;
    int r;

    if (m && m->kernel_present &&
        (r = v1_kmem(dirfd, "memory.kmem.limit_in_bytes", "kernel", m->kernel, ctx, err)) < 0)
        return r;
    if (m && m->kernelTCP_present &&
        (r = v1_kmem(dirfd, "memory.kmem.tcp.limit_in_bytes", "kernelTCP", m->kernelTCP, ctx,
                     err)) < 0)
        return r;
    return 0;
}

/* ---- cpu, cpuset -------------------------------------------------------- */

/* The period first: a quota is checked against the current period. But
 * a shorter period can be refused (EINVAL) because the old quota over the
 * new period exceeds the parent's limit; then, as runc does, the quota
 * goes first and the period is written again after it. */
static int v1_cpu_period_quota(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                               berth_error_t *err)
{
    const oci_cpu *c = res->cpu;
    bool period_later = false;
    int r;

    (void)ctx;
    if (!c)
        return 0;
    if (c->period_present && c->period &&
        (r = cg_writef(dirfd, "cpu.cfs_period_us", err, "%" PRIu64, c->period)) < 0) {
        if (r != -EINVAL || !(c->quota_present && c->quota))
            return r;
        berth_error_release(err);
        period_later = true;
    }
    if (c->quota_present && c->quota &&
        (r = cg_writef(dirfd, "cpu.cfs_quota_us", err, "%" PRId64, c->quota)) < 0)
        return r;
    if (period_later && (r = cg_writef(dirfd, "cpu.cfs_period_us", err, "%" PRIu64, c->period)) < 0)
        return r;
    return 0;
}

static int copy_if_empty(int parentfd, int dirfd, const char *file, berth_error_t *err)
{
    _cleanup_free_ char *cur = NULL, *parent = NULL;
    int r;

    r = cg_read(dirfd, file, &cur, err);
    if (r < 0)
        return r;
    if (cur[0] != '\0' && cur[0] != '\n')
        return 0;
    r = cg_read(parentfd, file, &parent, err);
    if (r < 0)
        return r;
    parent[strcspn(parent, "\n")] = '\0';
    return cg_write(dirfd, file, parent, err);
}

int berth_cgv1_cpuset_init(int parentfd, int dirfd, berth_error_t *err)
{
    int r = copy_if_empty(parentfd, dirfd, "cpuset.cpus", err);

    return r < 0 ? r : copy_if_empty(parentfd, dirfd, "cpuset.mems", err);
}

/* ---- blkio -------------------------------------------------------------- */

static int throttle(int dirfd, const char *file, const oci_throttle_device *t, size_t n,
                    berth_error_t *err)
{
    for (size_t i = 0; t && i < n; i++) {
        int r = cg_writef(dirfd, file, err, "%" PRId64 ":%" PRId64 " %" PRIu64, t[i].major,
                          t[i].minor, t[i].rate);
        if (r < 0)
            return r;
    }
    return 0;
}

/* Kernels without CFQ have no blkio.weight; with BFQ the knob is
 * blkio.bfq.weight (same range). */
static const char *weight_file(int dirfd, bool device)
{
    if (cg_has(dirfd, device ? "blkio.weight_device" : "blkio.weight"))
        return device ? "blkio.weight_device" : "blkio.weight";
    if (cg_has(dirfd, device ? "blkio.bfq.weight_device" : "blkio.bfq.weight"))
        return device ? "blkio.bfq.weight_device" : "blkio.bfq.weight";
    return device ? "blkio.weight_device" : "blkio.weight"; /* fails, naming it */
}

static int v1_blkio(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                    berth_error_t *err)
{
    const oci_block_io *b = res->blockIO;
    int r;

    (void)ctx;
    if (!b)
        return 0;
    if (cg_weight_set(b->weight_present, b->weight) &&
        (r = cg_writef(dirfd, weight_file(dirfd, false), err, "%u", b->weight)) < 0)
        return r;
    if (cg_weight_set(b->leafWeight_present, b->leafWeight) &&
        (r = cg_writef(dirfd, "blkio.leaf_weight", err, "%u", b->leafWeight)) < 0)
        return r;
    for (size_t i = 0; b->weightDevice && i < b->weightDevice_len; i++) {
        const oci_weight_device *w = &b->weightDevice[i];

        if (cg_weight_set(w->weight_present, w->weight) &&
            (r = cg_writef(dirfd, weight_file(dirfd, true), err, "%" PRId64 ":%" PRId64 " %u",
                           w->major, w->minor, w->weight)) < 0)
            return r;
        if (cg_weight_set(w->leafWeight_present, w->leafWeight) &&
            (r = cg_writef(dirfd, "blkio.leaf_weight_device", err, "%" PRId64 ":%" PRId64 " %u",
                           w->major, w->minor, w->leafWeight)) < 0)
            return r;
    }
    if ((r = throttle(dirfd, "blkio.throttle.read_bps_device", b->throttleReadBpsDevice,
                      b->throttleReadBpsDevice_len, err)) < 0 ||
        (r = throttle(dirfd, "blkio.throttle.write_bps_device", b->throttleWriteBpsDevice,
                      b->throttleWriteBpsDevice_len, err)) < 0 ||
        (r = throttle(dirfd, "blkio.throttle.read_iops_device", b->throttleReadIOPSDevice,
                      b->throttleReadIOPSDevice_len, err)) < 0 ||
        (r = throttle(dirfd, "blkio.throttle.write_iops_device", b->throttleWriteIOPSDevice,
                      b->throttleWriteIOPSDevice_len, err)) < 0)
        return r;
    return 0;
}

/* ---- hugetlb, net_prio ------------------------------------------------- */

static int v1_hugetlb(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                      berth_error_t *err)
{
    (void)ctx;
    return cg_write_hugetlb(dirfd, res->hugepageLimits, res->hugepageLimits_len, "limit_in_bytes",
                            "rsvd.limit_in_bytes", err);
}

static int v1_net_prio(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                       berth_error_t *err)
{
    const oci_network *n = res->network;

    (void)ctx;
    for (size_t i = 0; n && n->priorities && i < n->priorities_len; i++) {
        int r = cg_writef(dirfd, "net_prio.ifpriomap", err, "%s %" PRIu32, n->priorities[i].name,
                          n->priorities[i].priority);
        if (r < 0)
            return r;
    }
    return 0;
}

/* ---- devices ------------------------------------------------------------ */

static void fmt_num(char *buf, size_t size, bool present, int64_t v)
{
    if (present && v >= 0)
        snprintf(buf, size, "%" PRId64, v);
    else
        snprintf(buf, size, "*");
}

static int device_rule(int dirfd, const oci_device_cgroup *d, berth_error_t *err)
{
    char maj[24], min[24];
    const char *type = d->type && *d->type ? d->type : "a";
    const char *access = d->access && *d->access ? d->access : "rwm";

    fmt_num(maj, sizeof(maj), d->major_present, d->major);
    fmt_num(min, sizeof(min), d->minor_present, d->minor);
    return cg_writef(dirfd, d->allow ? "devices.allow" : "devices.deny", err, "%s %s:%s %s", type,
                     maj, min, access);
}

int berth_cgv1_devices(int dirfd, const oci_device_cgroup *d, size_t n, bool with_defaults,
                       berth_error_t *err)
{
    int r;

    /* Default deny: runc and crun start from an empty allow list. */
    r = cg_write(dirfd, "devices.deny", "a", err);
    if (r < 0)
        return r;
    /* config-linux.md "Allowed Device list": entries in the listed order. */
    for (size_t i = 0; d && i < n; i++)
        if ((r = device_rule(dirfd, &d[i], err)) < 0)
            return r;
    for (size_t i = 0; with_defaults && i < berth_cg_ndefault_devices; i++)
        if ((r = device_rule(dirfd, &berth_cg_default_devices[i], err)) < 0)
            return r;
    return 0;
}

/* ---- freezer ------------------------------------------------------------ */

/* FREEZING counts as frozen: a half-frozen container is not running. */
static bool frozen_text(const char *state)
{
    return strncmp(state, "THAWED", 6) != 0;
}

int berth_cgv1_is_frozen(int dirfd, bool *ret, berth_error_t *err)
{
    return cg_read_frozen(&berth_cg_ops_v1, dirfd, ".", ret, err);
}

int berth_cgv1_freeze(int dirfd, bool frozen, int timeout_ms, berth_error_t *err)
{
    const char *want = frozen ? "FROZEN" : "THAWED";
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 1000000};
    int waited = 0, r;

    for (;;) {
        _cleanup_free_ char *state = NULL;

        /* Writing FROZEN again retries tasks that were not frozen yet
         * (the kernel stays in FREEZING until every task stops). */
        r = cg_write(dirfd, "freezer.state", want, err);
        if (r < 0)
            return r;
        r = cg_read(dirfd, "freezer.state", &state, err);
        if (r < 0)
            return r;
        if (strncmp(state, want, strlen(want)) == 0)
            return 0;
        if (waited >= timeout_ms)
            break;
        nanosleep(&ts, NULL);
        waited += 1;
        if (ts.tv_nsec < 16000000)
            ts.tv_nsec *= 2;
        waited += (int)(ts.tv_nsec / 1000000);
    }
    return berth_error_make(err, ETIMEDOUT, "freezer.state did not become %s in %d ms", want,
                            timeout_ms);
}

/* ---- the v1 driver ------------------------------------------------------ */

/* The v1 table: every field of linux.resources, in write order. */
static const struct cg_row v1_rows[] = {
    CG_WRITER(CGF_MEMORY_LIMIT, "memory", v1_memory_limits),
    CG_BY(CGF_MEMORY_SWAP, "memory"),
    CG_FILE(CGF_MEMORY_RESERVATION, "memory", "memory.soft_limit_in_bytes", CGC_MEM_V1),
    CG_WRITER(CGF_MEMORY_KERNEL, "memory", v1_memory_kmem),
    CG_BY(CGF_MEMORY_KERNEL_TCP, "memory"),
    CG_FILE(CGF_MEMORY_SWAPPINESS, "memory", "memory.swappiness", CGC_NUM),
    CG_FILE(CGF_MEMORY_DISABLE_OOM_KILLER, "memory", "memory.oom_control", CGC_BOOL01),
    CG_FILE(CGF_MEMORY_USE_HIERARCHY, "memory", "memory.use_hierarchy", CGC_BOOL01),
    /* config-linux.md "Memory" checkBeforeUpdate: v1 itself refuses a
     * limit below the usage */
    CG_NOTHING(CGF_MEMORY_CHECK_BEFORE_UPDATE),
    CG_FILE(CGF_CPU_SHARES, "cpu", "cpu.shares", CGC_NUM),
    CG_WRITER(CGF_CPU_PERIOD, "cpu", v1_cpu_period_quota),
    CG_BY(CGF_CPU_QUOTA, "cpu"),
    /* burst after the quota it must not exceed (config-linux.md "CPU") */
    CG_FILE(CGF_CPU_BURST, "cpu", "cpu.cfs_burst_us", CGC_NUM),
    /* rt: the period first, for the same reason as cfs; the kernel checks
     * the runtime against the parent's budget */
    CG_FILE(CGF_CPU_RT_PERIOD, "cpu", "cpu.rt_period_us", CGC_NUM),
    CG_FILE(CGF_CPU_RT_RUNTIME, "cpu", "cpu.rt_runtime_us", CGC_NUM),
    CG_FILE(CGF_CPU_IDLE, "cpu", "cpu.idle", CGC_NUM),
    CG_FILE(CGF_CPU_CPUS, "cpuset", "cpuset.cpus", CGC_STR),
    CG_FILE(CGF_CPU_MEMS, "cpuset", "cpuset.mems", CGC_STR),
    CG_WRITER(CGF_BLKIO_WEIGHT, "blkio", v1_blkio),
    CG_BY(CGF_BLKIO_LEAF_WEIGHT, "blkio"),
    CG_BY(CGF_BLKIO_WEIGHT_DEVICE, "blkio"),
    CG_BY(CGF_BLKIO_READ_BPS, "blkio"),
    CG_BY(CGF_BLKIO_WRITE_BPS, "blkio"),
    CG_BY(CGF_BLKIO_READ_IOPS, "blkio"),
    CG_BY(CGF_BLKIO_WRITE_IOPS, "blkio"),
    CG_WRITER(CGF_HUGEPAGE_LIMITS, "hugetlb", v1_hugetlb),
    CG_FILE(CGF_NETWORK_CLASS_ID, "net_cls", "net_cls.classid", CGC_NUM),
    CG_WRITER(CGF_NETWORK_PRIORITIES, "net_prio", v1_net_prio),
    /* config-linux.md "PIDs": -1 is "max"; 0 is a real limit */
    CG_FILE(CGF_PIDS_LIMIT, "pids", "pids.max", CGC_NEG_MAX),
    CG_WRITER(CGF_RDMA, "rdma", cg_write_rdma),
    /* last, by v1_apply: the default devices are appended */
    CG_BY(CGF_DEVICES, "devices"),
    /* refused on v1 by cgroup.c (apply_unified), as runc does */
    CG_BY(CGF_UNIFIED, NULL),
};

static int v1_apply(const struct berth_cgroup *cg, const struct cg_dir *d, int dirfd,
                    const oci_resources *res, bool create, berth_error_t *err)
{
    int r = cg_apply_rows(&berth_cg_ops_v1, d, dirfd, res, cg->ctx, err);

    /* Devices last, and only when asked for (or at create): the default
     * devices are always appended, so an update that lists devices does
     * not take /dev/null away from a running container. */
    if (r == 0 && cg_dir_has(d, "devices") && (create || res->devices))
        r = cg_devices_done(
            cg, berth_cgv1_devices(dirfd, res->devices, res->devices_len, true, err), err);
    return r;
}

const struct cg_ops berth_cg_ops_v1 = {
    .name = "v1",
    .rows = v1_rows,
    .nrows = sizeof(v1_rows) / sizeof(v1_rows[0]),
    .apply = v1_apply,
    .freeze = berth_cgv1_freeze,
    .frozen_file = "freezer.state",
    .frozen_text = frozen_text,
    .kill = NULL,
    .stats = cg_v1_stats,
};
