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
#include "cleanup.h"

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

int berth_cgv1_memory(int dirfd, const oci_memory *m, const struct berth_context *ctx,
                      berth_error_t *err)
{
    int r;

    if (!m)
        return 0;
    if ((r = v1_limit_and_swap(dirfd, m, err)) < 0)
        return r;
    if (m->reservation_present &&
        (r = v1_mem_write(dirfd, "memory.soft_limit_in_bytes", m->reservation, err)) < 0)
        return r;
    if (m->kernel_present &&
        (r = v1_kmem(dirfd, "memory.kmem.limit_in_bytes", "kernel", m->kernel, ctx, err)) < 0)
        return r;
    if (m->kernelTCP_present && (r = v1_kmem(dirfd, "memory.kmem.tcp.limit_in_bytes", "kernelTCP",
                                             m->kernelTCP, ctx, err)) < 0)
        return r;
    /* UINT64_MAX is Go's way of leaving swappiness unset. */
    if (m->swappiness_present && m->swappiness != UINT64_MAX &&
        (r = cg_writef(dirfd, "memory.swappiness", err, "%" PRIu64, m->swappiness)) < 0)
        return r;
    if (m->disableOOMKiller_present &&
        (r = cg_write(dirfd, "memory.oom_control", m->disableOOMKiller ? "1" : "0", err)) < 0)
        return r;
    if (m->useHierarchy_present &&
        (r = cg_write(dirfd, "memory.use_hierarchy", m->useHierarchy ? "1" : "0", err)) < 0)
        return r;
    /* checkBeforeUpdate: on v1 the kernel itself refuses a limit below the
     * usage (config-linux.md "Memory"), nothing to do. */
    return 0;
}

/* ---- cpu, cpuset -------------------------------------------------------- */

int berth_cgv1_cpu(int dirfd, const oci_cpu *c, berth_error_t *err)
{
    int r;

    if (!c)
        return 0;
    if (c->shares_present && c->shares &&
        (r = cg_writef(dirfd, "cpu.shares", err, "%" PRIu64, c->shares)) < 0)
        return r;
    /* The period first: a quota is checked against the current period.
     * But a shorter period can be refused (EINVAL) because the old quota
     * over the new period exceeds the parent's limit; then, as runc does,
     * the quota goes first and the period is written again after it. */
    bool period_later = false;
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
    /* burst after the quota it must not exceed (config-linux.md "CPU"). */
    if (c->burst_present &&
        (r = cg_writef(dirfd, "cpu.cfs_burst_us", err, "%" PRIu64, c->burst)) < 0)
        return r;
    /* rt: the period first for the same reason; the runtime is checked
     * against the parent's budget by the kernel. */
    if (c->realtimePeriod_present && c->realtimePeriod &&
        (r = cg_writef(dirfd, "cpu.rt_period_us", err, "%" PRIu64, c->realtimePeriod)) < 0)
        return r;
    if (c->realtimeRuntime_present && c->realtimeRuntime &&
        (r = cg_writef(dirfd, "cpu.rt_runtime_us", err, "%" PRId64, c->realtimeRuntime)) < 0)
        return r;
    if (c->idle_present && (r = cg_writef(dirfd, "cpu.idle", err, "%" PRId64, c->idle)) < 0)
        return r;
    return 0;
}

