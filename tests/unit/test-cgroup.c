/* test-cgroup.c: the cgroup module against a fake cgroupfs (plain files
 * in a temporary directory): every writer of cgroup-v1.c and cgroup-v2.c,
 * the conversions, layout parsing, path computation, creation records,
 * destroy never touching what berth did not create, the frozen check, the
 * state round trip and the eBPF device program. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup/cgroup-fields.h"
#include "cgroup/cgroup-internal.h"
#include "cgroup/cgroup-v1.h"
#include "cgroup/cgroup-v2.h"
#include "cgroup/cgroup.h"
#include "container/events-json.h"
#include "cgroup/cgroup-join.h"

static char tmp[256];
static int dfd = -1;

static void setup(void)
{
    snprintf(tmp, sizeof(tmp), "/tmp/test-cgroup.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp));
    dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ck_assert_int_ge(dfd, 0);
}

static void teardown(void)
{
    char cmd[300];

    close(dfd);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    ck_assert_int_eq(system(cmd), 0);
}

/* Creates fake control files with an initial value. */
static void mk(int fd, const char *name, const char *value)
{
    int f = openat(fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    ck_assert_int_ge(f, 0);
    ck_assert_int_eq(write(f, value, strlen(value)), (ssize_t)strlen(value));
    close(f);
}

static char *rd(int fd, const char *name)
{
    static char buf[4096];
    int f = openat(fd, name, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    ck_assert_msg(f >= 0, "open %s", name);
    n = read(f, buf, sizeof(buf) - 1);
    close(f);
    ck_assert_int_ge(n, 0);
    buf[n] = '\0';
    return buf;
}

#define ck_file(fd, name, want) ck_assert_str_eq(rd(fd, name), want)
/* A resources object for one controller's rows of a version's table. */
#define RES(...) (&(oci_resources){__VA_ARGS__})

/* What apply runs for a directory that drives one controller: the
 * version's rows of that controller, in table order. */
static int apply_ctl(const struct cg_ops *ops, int fd, const char *ctl, const oci_resources *res,
                     const struct berth_context *ctx, berth_error_t *err)
{
    struct cg_dir d = {
        .ops = ops, .v2 = ops == &berth_cg_ops_v2, .controllers = (char *)ctl, .fd = -1};

    return cg_apply_rows(ops, &d, fd, res, ctx, err);
}

/* The systemd unit the state records for cg, NULL for cgroupfs. */
static const char *unit_of(const struct berth_cgroup *cg)
{
    static char unit[256];
    struct berth_cgroup_record *rec = NULL;
    berth_error_t err = NULL;
    bool has;

    ck_assert_int_eq(berth_cgroup_record(cg, &rec, &err), 0);
    has = rec->unit != NULL;
    snprintf(unit, sizeof(unit), "%s", has ? rec->unit : "");
    berth_cgroup_record_free(rec);
    return has ? unit : NULL;
}

/* ---- conversions -------------------------------------------------------- */

START_TEST(test_shares_to_weight)
{
    /* runc >= 1.3.2 / crun >= 1.23 fixed points. */
    ck_assert_uint_eq(berth_cg_shares_to_weight(0), 0);
    ck_assert_uint_eq(berth_cg_shares_to_weight(1), 1);
    ck_assert_uint_eq(berth_cg_shares_to_weight(2), 1);
    ck_assert_uint_eq(berth_cg_shares_to_weight(1024), 100);
    ck_assert_uint_eq(berth_cg_shares_to_weight(262144), 10000);
    ck_assert_uint_eq(berth_cg_shares_to_weight(1000000), 10000);
    /* Not the old linear formula (1024 -> 39). */
    ck_assert_uint_ne(berth_cg_shares_to_weight(1024), 39);
    /* Monotonic over the range. */
    for (uint64_t s = 3, prev = 1; s < 262144; s += 97) {
        uint64_t w = berth_cg_shares_to_weight(s);
        ck_assert_uint_ge(w, prev);
        ck_assert_uint_le(w, 10000);
        prev = w;
    }
}
END_TEST

START_TEST(test_blkio_and_swap_conversions)
{
    int64_t v;

    ck_assert_uint_eq(berth_cg_blkio_weight_to_io_weight(10), 1);
    ck_assert_uint_eq(berth_cg_blkio_weight_to_io_weight(1000), 10000);
    ck_assert_uint_eq(berth_cg_blkio_weight_to_io_weight(500), 1 + 490 * 9999 / 990);
    ck_assert_int_eq(berth_cg_swap_v2(300, 100, true, &v), 0);
    ck_assert_int_eq(v, 200);
    ck_assert_int_eq(berth_cg_swap_v2(-1, 100, true, &v), 0);
    ck_assert_int_eq(v, -1);
    ck_assert_int_eq(berth_cg_swap_v2(50, 100, true, &v), -EINVAL);
    ck_assert_int_eq(berth_cg_swap_v2(300, 0, false, &v), -EINVAL);
}
END_TEST

/* ---- v1 writers --------------------------------------------------------- */

START_TEST(test_v1_memory)
{
    berth_error_t err = NULL;
    oci_memory m = {.limit = 100 << 20,
                    .limit_present = true,
                    .swap = 200 << 20,
                    .swap_present = true,
                    .reservation = 50 << 20,
                    .reservation_present = true,
                    .swappiness = 10,
                    .swappiness_present = true,
                    .disableOOMKiller = true,
                    .disableOOMKiller_present = true,
                    .useHierarchy = true,
                    .useHierarchy_present = true};

    mk(dfd, "memory.limit_in_bytes", "9223372036854771712\n");
    mk(dfd, "memory.memsw.limit_in_bytes", "9223372036854771712\n");
    mk(dfd, "memory.soft_limit_in_bytes", "0");
    mk(dfd, "memory.swappiness", "60");
    mk(dfd, "memory.oom_control", "0");
    mk(dfd, "memory.use_hierarchy", "1");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "memory", RES(.memory = &m), NULL, &err), 0);
    ck_file(dfd, "memory.limit_in_bytes", "104857600");
    ck_file(dfd, "memory.memsw.limit_in_bytes", "209715200");
    ck_file(dfd, "memory.soft_limit_in_bytes", "52428800");
    ck_file(dfd, "memory.swappiness", "10");
    ck_file(dfd, "memory.oom_control", "1");
    ck_file(dfd, "memory.use_hierarchy", "1");
}
END_TEST

static int nwarn;
static void count_warn(void *d, const char *msg)
{
    (void)d;
    (void)msg;
    nwarn++;
}

START_TEST(test_v1_memory_missing_file_is_error_kmem_warns)
{
    berth_error_t err = NULL;
    struct berth_context ctx = {.warn = count_warn};
    oci_memory swap = {.swap = 1 << 20, .swap_present = true};
    oci_memory kmem = {.kernel = 1 << 20, .kernel_present = true};

    /* No swap accounting on the host: an error naming the file. */
    ck_assert_int_lt(apply_ctl(&berth_cg_ops_v1, dfd, "memory", RES(.memory = &swap), &ctx, &err),
                     0);
    ck_assert_ptr_nonnull(strstr(err->msg, "memory.memsw.limit_in_bytes"));
    berth_error_release(&err);
    /* kernel memory: the kernel dropped it, a warning and no error. */
    nwarn = 0;
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "memory", RES(.memory = &kmem), &ctx, &err),
                     0);
    ck_assert_int_eq(nwarn, 1);
}
END_TEST

