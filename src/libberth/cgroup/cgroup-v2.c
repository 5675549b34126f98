/* cgroup-v2.c: the unified hierarchy writers (see cgroup-v2.h). */
#include "cgroup-v2.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup-internal.h"
#include "cgroup-v1.h"
#include "util/cleanup.h"

/* ---- memory ------------------------------------------------------------- */

static int v2_mem_write(int dirfd, const char *file, int64_t v, berth_error_t *err)
{
    char buf[32];

    cg_fmt_mem(buf, sizeof(buf), v, true);
    return cg_write(dirfd, file, buf, err);
}

/* config-linux.md "Memory" checkBeforeUpdate: v2 would OOM-kill rather
 * than refuse a limit below the usage, so refuse it here. */
static int check_before_update(int dirfd, int64_t limit, berth_error_t *err)
{
    uint64_t cur;
    int r;

    if (limit < 0)
        return 0;
    r = cg_read_u64(dirfd, "memory.current", &cur, err);
    if (r < 0)
        return r;
    if (cur > (uint64_t)limit)
        return berth_error_make(err, EBUSY,
                                "memory.limit %" PRId64 " is below the current usage %" PRIu64
                                " (checkBeforeUpdate)",
                                limit, cur);
    return 0;
}

/* memory.max and memory.swap.max: swap is memory+swap in the spec,
 * memory.swap.max the swap alone (berth_cg_swap_v2); checkBeforeUpdate
 * comes first. */
static int v2_memory_limits(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                            berth_error_t *err)
{
    const oci_memory *m = res->memory;
    int r;

    (void)ctx;
    if (!m)
        return 0;
    if (m->limit_present && m->checkBeforeUpdate_present && m->checkBeforeUpdate &&
        (r = check_before_update(dirfd, m->limit, err)) < 0)
        return r;
    if (m->swap_present) {
        int64_t swap;

        if (berth_cg_swap_v2(m->swap, m->limit, m->limit_present, &swap) < 0)
            return berth_error_make(err, EINVAL,
                                    "memory.swap %" PRId64 ": cannot convert memory+swap to "
                                    "memory.swap.max without a memory limit not above it",
                                    m->swap);
        /* Raise memory.max first: nothing orders swap against it on v2,
         * but a failure should leave the old, consistent pair. */
        if (m->limit_present && (r = v2_mem_write(dirfd, "memory.max", m->limit, err)) < 0)
            return r;
        return v2_mem_write(dirfd, "memory.swap.max", swap, err);
    }
    return m->limit_present ? v2_mem_write(dirfd, "memory.max", m->limit, err) : 0;
}

/* ---- cpu, cpuset -------------------------------------------------------- */

/* cpu.max is "$QUOTA $PERIOD"; a period alone keeps the current quota. */
static int v2_cpu_max(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                      berth_error_t *err)
{
    const oci_cpu *c = res->cpu;
    _cleanup_free_ char *cur = NULL;
    char quota[32] = "max";
    uint64_t period = 100000;
    (void)ctx;
    if (!c || (!(c->quota_present && c->quota) && !(c->period_present && c->period)))
        return 0;
    if (cg_read(dirfd, "cpu.max", &cur, NULL) == 0) {
        char q[32];
        unsigned long long p;

        if (sscanf(cur, "%31s %llu", q, &p) == 2) {
            snprintf(quota, sizeof(quota), "%s", q);
            period = p;
        }
    }
    if (c->quota_present && c->quota) {
        if (c->quota < 0)
            snprintf(quota, sizeof(quota), "max");
        else
            snprintf(quota, sizeof(quota), "%" PRId64, c->quota);
    }
    if (c->period_present && c->period)
        period = c->period;
    return cg_writef(dirfd, "cpu.max", err, "%s %" PRIu64, quota, period);
}

/* ---- io ----------------------------------------------------------------- */