int berth_cgv1_cpuset(int dirfd, const oci_cpu *c, berth_error_t *err)
{
    int r;

    if (!c)
        return 0;
    if (c->cpus && *c->cpus && (r = cg_write(dirfd, "cpuset.cpus", c->cpus, err)) < 0)
        return r;
    if (c->mems && *c->mems && (r = cg_write(dirfd, "cpuset.mems", c->mems, err)) < 0)
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

int berth_cgv1_blkio(int dirfd, const oci_block_io *b, berth_error_t *err)
{
    int r;

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

/* ---- hugetlb, net_cls, net_prio, pids, rdma ----------------------------- */

int berth_cgv1_hugetlb(int dirfd, const oci_hugepage_limit *h, size_t n, berth_error_t *err)
{
    return cg_write_hugetlb(dirfd, h, n, "limit_in_bytes", "rsvd.limit_in_bytes", err);
}

int berth_cgv1_net_cls(int dirfd, const oci_network *n, berth_error_t *err)
{
    if (!n || !n->classID_present)
        return 0;
    return cg_writef(dirfd, "net_cls.classid", err, "%" PRIu32, n->classID);
}

int berth_cgv1_net_prio(int dirfd, const oci_network *n, berth_error_t *err)
{
    for (size_t i = 0; n && n->priorities && i < n->priorities_len; i++) {
        int r = cg_writef(dirfd, "net_prio.ifpriomap", err, "%s %" PRIu32, n->priorities[i].name,
                          n->priorities[i].priority);
        if (r < 0)
            return r;
    }
    return 0;
}

int berth_cgv1_pids(int dirfd, const oci_pids *p, berth_error_t *err)
{
    if (!p || !p->limit_present)
        return 0;
    /* config-linux.md "PIDs": -1 is "max"; 0 is a real limit. */
    if (p->limit < 0)
        return cg_write(dirfd, "pids.max", "max", err);
    return cg_writef(dirfd, "pids.max", err, "%" PRId64, p->limit);
}

/* rdma.max has the same format on v1 and v2. */
int berth_cgv1_rdma(int dirfd, const oci_resources *res, bool v2, berth_error_t *err)
{
    (void)v2;
    for (size_t i = 0; res->rdma.keys && i < res->rdma.len; i++) {
        const oci_rdma *e = res->rdma.values[i];
        char h[32] = "", o[32] = "";
        int r;

        if (!e)
            continue;
        if (e->hcaHandles_present)
            snprintf(h, sizeof(h), " hca_handle=%" PRIu32, e->hcaHandles);
        if (e->hcaObjects_present)
            snprintf(o, sizeof(o), " hca_object=%" PRIu32, e->hcaObjects);
        r = cg_writef(dirfd, "rdma.max", err, "%s%s%s", res->rdma.keys[i], h, o);
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

int berth_cgv1_is_frozen(int dirfd, bool *ret, berth_error_t *err)
{
    _cleanup_free_ char *state = NULL;
    int r = cg_read(dirfd, "freezer.state", &state, err);

    if (r < 0)
        return r;
    /* FREEZING counts as frozen: a half-frozen container is not running. */
    *ret = strncmp(state, "THAWED", 6) != 0;
    return 0;
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

/* The v1 resource table: linux.resources per controller, in write order.
 * The adapters give every writer the same shape. */
CG_STEP(v1_memory, berth_cgv1_memory(fd, res->memory, ctx, err))
CG_STEP(v1_cpu, berth_cgv1_cpu(fd, res->cpu, err))
CG_STEP(v1_cpuset, berth_cgv1_cpuset(fd, res->cpu, err))
CG_STEP(v1_blkio, berth_cgv1_blkio(fd, res->blockIO, err))
CG_STEP(v1_hugetlb, berth_cgv1_hugetlb(fd, res->hugepageLimits, res->hugepageLimits_len, err))
CG_STEP(v1_net_cls, berth_cgv1_net_cls(fd, res->network, err))
CG_STEP(v1_net_prio, berth_cgv1_net_prio(fd, res->network, err))
CG_STEP(v1_pids, berth_cgv1_pids(fd, res->pids, err))
CG_STEP(v1_rdma, berth_cgv1_rdma(fd, res, false, err))
static const struct cg_step v1_steps[] = {
    {"memory", v1_memory},     {"cpu", v1_cpu},         {"cpuset", v1_cpuset},
    {"blkio", v1_blkio},       {"hugetlb", v1_hugetlb}, {"net_cls", v1_net_cls},
    {"net_prio", v1_net_prio}, {"pids", v1_pids},       {"rdma", v1_rdma},
};

static int v1_apply(const struct berth_cgroup *cg, const struct cg_dir *d, int dirfd,
                    const oci_resources *res, bool create, berth_error_t *err)
{
    int r = cg_apply_steps(v1_steps, sizeof(v1_steps) / sizeof(v1_steps[0]), d, dirfd, res, cg->ctx,
                           err);

    /* Devices last, and only when asked for (or at create): the default
     * devices are always appended, so an update that lists devices does
     * not take /dev/null away from a running container. */
    if (r == 0 && cg_dir_has(d, "devices") && (create || res->devices))
        r = berth_cgv1_devices(dirfd, res->devices, res->devices_len, true, err);
    return r;
}

const struct cg_ops berth_cg_ops_v1 = {
    .name = "v1",
    .apply = v1_apply,
    .freeze = berth_cgv1_freeze,
    .is_frozen = berth_cgv1_is_frozen,
    .kill = NULL,
    .stats = cg_v1_stats,
};