START_TEST(test_v1_cpu_cpuset_pids)
{
    berth_error_t err = NULL;
    oci_cpu c = {.shares = 512,
                 .shares_present = true,
                 .quota = 20000,
                 .quota_present = true,
                 .period = 50000,
                 .period_present = true,
                 .burst = 1000,
                 .burst_present = true,
                 .realtimeRuntime = 900,
                 .realtimeRuntime_present = true,
                 .realtimePeriod = 1000,
                 .realtimePeriod_present = true,
                 .cpus = "0-1",
                 .mems = "0",
                 .idle = 1,
                 .idle_present = true};
    oci_pids unlimited = {.limit = -1, .limit_present = true}, zero = {.limit_present = true};

    mk(dfd, "cpu.shares", "1024");
    mk(dfd, "cpu.cfs_quota_us", "-1");
    mk(dfd, "cpu.cfs_period_us", "100000");
    mk(dfd, "cpu.cfs_burst_us", "0");
    mk(dfd, "cpu.rt_runtime_us", "0");
    mk(dfd, "cpu.rt_period_us", "1000000");
    mk(dfd, "cpu.idle", "0");
    mk(dfd, "cpuset.cpus", "");
    mk(dfd, "cpuset.mems", "");
    mk(dfd, "pids.max", "max");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "cpu", RES(.cpu = &c), NULL, &err), 0);
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "cpuset", RES(.cpu = &c), NULL, &err), 0);
    ck_file(dfd, "cpu.shares", "512");
    ck_file(dfd, "cpu.cfs_quota_us", "20000");
    ck_file(dfd, "cpu.cfs_period_us", "50000");
    ck_file(dfd, "cpu.cfs_burst_us", "1000");
    ck_file(dfd, "cpu.rt_runtime_us", "900");
    ck_file(dfd, "cpu.rt_period_us", "1000");
    ck_file(dfd, "cpu.idle", "1");
    ck_file(dfd, "cpuset.cpus", "0-1");
    ck_file(dfd, "cpuset.mems", "0");
    /* config-linux.md "PIDs": -1 is max, 0 is a real limit, written as 1
     * (runc >= 1.2: systemd refuses TasksMax=0, both drivers agree). */
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "pids", RES(.pids = &unlimited), NULL, &err),
                     0);
    ck_file(dfd, "pids.max", "max");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "pids", RES(.pids = &zero), NULL, &err), 0);
    ck_file(dfd, "pids.max", "1");
}
END_TEST

START_TEST(test_v1_cpuset_init_copies_parent)
{
    berth_error_t err = NULL;
    int child;

    mk(dfd, "cpuset.cpus", "0-3\n");
    mk(dfd, "cpuset.mems", "0\n");
    ck_assert_int_eq(mkdirat(dfd, "c", 0755), 0);
    child = openat(dfd, "c", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    mk(child, "cpuset.cpus", "\n");
    mk(child, "cpuset.mems", "\n");
    ck_assert_int_eq(berth_cgv1_cpuset_init(dfd, child, &err), 0);
    ck_file(child, "cpuset.cpus", "0-3");
    ck_file(child, "cpuset.mems", "0");
    close(child);
}
END_TEST

START_TEST(test_v1_blkio_hugetlb_net_rdma)
{
    berth_error_t err = NULL;
    oci_throttle_device t = {.major = 8,
                             .major_present = true,
                             .minor = 0,
                             .minor_present = true,
                             .rate = 600,
                             .rate_present = true};
    oci_weight_device w = {.major = 8,
                           .major_present = true,
                           .minor = 16,
                           .minor_present = true,
                           .weight = 500,
                           .weight_present = true};
    oci_block_io b = {.weight = 10,
                      .weight_present = true,
                      .weightDevice = &w,
                      .weightDevice_len = 1,
                      .throttleReadBpsDevice = &t,
                      .throttleReadBpsDevice_len = 1,
                      .throttleWriteIOPSDevice = &t,
                      .throttleWriteIOPSDevice_len = 1};
    oci_hugepage_limit h = {.pageSize = "2MB", .limit = 4194304, .limit_present = true};
    oci_net_priority prio = {.name = "eth0", .priority = 5, .priority_present = true};
    oci_network net = {
        .classID = 1048577, .classID_present = true, .priorities = &prio, .priorities_len = 1};
    oci_rdma rd_ = {.hcaHandles = 2,
                    .hcaHandles_present = true,
                    .hcaObjects = 2000,
                    .hcaObjects_present = true};
    oci_rdma *rdp = &rd_;
    char *key = "mlx4_0";
    oci_resources res = {.rdma = {.keys = &key, .values = &rdp, .len = 1}};

    /* No blkio.weight (no CFQ): BFQ's knob is used. */
    mk(dfd, "blkio.bfq.weight", "100");
    mk(dfd, "blkio.bfq.weight_device", "");
    mk(dfd, "blkio.throttle.read_bps_device", "");
    mk(dfd, "blkio.throttle.write_iops_device", "");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "blkio", RES(.blockIO = &b), NULL, &err), 0);
    ck_file(dfd, "blkio.bfq.weight", "10");
    ck_file(dfd, "blkio.bfq.weight_device", "8:16 500");
    ck_file(dfd, "blkio.throttle.read_bps_device", "8:0 600");
    ck_file(dfd, "blkio.throttle.write_iops_device", "8:0 600");
    /* leafWeight without the file: error naming it and the value. */
    b.leafWeight = 10;
    b.leafWeight_present = true;
    ck_assert_int_lt(apply_ctl(&berth_cg_ops_v1, dfd, "blkio", RES(.blockIO = &b), NULL, &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "blkio.leaf_weight` = `10`"));
    berth_error_release(&err);
    /* Weight 0 is Go's "not set" (docker sends it in every config): nothing
     * is written, where the kernel would refuse 0 with ERANGE. */
    {
        oci_weight_device w0 = {.major = 8,
                                .major_present = true,
                                .minor = 32,
                                .minor_present = true,
                                .weight = 0,
                                .weight_present = true,
                                .leafWeight = 0,
                                .leafWeight_present = true};
        oci_block_io zero = {.weight = 0,
                             .weight_present = true,
                             .leafWeight = 0,
                             .leafWeight_present = true,
                             .weightDevice = &w0,
                             .weightDevice_len = 1};

        ck_assert_int_eq(
            apply_ctl(&berth_cg_ops_v1, dfd, "blkio", RES(.blockIO = &zero), NULL, &err), 0);
        ck_file(dfd, "blkio.bfq.weight", "10");
        ck_file(dfd, "blkio.bfq.weight_device", "8:16 500");
        ck_assert_int_eq(apply_ctl(&berth_cg_ops_v2, dfd, "io", RES(.blockIO = &zero), NULL, &err),
                         0);
    }

    mk(dfd, "hugetlb.2MB.limit_in_bytes", "0");
    mk(dfd, "hugetlb.2MB.rsvd.limit_in_bytes", "0");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "hugetlb",
                               RES(.hugepageLimits = &h, .hugepageLimits_len = 1), NULL, &err),
                     0);
    ck_file(dfd, "hugetlb.2MB.limit_in_bytes", "4194304");
    ck_file(dfd, "hugetlb.2MB.rsvd.limit_in_bytes", "4194304");
    h.pageSize = "2M";
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "hugetlb",
                               RES(.hugepageLimits = &h, .hugepageLimits_len = 1), NULL, &err),
                     -EINVAL);
    berth_error_release(&err);

    mk(dfd, "net_cls.classid", "0");
    mk(dfd, "net_prio.ifpriomap", "");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "net_cls", RES(.network = &net), NULL, &err),
                     0);
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "net_prio", RES(.network = &net), NULL, &err),
                     0);
    ck_file(dfd, "net_cls.classid", "1048577");
    ck_file(dfd, "net_prio.ifpriomap", "eth0 5");

    mk(dfd, "rdma.max", "");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v1, dfd, "rdma", &res, NULL, &err), 0);
    ck_file(dfd, "rdma.max", "mlx4_0 hca_handle=2 hca_object=2000");
}
END_TEST

START_TEST(test_v1_devices_and_freezer)
{
    berth_error_t err = NULL;
    oci_device_cgroup d = {.allow = true,
                           .allow_present = true,
                           .type = "c",
                           .major = 10,
                           .major_present = true,
                           .access = "rw"};
    bool frozen = true;

    mk(dfd, "devices.allow", "");
    mk(dfd, "devices.deny", "");
    ck_assert_int_eq(berth_cgv1_devices(dfd, &d, 1, false, &err), 0);
    ck_file(dfd, "devices.deny", "a");
    ck_file(dfd, "devices.allow", "c 10:* rw");
    /* with the defaults, the last one written is /dev/pts. */
    ck_assert_int_eq(berth_cgv1_devices(dfd, &d, 1, true, &err), 0);
    ck_file(dfd, "devices.allow", "c 136:* rwm");

    mk(dfd, "freezer.state", "THAWED\n");
    ck_assert_int_eq(berth_cgv1_is_frozen(dfd, &frozen, &err), 0);
    ck_assert(!frozen);
    ck_assert_int_eq(berth_cgv1_freeze(dfd, true, 100, &err), 0);
    ck_file(dfd, "freezer.state", "FROZEN");
    ck_assert_int_eq(berth_cgv1_is_frozen(dfd, &frozen, &err), 0);
    ck_assert(frozen);
    ck_assert_int_eq(berth_cgv1_freeze(dfd, false, 100, &err), 0);
    ck_file(dfd, "freezer.state", "THAWED");
}
END_TEST