static int io_max(int dirfd, const char *key, const oci_throttle_device *t, size_t n,
                  berth_error_t *err)
{
    for (size_t i = 0; t && i < n; i++) {
        int r = cg_writef(dirfd, "io.max", err, "%" PRId64 ":%" PRId64 " %s=%" PRIu64, t[i].major,
                          t[i].minor, key, t[i].rate);
        if (r < 0)
            return r;
    }
    return 0;
}

static int v2_io(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                 berth_error_t *err)
{
    const oci_block_io *b = res->blockIO;
    int r;

    (void)ctx;
    if (!b)
        return 0;
    /* With BFQ, io.bfq.weight takes the blkio range as is (runc does the
     * same); otherwise io.weight on its own 1..10000 scale. */
    if (cg_weight_set(b->weight_present, b->weight)) {
        if (cg_has(dirfd, "io.bfq.weight"))
            r = cg_writef(dirfd, "io.bfq.weight", err, "%u", b->weight);
        else
            r = cg_writef(dirfd, "io.weight", err, "default %" PRIu64,
                          berth_cg_blkio_weight_to_io_weight(b->weight));
        if (r < 0)
            return r;
    }
    for (size_t i = 0; b->weightDevice && i < b->weightDevice_len; i++) {
        const oci_weight_device *w = &b->weightDevice[i];

        if (cg_weight_set(w->leafWeight_present, w->leafWeight))
            return berth_error_make(err, EINVAL,
                                    "blockIO.weightDevice %" PRId64 ":%" PRId64
                                    " leafWeight: cgroup v2 has no leaf weight",
                                    w->major, w->minor);
        if (!cg_weight_set(w->weight_present, w->weight))
            continue;
        if (cg_has(dirfd, "io.bfq.weight"))
            r = cg_writef(dirfd, "io.bfq.weight", err, "%" PRId64 ":%" PRId64 " %u", w->major,
                          w->minor, w->weight);
        else
            r = cg_writef(dirfd, "io.weight", err, "%" PRId64 ":%" PRId64 " %" PRIu64, w->major,
                          w->minor, berth_cg_blkio_weight_to_io_weight(w->weight));
        if (r < 0)
            return r;
    }
    if ((r = io_max(dirfd, "rbps", b->throttleReadBpsDevice, b->throttleReadBpsDevice_len, err)) <
            0 ||
        (r = io_max(dirfd, "wbps", b->throttleWriteBpsDevice, b->throttleWriteBpsDevice_len, err)) <
            0 ||
        (r = io_max(dirfd, "riops", b->throttleReadIOPSDevice, b->throttleReadIOPSDevice_len,
                    err)) < 0 ||
        (r = io_max(dirfd, "wiops", b->throttleWriteIOPSDevice, b->throttleWriteIOPSDevice_len,
                    err)) < 0)
        return r;
    return 0;
}

/* ---- hugetlb, pids, rdma, unified --------------------------------------- */

static int v2_hugetlb(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                      berth_error_t *err)
{
    (void)ctx;
    return cg_write_hugetlb(dirfd, res->hugepageLimits, res->hugepageLimits_len, "max", "rsvd.max",
                            err);
}

int berth_cgv2_unified(int dirfd, const oci_string_map *u, berth_error_t *err)
{
    for (size_t i = 0; u->keys && i < u->len; i++) {
        const char *key = u->keys[i];
        int r;

        /* A key names a file of the container's own directory. */
        if (!key || !*key || strchr(key, '/') || key[0] == '.')
            return berth_error_make(err, EINVAL, "unified: `%s` is not a cgroup file name",
                                    key ? key : "");
        r = cg_write(dirfd, key, u->values[i] ? u->values[i] : "", err);
        if (r == -ENOENT) {
            berth_error_release(err);
            return berth_error_make(err, ENOENT,
                                    "unified: `%s`: no such cgroup file (controller not "
                                    "available or not enabled)",
                                    key);
        }
        if (r < 0)
            return r;
    }
    return 0;
}