/* ---- v2 writers --------------------------------------------------------- */

START_TEST(test_v2_memory)
{
    berth_error_t err = NULL;
    oci_memory m = {.limit = 100 << 20,
                    .limit_present = true,
                    .swap = 300 << 20,
                    .swap_present = true,
                    .reservation = 10 << 20,
                    .reservation_present = true};
    oci_memory swappy = {
        .swappiness = 10, .swappiness_present = true, .limit = 1 << 20, .limit_present = true};
    oci_memory check = {.limit = 1000,
                        .limit_present = true,
                        .checkBeforeUpdate = true,
                        .checkBeforeUpdate_present = true};

    mk(dfd, "memory.max", "max\n");
    mk(dfd, "memory.swap.max", "max\n");
    mk(dfd, "memory.low", "0\n");
    mk(dfd, "memory.current", "4096\n");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v2, dfd, "memory", RES(.memory = &m), NULL, &err), 0);
    ck_file(dfd, "memory.max", "104857600");
    ck_file(dfd, "memory.swap.max", "209715200"); /* memory+swap - memory */
    ck_file(dfd, "memory.low", "10485760");
    m.limit = -1;
    m.swap = -1;
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v2, dfd, "memory", RES(.memory = &m), NULL, &err), 0);
    ck_file(dfd, "memory.max", "max");
    ck_file(dfd, "memory.swap.max", "max");
    /* v2 has no swappiness: an error, not a skip, and the limit beside it
     * is not written either. */
    ck_assert_int_lt(apply_ctl(&berth_cg_ops_v2, dfd, "memory", RES(.memory = &swappy), NULL, &err),
                     0);
    ck_assert_str_eq(err->msg,
                     "memory.swappiness 10: cgroup v2 has no swappiness: Invalid argument");
    berth_error_release(&err);
    ck_file(dfd, "memory.max", "max");
    /* checkBeforeUpdate: 1000 < current 4096 is refused, nothing written. */
    ck_assert_int_lt(apply_ctl(&berth_cg_ops_v2, dfd, "memory", RES(.memory = &check), NULL, &err),
                     0);
    ck_assert_ptr_nonnull(strstr(err->msg, "checkBeforeUpdate"));
    berth_error_release(&err);
    ck_file(dfd, "memory.max", "max");
}
END_TEST

START_TEST(test_v2_cpu_io_pids_hugetlb)
{
    berth_error_t err = NULL;
    oci_cpu c = {.shares = 1024,
                 .shares_present = true,
                 .quota = 20000,
                 .quota_present = true,
                 .burst = 5000,
                 .burst_present = true,
                 .cpus = "1",
                 .idle = 0,
                 .idle_present = true};
    oci_cpu period_only = {.period = 50000, .period_present = true};
    oci_cpu rt = {.realtimeRuntime = 100, .realtimeRuntime_present = true};
    oci_throttle_device t = {.major = 254,
                             .major_present = true,
                             .minor = 0,
                             .minor_present = true,
                             .rate = 2097152,
                             .rate_present = true};
    oci_block_io b = {.weight = 1000,
                      .weight_present = true,
                      .throttleReadBpsDevice = &t,
                      .throttleReadBpsDevice_len = 1};
    oci_block_io leaf = {.leafWeight = 10, .leafWeight_present = true};
    oci_hugepage_limit h = {.pageSize = "1GB", .limit = 1073741824, .limit_present = true};
    oci_pids p = {.limit = 32, .limit_present = true};

    mk(dfd, "cpu.weight", "100");
    mk(dfd, "cpu.max", "max 100000\n");
    mk(dfd, "cpu.max.burst", "0");
    mk(dfd, "cpu.idle", "0");
    mk(dfd, "cpuset.cpus", "");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v2, dfd, "cpu", RES(.cpu = &c), NULL, &err), 0);
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v2, dfd, "cpuset", RES(.cpu = &c), NULL, &err), 0);
    ck_file(dfd, "cpu.weight", "100");
    ck_file(dfd, "cpu.max", "20000 100000");
    ck_file(dfd, "cpu.max.burst", "5000");
    ck_file(dfd, "cpuset.cpus", "1");
    /* A period alone keeps the quota. */
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v2, dfd, "cpu", RES(.cpu = &period_only), NULL, &err),
                     0);
    ck_file(dfd, "cpu.max", "20000 50000");
    ck_assert_int_lt(apply_ctl(&berth_cg_ops_v2, dfd, "cpu", RES(.cpu = &rt), NULL, &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "realtime"));
    berth_error_release(&err);

    mk(dfd, "io.weight", "default 100\n");
    mk(dfd, "io.max", "");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v2, dfd, "io", RES(.blockIO = &b), NULL, &err), 0);
    ck_file(dfd, "io.weight", "default 10000");
    ck_file(dfd, "io.max", "254:0 rbps=2097152");
    ck_assert_int_lt(apply_ctl(&berth_cg_ops_v2, dfd, "io", RES(.blockIO = &leaf), NULL, &err), 0);
    berth_error_release(&err);

    mk(dfd, "hugetlb.1GB.max", "max");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v2, dfd, "hugetlb",
                               RES(.hugepageLimits = &h, .hugepageLimits_len = 1), NULL, &err),
                     0);
    ck_file(dfd, "hugetlb.1GB.max", "1073741824");
    mk(dfd, "pids.max", "max");
    ck_assert_int_eq(apply_ctl(&berth_cg_ops_v2, dfd, "pids", RES(.pids = &p), NULL, &err), 0);
    ck_file(dfd, "pids.max", "32");
}
END_TEST

START_TEST(test_v2_unified_enable_freeze)
{
    berth_error_t err = NULL;
    char *keys[] = {"memory.high", "io.max"};
    char *vals[] = {"1000000", "8:0 rbps=1"};
    oci_string_map u = {.keys = keys, .values = vals, .len = 2};
    char *bad_keys[] = {"../x"};
    oci_string_map bad = {.keys = bad_keys, .values = vals, .len = 1};
    bool frozen;

    mk(dfd, "memory.high", "max");
    mk(dfd, "io.max", "");
    ck_assert_int_eq(berth_cgv2_unified(dfd, &u, &err), 0);
    ck_file(dfd, "memory.high", "1000000");
    ck_file(dfd, "io.max", "8:0 rbps=1");
    ck_assert_int_lt(berth_cgv2_unified(dfd, &bad, &err), 0);
    berth_error_release(&err);
    keys[0] = "misc.max";
    u.len = 1;
    ck_assert_int_eq(berth_cgv2_unified(dfd, &u, &err), -ENOENT);
    ck_assert_ptr_nonnull(strstr(err->msg, "misc.max"));
    berth_error_release(&err);

    mk(dfd, "cgroup.subtree_control", "cpu io\n");
    ck_assert_int_eq(berth_cgv2_enable(dfd, "io", &err), 0);
    ck_file(dfd, "cgroup.subtree_control", "cpu io\n"); /* untouched */
    ck_assert_int_eq(berth_cgv2_enable(dfd, "memory", &err), 0);
    ck_file(dfd, "cgroup.subtree_control", "+memory");

    mk(dfd, "cgroup.freeze", "0\n");
    mk(dfd, "cgroup.events", "populated 1\nfrozen 1\n");
    ck_assert_int_eq(berth_cgv2_freeze(dfd, true, 100, &err), 0);
    ck_file(dfd, "cgroup.freeze", "1");
    ck_assert_int_eq(berth_cgv2_is_frozen(dfd, &frozen, &err), 0);
    ck_assert(frozen);
    /* The kernel never reports thawed: a bounded wait, not a hang. */
    ck_assert_int_eq(berth_cgv2_freeze(dfd, false, 50, &err), -ETIMEDOUT);
    berth_error_release(&err);
}
END_TEST