int berth_cgv2_enable(int dirfd, const char *controller, berth_error_t *err)
{
    _cleanup_free_ char *on = NULL;
    size_t len = strlen(controller);
    int r;

    r = cg_read(dirfd, "cgroup.subtree_control", &on, err);
    if (r < 0)
        return r;
    for (char *p = on; (p = strstr(p, controller)); p += len)
        if ((p == on || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\n' || p[len] == '\0'))
            return 0;
    return cg_writef(dirfd, "cgroup.subtree_control", err, "+%s", controller);
}

/* ---- freezer ------------------------------------------------------------ */

/* cgroup.freeze is what was asked; cgroup.events "frozen" what is. A
 * cgroup asked to freeze counts as paused even while tasks finish
 * freezing. */
static bool frozen_text(const char *text)
{
    return text[0] != '0' && text[0] != '\0';
}

int berth_cgv2_is_frozen(int dirfd, bool *ret, berth_error_t *err)
{
    return cg_read_frozen(&berth_cg_ops_v2, dirfd, ".", ret, err);
}

int berth_cgv2_freeze(int dirfd, bool frozen, int timeout_ms, berth_error_t *err)
{
    _cleanup_close_ int evfd = -1;
    struct timespec t0, now;
    int r;

    r = cg_write(dirfd, "cgroup.freeze", frozen ? "1" : "0", err);
    if (r < 0)
        return r;
    evfd = openat(dirfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
    if (evfd < 0)
        return berth_error_errno(err, "open `cgroup.events`");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct pollfd pfd = {.fd = evfd, .events = POLLPRI};
        uint64_t state = 0;
        long ms;

        r = cg_read_keyed(dirfd, "cgroup.events", "frozen", &state, err);
        if (r < 0 && r != -ENOENT)
            return r;
        if (r == -ENOENT || (state != 0) == frozen)
            return 0;
        clock_gettime(CLOCK_MONOTONIC, &now);
        ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (ms >= timeout_ms)
            return berth_error_make(err, ETIMEDOUT,
                                    "cgroup.events did not report frozen %d in %d ms", frozen,
                                    timeout_ms);
        /* The kernel notifies cgroup.events changes with POLLPRI; poll at
         * most 10 ms at a time anyway so a missed wakeup cannot stall. */
        (void)poll(&pfd, 1, 10);
    }
}

/* ---- the v2 driver ------------------------------------------------------ */

/* The v2 table: every field of linux.resources, in write order; what v2
 * cannot express is refused (or, for the kernel memory limits no current
 * kernel enforces, ignored with a warning), never skipped in silence. */
static const struct cg_row v2_rows[] = {
    CG_NONE(CGF_MEMORY_SWAPPINESS, "memory", CGW_SET, "cgroup v2 has no swappiness"),
    CG_NONE(CGF_MEMORY_DISABLE_OOM_KILLER, "memory", CGW_TRUE,
            "cgroup v2 cannot disable the OOM killer"),
    CG_NONE(CGF_MEMORY_USE_HIERARCHY, "memory", CGW_FALSE, "cgroup v2 is always hierarchical"),
    CG_IGNORED(CGF_MEMORY_KERNEL, "memory", "cgroup v2 has no kernel memory limit"),
    CG_IGNORED(CGF_MEMORY_KERNEL_TCP, "memory", "cgroup v2 has no TCP memory limit"),
    CG_WRITER(CGF_MEMORY_LIMIT, "memory", v2_memory_limits),
    CG_BY(CGF_MEMORY_SWAP, "memory"),
    CG_BY(CGF_MEMORY_CHECK_BEFORE_UPDATE, "memory"),
    CG_FILE(CGF_MEMORY_RESERVATION, "memory", "memory.low", CGC_MEM_V2),
    CG_NONE(CGF_CPU_RT_RUNTIME, "cpu", CGW_SET, "cgroup v2 has no realtime group scheduling"),
    CG_NONE(CGF_CPU_RT_PERIOD, "cpu", CGW_SET, "cgroup v2 has no realtime group scheduling"),
    CG_FILE(CGF_CPU_SHARES, "cpu", "cpu.weight", CGC_CPU_WEIGHT),
    CG_WRITER(CGF_CPU_QUOTA, "cpu", v2_cpu_max),
    CG_BY(CGF_CPU_PERIOD, "cpu"),
    CG_FILE(CGF_CPU_BURST, "cpu", "cpu.max.burst", CGC_NUM),
    CG_FILE(CGF_CPU_IDLE, "cpu", "cpu.idle", CGC_NUM),
    CG_FILE(CGF_CPU_CPUS, "cpuset", "cpuset.cpus", CGC_STR),
    CG_FILE(CGF_CPU_MEMS, "cpuset", "cpuset.mems", CGC_STR),
    CG_NONE(CGF_BLKIO_LEAF_WEIGHT, "io", CGW_SET, "cgroup v2 has no leaf weight"),
    CG_WRITER(CGF_BLKIO_WEIGHT, "io", v2_io),
    CG_BY(CGF_BLKIO_WEIGHT_DEVICE, "io"),
    CG_BY(CGF_BLKIO_READ_BPS, "io"),
    CG_BY(CGF_BLKIO_WRITE_BPS, "io"),
    CG_BY(CGF_BLKIO_READ_IOPS, "io"),
    CG_BY(CGF_BLKIO_WRITE_IOPS, "io"),
    CG_WRITER(CGF_HUGEPAGE_LIMITS, "hugetlb", v2_hugetlb),
    CG_NONE(CGF_NETWORK_CLASS_ID, NULL, CGW_SET, "cgroup v2 has no net_cls controller"),
    CG_NONE(CGF_NETWORK_PRIORITIES, NULL, CGW_SET, "cgroup v2 has no net_prio controller"),
    CG_FILE(CGF_PIDS_LIMIT, "pids", "pids.max", CGC_NEG_MAX),
    CG_WRITER(CGF_RDMA, "rdma", cg_write_rdma),
    /* last, by v2_apply: the eBPF filter with the default devices */
    CG_BY(CGF_DEVICES, "devices"),
    /* after every directory, by cgroup.c (apply_unified) */
    CG_BY(CGF_UNIFIED, NULL),
};

static int v2_apply(const struct berth_cgroup *cg, const struct cg_dir *d, int dirfd,
                    const oci_resources *res, bool create, berth_error_t *err)
{
    int r = cg_apply_rows(&berth_cg_ops_v2, d, dirfd, res, cg->ctx, err);

    /* Devices last (the eBPF filter; d->devices: the directory that serves
     * it on hybrid hosts), with the defaults always appended, as on v1. */
    if (r == 0 && d->devices && (create || res->devices))
        r = cg_devices_done(
            cg, berth_cgv2_devices(dirfd, res->devices, res->devices_len, true, err), err);
    return r;
}

static int v2_kill(int dirfd, berth_error_t *err)
{
    /* cgroup.kill (Linux 5.14) kills the whole subtree atomically, frozen
     * or not, and new children cannot escape it. */
    if (!cg_has(dirfd, "cgroup.kill"))
        return -EOPNOTSUPP;
    return cg_write(dirfd, "cgroup.kill", "1", err);
}

const struct cg_ops berth_cg_ops_v2 = {
    .name = "v2",
    .rows = v2_rows,
    .nrows = sizeof(v2_rows) / sizeof(v2_rows[0]),
    .apply = v2_apply,
    .freeze = berth_cgv2_freeze,
    .frozen_file = "cgroup.freeze",
    .frozen_text = frozen_text,
    .kill = v2_kill,
    .stats = cg_v2_stats,
};

int berth_cgv2_enable_all(int dirfd)
{
    _cleanup_free_ char *avail = NULL;
    char *save = NULL;
    int ret = 0;

    if (cg_read(dirfd, "cgroup.controllers", &avail, NULL) < 0)
        return -ENOENT;
    for (char *c = strtok_r(avail, " \n", &save); c; c = strtok_r(NULL, " \n", &save)) {
        berth_error_t e = NULL;

        if (berth_cgv2_enable(dirfd, c, &e) < 0) {
            ret = berth_error_ret(&e);
            berth_error_release(&e);
        }
    }
    return ret;
}