START_TEST(test_v2_device_program)
{
    berth_error_t err = NULL;
    struct bpf_insn *p = NULL;
    size_t n = 0, n0 = 0;
    oci_device_cgroup rules[] = {
        {.allow = false, .allow_present = true, .access = "rwm"},
        {.allow = true,
         .allow_present = true,
         .type = "c",
         .major = 1,
         .major_present = true,
         .minor = 3,
         .minor_present = true,
         .access = "rw"},
    };
    oci_device_cgroup bad = {.allow = true, .allow_present = true, .type = "x"};

    ck_assert_int_eq(berth_cgv2_devices_program(NULL, 0, false, &p, &n0, &err), 0);
    /* 6 loads + "return 0" */
    ck_assert_uint_eq(n0, 8);
    ck_assert_int_eq(p[n0 - 2].code, BPF_ALU64 | BPF_MOV | BPF_K);
    ck_assert_int_eq(p[n0 - 2].imm, 0);
    ck_assert_int_eq(p[n0 - 1].code, BPF_JMP | BPF_EXIT);
    free(p);
    ck_assert_int_eq(berth_cgv2_devices_program(rules, 2, false, &p, &n, &err), 0);
    /* The LAST rule is tested first: c 1:3 rw -> type, access (3), major,
     * minor, verdict 1. */
    ck_assert_int_eq(p[6].code, BPF_JMP | BPF_JNE | BPF_K);
    ck_assert_int_eq(p[6].imm, BPF_DEVCG_DEV_CHAR);
    ck_assert_int_eq(p[6].off, 7); /* to the next block */
    ck_assert_int_eq(p[12].code, BPF_ALU64 | BPF_MOV | BPF_K);
    ck_assert_int_eq(p[12].imm, 1);
    /* then deny-all: an unconditional "return 0", and nothing after it
     * (the verifier refuses unreachable instructions). */
    ck_assert_uint_eq(n, 16);
    ck_assert_int_eq(p[14].imm, 0);
    ck_assert_int_eq(p[15].code, BPF_JMP | BPF_EXIT);
    free(p);
    ck_assert_int_lt(berth_cgv2_devices_program(&bad, 1, false, &p, &n, &err), 0);
    berth_error_release(&err);
}
END_TEST

/* ---- layout, paths, create/destroy -------------------------------------- */

static const char *hybrid_mi =
    "30 23 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
    "31 30 0:27 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
    "32 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
    "33 30 0:29 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
    "34 30 0:30 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
    "35 22 0:29 / /mnt/other rw - cgroup cgroup rw,memory\n";
static const char *hybrid_self = "4:memory:/user/sess\n3:cpu,cpuacct:/\n1:name=systemd:/x\n0::/u\n";

START_TEST(test_layout_parse)
{
    berth_error_t err = NULL;
    struct berth_cgroup_layout *l;

    ck_assert_int_eq(berth_cgroup_layout_parse(hybrid_mi, hybrid_self, &l, &err), 0);
    ck_assert_int_eq(l->mode, BERTH_CGROUP_HYBRID);
    /* unified, cpu+cpuacct, memory, the named systemd one; not /mnt */
    ck_assert_uint_eq(l->n, 4);
    ck_assert(l->h[0].v2);
    ck_assert_str_eq(l->h[0].own, "/u");
    ck_assert_str_eq(l->h[1].controllers, "cpu,cpuacct");
    ck_assert(berth_cgroup_hier_has(&l->h[1], "cpuacct"));
    ck_assert_str_eq(l->h[2].own, "/user/sess");
    ck_assert_str_eq(l->h[3].controllers, "name=systemd");
    ck_assert_str_eq(l->h[3].own, "/x");
    berth_cgroup_layout_free(l);

    ck_assert_int_eq(berth_cgroup_layout_parse(
                         "31 30 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n",
                         "0::/init.scope\n", &l, &err),
                     0);
    ck_assert_int_eq(l->mode, BERTH_CGROUP_UNIFIED);
    ck_assert_uint_eq(l->n, 1);
    ck_assert_str_eq(l->h[0].own, "/init.scope");
    berth_cgroup_layout_free(l);

    ck_assert_int_eq(berth_cgroup_layout_parse(
                         "33 30 0:29 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
                         "4:memory:/\n", &l, &err),
                     0);
    ck_assert_int_eq(l->mode, BERTH_CGROUP_LEGACY);
    berth_cgroup_layout_free(l);
    ck_assert_int_eq(berth_cgroup_layout_parse("", "", &l, &err), 0);
    ck_assert_int_eq(l->mode, BERTH_CGROUP_NONE);
    berth_cgroup_layout_free(l);
}
END_TEST

/* A fake hybrid layout under tmp: memory+freezer on v1, hugetlb on v2. */
static struct berth_cgroup_hier fake_h[2];
static struct berth_cgroup_layout fake = {BERTH_CGROUP_HYBRID, fake_h, 2};
static char mnt_v1[300], mnt_v2[300];

static void fake_setup(void)
{
    int fd;

    setup();
    snprintf(mnt_v1, sizeof(mnt_v1), "%s/v1", tmp);
    snprintf(mnt_v2, sizeof(mnt_v2), "%s/v2", tmp);
    ck_assert_int_eq(mkdir(mnt_v1, 0755), 0);
    ck_assert_int_eq(mkdir(mnt_v2, 0755), 0);
    fd = open(mnt_v2, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    mk(fd, "cgroup.controllers", "hugetlb\n");
    mk(fd, "cgroup.subtree_control", "\n");
    close(fd);
    fake_h[0] = (struct berth_cgroup_hier){false, mnt_v1, "/", "memory,freezer", "/own"};
    fake_h[1] = (struct berth_cgroup_hier){true, mnt_v2, "/", "hugetlb", "/"};
}

static bool exists(const char *mnt, const char *rel)
{
    char p[600];
    struct stat st;

    snprintf(p, sizeof(p), "%s%s", mnt, rel);
    return stat(p, &st) == 0;
}

START_TEST(test_create_destroy_records)
{
    berth_error_t err = NULL;
    struct berth_cgroup *cg = NULL, *cg2 = NULL;

    /* Default path /berth/<id>; v2 levels enable their controllers. */
    ck_assert_int_eq(berth_cgroup_create_in(NULL, &fake, NULL, "c1", &cg, &err), 0);
    ck_assert_str_eq(berth_cgroup_path(cg), "/berth/c1");
    ck_assert(exists(mnt_v1, "/berth/c1"));
    ck_assert(exists(mnt_v2, "/berth/c1"));
    ck_file(dfd, "v2/cgroup.subtree_control", "+hugetlb");
    /* The state round trip keeps what was created. */
    {
        struct berth_cgroup_record *rec = NULL;

        ck_assert_int_eq(berth_cgroup_record(cg, &rec, &err), 0);
        ck_assert_uint_eq(rec->ndirs, cg->n);
        ck_assert_ptr_nonnull(rec->dirs[0].created);
        ck_assert_str_eq(rec->dirs[0].created + strlen(rec->dirs[0].mount), "/berth");
        ck_assert_int_eq(berth_cgroup_load(NULL, rec, &cg2, &err), 0);
        berth_cgroup_record_free(rec);
    }
    ck_assert_str_eq(berth_cgroup_path(cg2), "/berth/c1");
    /* A second container under the same parent. */
    {
        struct berth_cgroup *other = NULL;
        ck_assert_int_eq(berth_cgroup_create_in(NULL, &fake, "/berth/c2", "c2", &other, &err), 0);
        /* c1 goes; /berth stays while c2 is in it. */
        ck_assert_int_eq(berth_cgroup_destroy(cg2, &err), 0);
        ck_assert(!exists(mnt_v1, "/berth/c1"));
        ck_assert(exists(mnt_v1, "/berth/c2"));
        ck_assert_int_eq(berth_cgroup_destroy(other, &err), 0);
        /* c2 did not create /berth: it is not c2's to remove. */
        ck_assert(exists(mnt_v1, "/berth"));
        berth_cgroup_free(other);
    }
    berth_cgroup_free(cg);
    berth_cgroup_free(cg2);
}
END_TEST

/* create in two steps (plan, then v2 before the clone, v1 after it) and
 * the handover of the v1 `tasks` fds to the child (cgroup-join.h): the
 * child's writes land in the right hierarchy's file. */
START_TEST(test_plan_make_and_join_handover)
{
    berth_error_t err = NULL;
    struct berth_cgroup *cg = NULL;
    struct berth_cgroup_join pj = BERTH_CGROUP_JOIN_INIT, cj = BERTH_CGROUP_JOIN_INIT;
    struct berth_cgroup_dir_ref *refs = NULL;
    size_t nrefs = 0;
    int sv[2], fd;
    char p[600];

    ck_assert_int_eq(berth_cgroup_plan_in(NULL, &fake, NULL, "j1", &cg, &err), 0);
    ck_assert(!exists(mnt_v1, "/berth/j1") && !exists(mnt_v2, "/berth/j1"));
    ck_assert_int_eq(berth_cgroup_make(cg, true, &err), 0);
    ck_assert(!exists(mnt_v1, "/berth/j1") && exists(mnt_v2, "/berth/j1"));
    ck_assert_int_eq(berth_cgroup_make(cg, false, &err), 0);
    ck_assert(exists(mnt_v1, "/berth/j1"));
    /* the fake tree's control files (cgroupfs makes them) */
    snprintf(p, sizeof(p), "%s/berth/j1", mnt_v1);
    fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    mk(fd, "tasks", "");
    close(fd);
    snprintf(p, sizeof(p), "%s/berth/j1", mnt_v2);
    fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    mk(fd, "cgroup.procs", "");
    close(fd);
    ck_assert_int_eq(berth_cgroup_dir_refs(cg, &refs, &nrefs, &err), 0);
    ck_assert_uint_eq(nrefs, 2);
    /* v2 before the clone (inherited), v1 over the socket */
    ck_assert_int_eq(berth_cgroup_join_prepare(cg, true, &cj, &err), 0);
    ck_assert_int_ge(cj.v2_dirfd, 0);
    ck_assert_uint_eq(cj.n, 0);
    ck_assert_int_eq(berth_cgroup_join_prepare(cg, false, &pj, &err), 0);
    ck_assert_uint_eq(pj.n, 1);
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    ck_assert_int_eq(berth_cgroup_join_send(sv[0], &pj, &err), 0);
    /* a count that does not match the v1 hierarchies is refused */
    ck_assert_int_eq(berth_cgroup_join_send(sv[0], &pj, &err), 0);
    ck_assert_int_eq(berth_cgroup_join_recv(sv[1], &cj, 1, refs, 0, &err), -EPROTO);
    berth_error_release(&err);
    ck_assert_int_eq(berth_cgroup_join_recv(sv[1], &cj, 1, refs, nrefs, &err), 0);
    ck_assert_uint_eq(cj.n, 1);
    ck_assert(!refs[0].v2 && refs[1].v2);
    ck_assert_str_eq(cj.tasks_paths[0], refs[0].path);
    /* not placed by clone3: the cgroup2 cgroup.procs gets "0" too */
    ck_assert_int_eq(berth_cgroup_join_self(&cj, false, &err), 0);
    ck_file(dfd, "v1/berth/j1/tasks", "0");
    ck_file(dfd, "v2/berth/j1/cgroup.procs", "0");
    ck_assert_int_eq(cj.v2_dirfd, -1); /* released */
    berth_cgroup_join_release(&pj);
    close(sv[0]);
    close(sv[1]);
    free(refs);
    /* plain directories: rmdir needs them empty, unlike cgroupfs */
    ck_assert_int_eq(unlinkat(dfd, "v1/berth/j1/tasks", 0), 0);
    ck_assert_int_eq(unlinkat(dfd, "v2/berth/j1/cgroup.procs", 0), 0);
    ck_assert_int_eq(berth_cgroup_destroy(cg, &err), 0);
    ck_assert(!exists(mnt_v1, "/berth/j1") && !exists(mnt_v2, "/berth/j1"));
    berth_cgroup_free(cg);
}
END_TEST

START_TEST(test_join_existing_and_frozen)
{
    berth_error_t err = NULL;
    struct berth_cgroup *cg = NULL;
    char p[600];
    int fd;

    /* Relative paths are under our own cgroup in each hierarchy. */
    snprintf(p, sizeof(p), "%s/own/pre", mnt_v1);
    ck_assert_int_eq(mkdir(p, 0755) == 0 || (mkdir(p, 0755), 0) == 0, 1);
    snprintf(p, sizeof(p), "%s/own", mnt_v1);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/own/pre", mnt_v1);
    mkdir(p, 0755);
    fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    mk(fd, "freezer.state", "THAWED\n");
    snprintf(p, sizeof(p), "%s/pre", mnt_v2);
    mkdir(p, 0755);
    ck_assert_int_eq(berth_cgroup_create_in(NULL, &fake, "pre", "x", &cg, &err), 0);
    /* Joined, nothing created: destroy leaves it. */
    ck_assert_int_eq(berth_cgroup_destroy(cg, &err), 0);
    ck_assert(exists(mnt_v1, "/own/pre"));
    berth_cgroup_free(cg);
    cg = NULL;
    /* config-linux.md "Control groups": a frozen cgroup is refused. */
    mk(fd, "freezer.state", "FROZEN\n");
    ck_assert_int_lt(berth_cgroup_create_in(NULL, &fake, "pre", "x", &cg, &err), 0);
    ck_assert_str_eq(err->msg, "container's cgroup unexpectedly frozen");
    berth_error_release(&err);
    close(fd);
}
END_TEST

START_TEST(test_bad_paths_and_systemd)
{
    berth_error_t err = NULL;
    struct berth_cgroup *cg = NULL;
    struct berth_context ctx = {.systemd_cgroup = true};
    const char *bad[] = {"/a/../b", "..", "/", "a\tb", "//"};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_int_eq(berth_cgroup_create_in(NULL, &fake, bad[i], "x", &cg, &err), -EINVAL);
        ck_assert_ptr_nonnull(strstr(err->msg, "invalid cgroupsPath"));
        berth_error_release(&err);
    }
    /* systemd driver: "slice:prefix:name" only; the plan is the unit's
     * cgroup, recorded with the unit in the state */
    ck_assert_int_lt(berth_cgroup_plan_in(&ctx, &fake, "/x", "x", &cg, &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "\"slice:prefix:name\""));
    berth_error_release(&err);
    ck_assert_int_eq(berth_cgroup_plan_in(&ctx, &fake, "machine.slice:p:x", "x", &cg, &err), 0);
    ck_assert_str_eq(berth_cgroup_path(cg), "/machine.slice/p-x.scope");
    ck_assert_str_eq(unit_of(cg), "p-x.scope");
    {
        struct berth_cgroup_record *rec = NULL;
        struct berth_cgroup *back = NULL;

        ck_assert_int_eq(berth_cgroup_record(cg, &rec, &err), 0);
        ck_assert_str_eq(rec->unit, "p-x.scope");
        ck_assert_int_eq(berth_cgroup_load(NULL, rec, &back, &err), 0);
        ck_assert_str_eq(unit_of(back), "p-x.scope");
        berth_cgroup_free(back);
        berth_cgroup_record_free(rec);
    }
    berth_cgroup_free(cg);
    /* no unit for the cgroupfs driver */
    ck_assert_int_eq(berth_cgroup_plan_in(NULL, &fake, "/a", "x", &cg, &err), 0);
    ck_assert_ptr_null(unit_of(cg));
    berth_cgroup_free(cg);
    /* "//a//b/" normalises to "/a/b" */
    ck_assert_int_eq(berth_cgroup_create_in(NULL, &fake, "//a//b/", "x", &cg, &err), 0);
    ck_assert_str_eq(berth_cgroup_path(cg), "/a/b");
    ck_assert_int_eq(berth_cgroup_destroy(cg, &err), 0);
    ck_assert(!exists(mnt_v1, "/a"));
    berth_cgroup_free(cg);
}
END_TEST

START_TEST(test_apply_checks_before_writing)
{
    berth_error_t err = NULL;
    struct berth_cgroup *cg = NULL;
    oci_pids pids = {.limit = 5, .limit_present = true};
    oci_network net = {.classID = 1, .classID_present = true};
    oci_memory mem = {.limit = 1000, .limit_present = true};
    oci_resources res = {.memory = &mem, .network = &net};
    char *keys[] = {"hugetlb.2MB.max", "memory.max"}, *vals[] = {"2097152", "max"};
    oci_resources uni = {.unified = {.keys = keys, .values = vals, .len = 2}};
    char p[600];
    int fd;

    ck_assert_int_eq(berth_cgroup_create_in(NULL, &fake, "/t", "t", &cg, &err), 0);
    snprintf(p, sizeof(p), "%s/t", mnt_v1);
    fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    mk(fd, "memory.limit_in_bytes", "-1");
    /* net_cls is not on this "host": an error before memory is written. */
    ck_assert_int_lt(berth_cgroup_apply(cg, &res, false, &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "net_cls"));
    berth_error_release(&err);
    ck_file(fd, "memory.limit_in_bytes", "-1");
    /* pids neither. */
    res.network = NULL;
    res.pids = &pids;
    ck_assert_int_lt(berth_cgroup_apply(cg, &res, false, &err), 0);
    berth_error_release(&err);
    /* unified on a hybrid host: refused as runc does, nothing written, not
     * even the key the v2 hierarchy could take. */
    snprintf(p, sizeof(p), "%s/t", mnt_v2);
    {
        int f2 = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        mk(f2, "hugetlb.2MB.max", "max");
        ck_assert_int_lt(berth_cgroup_apply(cg, &uni, false, &err), 0);
        ck_assert_ptr_nonnull(strstr(err->msg, "cannot use unified on cgroup v1"));
        berth_error_release(&err);
        ck_file(f2, "hugetlb.2MB.max", "max");
        close(f2);
    }
    ck_file(fd, "memory.limit_in_bytes", "-1");
    close(fd);
    ck_assert_int_eq(system("true"), 0);
    berth_cgroup_free(cg);
}
END_TEST

START_TEST(test_load_rejects_garbage)
{
    berth_error_t err = NULL;
    struct berth_cgroup *cg = NULL;

    struct berth_cgroup_record_dir dir = {
        .controllers = "memory", .mount = "/m", .path = "relative"};
    struct berth_cgroup_record rec = {.path = "/p"};

    /* nothing recorded */
    ck_assert_int_lt(berth_cgroup_load(NULL, &rec, &cg, &err), 0);
    berth_error_release(&err);
    /* a relative directory would be opened from wherever berth runs */
    rec.dirs = &dir;
    rec.ndirs = 1;
    ck_assert_int_lt(berth_cgroup_load(NULL, &rec, &cg, &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "`relative`"));
    berth_error_release(&err);
    dir.path = NULL;
    ck_assert_int_lt(berth_cgroup_load(NULL, &rec, &cg, &err), 0);
    berth_error_release(&err);
}
END_TEST

/* The status derivation's freezer read: below a mount's fd when a cache
 * is given; on v1 only for an init that is not sleeping interruptibly or
 * running (the v1 freezer holds its tasks in "D"); on v2 always. */
START_TEST(test_state_frozen)
{
    char p1[1024], p2[1024];
    struct berth_cgroup_record_dir dirs[] = {
        {.controllers = "freezer", .mount = tmp, .path = p1},
    };
    struct berth_cgroup_record_dir dirs2[] = {
        {.v2 = true, .controllers = "", .mount = tmp, .path = p2, .freezer = true},
    };
    struct berth_cgroup_record rec = {.path = "/f", .dirs = dirs, .ndirs = 1};
    struct berth_cgroup_record rec2 = {.path = "/g", .dirs = dirs2, .ndirs = 1};
    struct berth_cgroup_mount_fds fds = {0};
    int f, g;

    ck_assert_int_eq(mkdirat(dfd, "f", 0755), 0);
    ck_assert_int_eq(mkdirat(dfd, "g", 0755), 0);
    f = openat(dfd, "f", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    g = openat(dfd, "g", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    mk(f, "freezer.state", "FROZEN\n");
    mk(g, "cgroup.freeze", "1\n");
    snprintf(p1, sizeof(p1), "%s/f", tmp);
    snprintf(p2, sizeof(p2), "%s/g", tmp);
    ck_assert(berth_cgroup_state_frozen(&rec, NULL, 'D'));
    ck_assert(berth_cgroup_state_frozen(&rec, &fds, 'D'));
    ck_assert_uint_eq(fds.n, 1); /* the mount, opened once */
    ck_assert(berth_cgroup_state_frozen(&rec, &fds, 'T'));
    ck_assert(!berth_cgroup_state_frozen(&rec, &fds, 'S')); /* not read */
    ck_assert(!berth_cgroup_state_frozen(&rec, &fds, 'R'));
    ck_assert(berth_cgroup_state_frozen(&rec2, &fds, 'S')); /* v2: read */
    ck_assert_uint_eq(fds.n, 1);
    mk(g, "cgroup.freeze", "0\n");
    ck_assert(!berth_cgroup_state_frozen(&rec2, &fds, 'S'));
    berth_cgroup_mount_fds_release(&fds);
    close(f);
    close(g);
}
END_TEST

START_TEST(test_stats_v1_v2)
{
    berth_error_t err = NULL;
    struct berth_cgroup *cg = NULL;
    struct berth_cgroup_stats st;
    char pc[1024], pd[1024];
    struct berth_cgroup_record_dir dirs[] = {
        {.controllers = "cpu,cpuacct,memory,pids,cpuset", .mount = tmp, .path = pc},
        {.v2 = true,
         .controllers = "io cpu",
         .mount = tmp,
         .path = pd,
         .devices = true,
         .freezer = true},
    };
    struct berth_cgroup_record rec = {.path = "/c", .dirs = dirs, .ndirs = 2};
    int c, d;

    ck_assert_int_eq(mkdirat(dfd, "c", 0755), 0);
    ck_assert_int_eq(mkdirat(dfd, "d", 0755), 0);
    c = openat(dfd, "c", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    d = openat(dfd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    mk(c, "cpuacct.usage", "12345\n");
    mk(c, "cpuacct.usage_percpu", "10 20 \n");
    mk(c, "cpuacct.stat", "user 1\nsystem 2\n");
    mk(c, "cpu.stat", "nr_periods 5\nnr_throttled 3\nthrottled_time 99\n");
    mk(c, "memory.usage_in_bytes", "4096\n");
    mk(c, "memory.limit_in_bytes", "8192\n");
    mk(c, "memory.stat", "cache 11\nrss 22\n");
    mk(c, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
    mk(c, "pids.current", "3\n");
    mk(c, "pids.max", "max\n");
    mk(d, "memory.current", "100\n");
    mk(d, "memory.max", "max\n");
    mk(d, "memory.events", "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n");
    mk(d, "io.stat", "8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n");
    /* runc's percpu_user/percpu_kernel, CPUSet, and the pressure files */
    mk(c, "cpuacct.usage_all", "cpu user system\n0 7 8\n1 9 10\n");
    mk(c, "cpuset.cpus", "0-3,7\n");
    mk(c, "cpuset.mems", "0\n");
    mk(c, "cpuset.sched_load_balance", "1\n");
    mk(c, "cpuset.sched_relax_domain_level", "-1\n");
    mk(d, "io.pressure",
       "some avg10=1.50 avg60=0.25 avg300=0.00 total=123\n"
       "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    mk(d, "cpu.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    snprintf(pc, sizeof(pc), "%s/c", tmp);
    snprintf(pd, sizeof(pd), "%s/d", tmp);
    ck_assert_int_eq(berth_cgroup_load(NULL, &rec, &cg, &err), 0);
    ck_assert_int_eq(berth_cgroup_stats(cg, &st, &err), 0);
    ck_assert_uint_eq(st.cpu_total, 12345);
    ck_assert_uint_eq(st.npercpu, 2);
    ck_assert_uint_eq(st.percpu[1], 20);
    ck_assert_uint_eq(st.throttled_periods, 3);
    ck_assert_uint_eq(st.throttled_time, 99);
    ck_assert_uint_eq(st.mem_usage, 4096);
    ck_assert_uint_eq(st.mem_limit, 8192);
    ck_assert_uint_eq(st.mem_cache, 11);
    ck_assert_uint_eq(st.oom_kills, 2);
    ck_assert_uint_eq(st.pids_current, 3);
    ck_assert_uint_eq(st.pids_limit, UINT64_MAX);
    /* io.stat of the v2 directory: Read/Write bytes and ios. */
    ck_assert_uint_eq(st.nbytes, 2);
    ck_assert_str_eq(st.bytes[1].op, "Write");
    ck_assert_uint_eq(st.bytes[1].value, 200);
    ck_assert_uint_eq(st.ios[0].value, 1);
    ck_assert_uint_eq(st.npercpu_modes, 2);
    ck_assert_uint_eq(st.percpu_user[1], 9);
    ck_assert_uint_eq(st.percpu_kernel[1], 10);
    ck_assert_uint_eq(st.cpuset.ncpus, 5);
    ck_assert_uint_eq(st.cpuset.cpus[4], 7);
    ck_assert_uint_eq(st.cpuset.nmems, 1);
    ck_assert_int_eq(st.cpuset.sched_relax_domain_level, -1);
    ck_assert(st.io_psi.present && st.cpu_psi.present && !st.mem_psi.present);
    ck_assert_uint_eq(st.io_psi.some.total, 123);
    {
        /* as runc's types: psi of blkio with its "some" line only (the
         * "full" one is all zero: omitzero), cpu's psi empty, memory's
         * absent (no file); cpuset's lists and numbers */
        char *json = NULL;
        size_t len = 0;

        ck_assert_int_eq(berth_event_json("stats", "c1", &st, &json, &len, &err), 0);
        ck_assert_ptr_nonnull(
            strstr(json, "\"percpu\":[10,20],\"percpu_kernel\":[8,10],\"percpu_user\":[7,9],"));
        ck_assert_ptr_nonnull(strstr(json, "\"throttling\":{\"periods\":5,\"throttledPeriods\":3,"
                                           "\"throttledTime\":99},\"psi\":{}},"));
        ck_assert_ptr_nonnull(
            strstr(json, "\"cpuset\":{\"cpus\":[0,1,2,3,7],\"cpu_exclusive\":0,\"mems\":[0],"
                         "\"mem_hardwall\":0,\"mem_exclusive\":0,\"memory_migrate\":0,"
                         "\"memory_spread_page\":0,\"memory_spread_slab\":0,\"memory_pressure\":0,"
                         "\"sched_load_balance\":1,\"sched_relax_domain_level\":-1},"));
        ck_assert_ptr_nonnull(strstr(json, "\"psi\":{\"some\":{\"avg10\":1.5,\"avg60\":0.25,"
                                           "\"avg300\":0,\"total\":123}}},\"hugetlb\""));
        ck_assert_ptr_nonnull(strstr(json, "\"raw\":{\"cache\":11,\"rss\":22}},\"pids\""));
        free(json);
    }
    berth_cgroup_stats_release(&st);
    berth_cgroup_free(cg);
    close(c);
    close(d);
}
END_TEST

/* Every version's table has one row for every field of linux.resources,
 * each row complete for its kind: a field added to the spec model cannot
 * be forgotten by a version (the table must say what it becomes). */
START_TEST(test_tables_cover_every_field)
{
    const struct cg_ops *ops[] = {&berth_cg_ops_v1, &berth_cg_ops_v2};

    for (size_t v = 0; v < 2; v++) {
        int seen[CGF_N] = {0};

        for (size_t i = 0; i < ops[v]->nrows; i++) {
            const struct cg_row *row = &ops[v]->rows[i];

            ck_assert_int_lt(row->field, CGF_N);
            seen[row->field]++;
            switch (row->how) {
            case CGH_FILE:
                ck_assert(row->controller && row->file);
                break;
            case CGH_WRITER:
                ck_assert(row->controller && row->write);
                break;
            case CGH_NONE:
                ck_assert_ptr_nonnull(row->why);
                /* a warning is given by the directory that drives it */
                ck_assert(!row->warn || row->controller);
                break;
            case CGH_BY:
            case CGH_NOTHING:
                break;
            }
        }
        for (int f = 0; f < CGF_N; f++) {
            if (seen[f] != 1)
                ck_abort_msg("%s table: %s has %d rows", ops[v]->name, berth_cg_fields[f].name,
                             seen[f]);
        }
    }
    for (int f = 0; f < CGF_N; f++) {
        ck_assert_ptr_nonnull(berth_cg_fields[f].name);
        for (int g = 0; g < f; g++)
            ck_assert_str_ne(berth_cg_fields[f].name, berth_cg_fields[g].name);
    }
}
END_TEST

/* set and get agree on every scalar field; Go's zero values stay unset. */
START_TEST(test_field_get_set)
{
    oci_resources res = {0};
    struct berth_cg_value v;
    char buf[64];

    for (int f = 0; f < CGF_N; f++) {
        if (berth_cg_fields[f].type == CGT_COUNT) {
            ck_assert_int_eq(berth_cg_field_set(&res, f, 1, NULL), -EINVAL);
            ck_assert(!berth_cg_field_get(&res, f, NULL));
            continue;
        }
        ck_assert(!berth_cg_field_get(&res, f, NULL));
        ck_assert_int_eq(berth_cg_field_set(&res, f, 7, "0-1"), 0);
        ck_assert(berth_cg_field_get(&res, f, &v));
    }
    berth_cg_field_format(&res, CGF_CPU_CPUS, buf, sizeof(buf));
    ck_assert_str_eq(buf, "0-1");
    berth_cg_field_format(&res, CGF_MEMORY_USE_HIERARCHY, buf, sizeof(buf));
    ck_assert_str_eq(buf, "true");
    ck_assert(berth_cg_field_get(&res, CGF_BLKIO_WEIGHT, &v) && v.u == 7);
    ck_assert(berth_cg_field_get(&res, CGF_NETWORK_CLASS_ID, &v) && v.u == 7);
    ck_assert_int_eq(berth_cg_field_set(&res, CGF_CPU_SHARES, 0, NULL), 0);
    ck_assert(!berth_cg_field_get(&res, CGF_CPU_SHARES, NULL));
    ck_assert_int_eq(berth_cg_field_set(&res, CGF_MEMORY_SWAPPINESS, -1, NULL), 0);
    ck_assert(!berth_cg_field_get(&res, CGF_MEMORY_SWAPPINESS, NULL));
    ck_assert_int_eq(berth_cg_field_set(&res, CGF_PIDS_LIMIT, 0, NULL), 0);
    ck_assert(berth_cg_field_get(&res, CGF_PIDS_LIMIT, &v) && v.i == 0); /* 0 is a limit */
    free(res.memory);
    free(res.cpu->cpus);
    free(res.cpu->mems);
    free(res.cpu);
    free(res.pids);
    free(res.blockIO);
    free(res.network);
}
END_TEST

struct unsupported {
    char text[512];
};

static void collect(enum berth_cg_field_id id, const char *why, bool warn, void *data)
{
    struct unsupported *u = data;
    size_t len = strlen(u->text);

    snprintf(u->text + len, sizeof(u->text) - len, "%s%s=%s;", warn ? "warn:" : "",
             berth_cg_fields[id].name, why);
}

/* What validation reports for a version: the NONE rows that res meets
 * (useHierarchy true and disableOOMKiller false ask v2 for nothing). */
START_TEST(test_unsupported_per_version)
{
    oci_memory m = {.swappiness = 60,
                    .swappiness_present = true,
                    .kernel = 1 << 20,
                    .kernel_present = true,
                    .useHierarchy = true,
                    .useHierarchy_present = true,
                    .disableOOMKiller = false,
                    .disableOOMKiller_present = true};
    oci_cpu c = {.realtimeRuntime = 0, .realtimeRuntime_present = true};
    oci_network n = {.classID = 3, .classID_present = true};
    oci_resources res = {.memory = &m, .cpu = &c, .network = &n};
    struct unsupported u = {""};

    berth_cg_unsupported(true, &res, collect, &u);
    ck_assert_str_eq(u.text, "memory.swappiness=cgroup v2 has no swappiness;"
                             "warn:memory.kernel=cgroup v2 has no kernel memory limit;"
                             "network.classID=cgroup v2 has no net_cls controller;");
    u.text[0] = '\0';
    berth_cg_unsupported(false, &res, collect, &u);
    ck_assert_str_eq(u.text, "");
    m.useHierarchy = false;
    m.disableOOMKiller = true;
    berth_cg_unsupported(true, &res, collect, &u);
    ck_assert_ptr_nonnull(strstr(u.text, "memory.useHierarchy=cgroup v2 is always hierarchical"));
    ck_assert_ptr_nonnull(strstr(u.text, "memory.disableOOMKiller=cgroup v2 cannot disable"));
}
END_TEST

/* The placement check before any write: on a pure v2 host a field v2 has
 * no controller for gets v2's reason, on a host with v1 hierarchies the
 * missing controller is named. */
START_TEST(test_placeable_messages)
{
    berth_error_t err = NULL;
    oci_network n = {.classID = 3, .classID_present = true};
    oci_pids p = {.limit = 5, .limit_present = true};
    struct cg_dir v2 = {.ops = &berth_cg_ops_v2, .v2 = true, .controllers = "memory cpu", .fd = -1};
    struct cg_dir both[] = {
        {.ops = &berth_cg_ops_v1, .controllers = "memory", .fd = -1},
        {.ops = &berth_cg_ops_v2, .v2 = true, .controllers = "hugetlb", .fd = -1},
    };

    ck_assert_int_lt(cg_rows_placeable(&v2, 1, NULL, 0, RES(.network = &n), &err), 0);
    ck_assert_str_eq(err->msg,
                     "network.classID 3: cgroup v2 has no net_cls controller: Invalid argument");
    berth_error_release(&err);
    ck_assert_int_lt(cg_rows_placeable(both, 2, NULL, 0, RES(.network = &n), &err), 0);
    ck_assert_str_eq(err->msg, "linux.resources.network.classID: the cgroup controller `net_cls` "
                               "is not available on this host: Operation not supported");
    berth_error_release(&err);
    ck_assert_int_lt(cg_rows_placeable(&v2, 1, NULL, 0, RES(.pids = &p), &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "`pids` is not available"));
    berth_error_release(&err);
    /* an empty memory object asks nothing of the memory controller */
    ck_assert_int_eq(cg_rows_placeable(both + 1, 1, NULL, 0, RES(.memory = &(oci_memory){0}), &err),
                     0);
}
END_TEST

/* Rootless (runc's rootless cgroups): a hierarchy berth could not create
 * is `gone`; a limit it would take is refused naming it and the way out,
 * device rules are not (runc ignores them rootless), and a limit another
 * hierarchy takes still goes there. */
START_TEST(test_placeable_rootless)
{
    berth_error_t err = NULL;
    oci_pids p = {.limit = 5, .limit_present = true};
    oci_memory m = {.limit = 1 << 20, .limit_present = true};
    oci_device_cgroup dev = {.allow = false, .access = (char *)"rwm"};
    struct cg_dir gone[] = {
        {.ops = &berth_cg_ops_v1,
         .controllers = "pids",
         .path = "/sys/fs/cgroup/pids/berth/x",
         .fd = -1},
        {.ops = &berth_cg_ops_v1, .controllers = "devices", .path = "/d", .fd = -1},
    };
    struct cg_dir mem = {.ops = &berth_cg_ops_v1, .controllers = "memory", .fd = -1};

    ck_assert_int_eq(cg_rows_placeable(NULL, 0, gone, 2, RES(.pids = &p), &err), -EPERM);
    ck_assert_str_eq(err->msg, "linux.resources.pids.limit: cannot set the limit: rootless berth "
                               "may not create the container's cgroup "
                               "`/sys/fs/cgroup/pids/berth/x` (delegate a cgroup to the user and "
                               "name it in linux.cgroupsPath): Operation not permitted");
    berth_error_release(&err);
    ck_assert_int_eq(
        cg_rows_placeable(NULL, 0, gone, 2, RES(.devices = &dev, .devices_len = 1), &err), 0);
    ck_assert_int_eq(cg_rows_placeable(&mem, 1, gone, 2, RES(.memory = &m), &err), 0);
    /* nothing gone, nothing there: the host lacks it, as before */
    ck_assert_int_lt(cg_rows_placeable(&mem, 1, NULL, 0, RES(.pids = &p), &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "is not available on this host"));
    berth_error_release(&err);
}
END_TEST

/* events records through the JSON model: runc's shape, Go's omitempty
 * (zero members left out, limit and failcnt always there), raw as a map of
 * numbers, hugetlb always an object, network_interfaces null. */
START_TEST(test_event_json)
{
    uint64_t percpu[] = {5, 7};
    struct berth_cgroup_kv raw[] = {{(char *)"cache", 0}, {(char *)"rss", 18446744073709551615ULL}};
    struct berth_cgroup_blkio_entry bytes[] = {{8, 0, "Read", 512}};
    struct berth_cgroup_hugetlb huge[] = {{.size = "2MB", .failcnt = 1}};
    struct berth_cgroup_stats st = {.cpu_total = 12,
                                    .percpu = percpu,
                                    .npercpu = 2,
                                    .mem_usage = 4096,
                                    .mem_limit = 8192,
                                    .raw = raw,
                                    .nraw = 2,
                                    .pids_current = 3,
                                    .pids_limit = UINT64_MAX,
                                    .bytes = bytes,
                                    .nbytes = 1,
                                    .huge = huge,
                                    .nhuge = 1};
    berth_error_t err = NULL;
    char *json = NULL;
    size_t len = 0;

    ck_assert_int_eq(berth_event_json("stats", "c\"1", &st, &json, &len, &err), 0);
    ck_assert_str_eq(
        json,
        "{\"type\":\"stats\",\"id\":\"c\\\"1\",\"data\":{\"cpu\":{\"usage\":{\"total\":12,"
        "\"percpu\":[5,7],\"kernel\":0,\"user\":0},\"throttling\":{}},\"cpuset\":{"
        "\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,\"memory_migrate\":0,"
        "\"memory_spread_page\":0,\"memory_spread_slab\":0,\"memory_pressure\":0,"
        "\"sched_load_balance\":0,\"sched_relax_domain_level\":0},\"memory\":{\"usage\":"
        "{\"limit\":8192,\"usage\":4096,\"failcnt\":0},\"swap\":{\"limit\":0,\"failcnt\":0},"
        "\"kernel\":{\"limit\":0,\"failcnt\":0},\"kernelTCP\":{\"limit\":0,\"failcnt\":0},"
        "\"raw\":{\"cache\":0,\"rss\":18446744073709551615}},\"pids\":{\"current\":3},"
        "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":512}]},"
        "\"hugetlb\":{\"2MB\":{\"failcnt\":1}},\"intel_rdt\":{},\"network_interfaces\":null}}");
    ck_assert_uint_eq(len, strlen(json));
    free(json);
    ck_assert_int_eq(berth_event_json("oom", "c1", NULL, &json, &len, &err), 0);
    ck_assert_str_eq(json, "{\"type\":\"oom\",\"id\":\"c1\"}");
    free(json);
    /* nothing at all: the objects runc always prints are still there */
    st = (struct berth_cgroup_stats){0};
    ck_assert_int_eq(berth_event_json("stats", "c1", &st, &json, &len, &err), 0);
    ck_assert_ptr_nonnull(strstr(json, "\"blkio\":{},\"hugetlb\":{},\"intel_rdt\":{}"));
    free(json);
}
END_TEST

static Suite *cgroup_suite(void)
{
    Suite *s = suite_create("cgroup");
    TCase *conv = tcase_create("conversions");
    TCase *w = tcase_create("writers");
    TCase *c = tcase_create("cgroup");

    tcase_add_test(conv, test_shares_to_weight);
    tcase_add_test(conv, test_blkio_and_swap_conversions);
    tcase_add_test(conv, test_v2_device_program);
    tcase_add_test(conv, test_layout_parse);
    tcase_add_test(conv, test_load_rejects_garbage);
    tcase_add_test(conv, test_tables_cover_every_field);
    tcase_add_test(conv, test_field_get_set);
    tcase_add_test(conv, test_unsupported_per_version);
    tcase_add_test(conv, test_placeable_messages);
    tcase_add_test(conv, test_placeable_rootless);
    tcase_add_test(conv, test_event_json);
    suite_add_tcase(s, conv);
    tcase_add_checked_fixture(w, setup, teardown);
    tcase_add_test(w, test_v1_memory);
    tcase_add_test(w, test_v1_memory_missing_file_is_error_kmem_warns);
    tcase_add_test(w, test_v1_cpu_cpuset_pids);
    tcase_add_test(w, test_v1_cpuset_init_copies_parent);
    tcase_add_test(w, test_v1_blkio_hugetlb_net_rdma);
    tcase_add_test(w, test_v1_devices_and_freezer);
    tcase_add_test(w, test_v2_memory);
    tcase_add_test(w, test_v2_cpu_io_pids_hugetlb);
    tcase_add_test(w, test_v2_unified_enable_freeze);
    tcase_add_test(w, test_stats_v1_v2);
    tcase_add_test(w, test_state_frozen);
    suite_add_tcase(s, w);
    tcase_add_checked_fixture(c, fake_setup, teardown);
    tcase_add_test(c, test_create_destroy_records);
    tcase_add_test(c, test_join_existing_and_frozen);
    tcase_add_test(c, test_plan_make_and_join_handover);
    tcase_add_test(c, test_bad_paths_and_systemd);
    tcase_add_test(c, test_apply_checks_before_writing);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cgroup_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
