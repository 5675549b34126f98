/* cgroup-stats.c: reading usage statistics (events --stats) and the OOM
 * notification fd of both hierarchies. Missing files mean "not accounted
 * here" and leave the numbers at 0: statistics never fail a command over a
 * counter the kernel does not keep. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cgroup-internal.h"
#include "cgroup.h"
#include "util/cleanup.h"
#include "util/id-list.h"

static uint64_t get(int dirfd, const char *file)
{
    uint64_t v = 0;

    (void)cg_read_u64(dirfd, file, &v, NULL);
    return v;
}

static uint64_t keyed(int dirfd, const char *file, const char *key)
{
    uint64_t v = 0;

    (void)cg_read_keyed(dirfd, file, key, &v, NULL);
    return v;
}

static int add_raw(struct berth_cgroup_stats *st, const char *key, uint64_t value)
{
    struct berth_cgroup_kv *n = realloc(st->raw, (st->nraw + 1) * sizeof(*n));

    if (!n)
        return -ENOMEM;
    st->raw = n;
    if (!(n[st->nraw].key = strdup(key)))
        return -ENOMEM;
    n[st->nraw++].value = value;
    return 0;
}

/* fn on each line of file; a file the kernel does not keep (or cannot be
 * read) is -ENOENT and has no lines. fn's negative return stops the walk. */
static int for_each_line(int dirfd, const char *file, int (*fn)(char *line, void *data), void *data)
{
    _cleanup_free_ char *buf = NULL;
    char *save = NULL;
    int r;

    if (cg_read(dirfd, file, &buf, NULL) < 0)
        return -ENOENT;
    for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        if ((r = fn(l, data)) < 0)
            return r;
    return 0;
}

/* Statistics read from a missing file are 0: only -ENOMEM counts. */
static int lines(int dirfd, const char *file, int (*fn)(char *line, void *data), void *data)
{
    int r = for_each_line(dirfd, file, fn, data);

    return r == -ENOENT ? 0 : r;
}

static int raw_line(char *l, void *data)
{
    char key[128];
    unsigned long long v;

    if (sscanf(l, "%127s %llu", key, &v) == 2 && add_raw(data, key, v) < 0)
        return -ENOMEM;
    return 0;
}

static int read_raw(int dirfd, const char *file, struct berth_cgroup_stats *st)
{
    return lines(dirfd, file, raw_line, st);
}

static uint64_t raw_get(const struct berth_cgroup_stats *st, const char *key)
{
    for (size_t i = 0; i < st->nraw; i++)
        if (strcmp(st->raw[i].key, key) == 0)
            return st->raw[i].value;
    return 0;
}

static int add_blkio(struct berth_cgroup_blkio_entry **v, size_t *n, uint64_t major, uint64_t minor,
                     const char *op, uint64_t value)
{
    struct berth_cgroup_blkio_entry *nv = realloc(*v, (*n + 1) * sizeof(*nv));

    if (!nv)
        return -ENOMEM;
    *v = nv;
    nv[*n] = (struct berth_cgroup_blkio_entry){major, minor, op, value};
    (*n)++;
    return 0;
}

/* Page sizes the kernel has, in the "2MB" spelling of the control files. */
static int for_each_hugepage_size(int (*fn)(const char *size, void *data), void *data)
{
    _cleanup_closedir_ DIR *d = opendir("/sys/kernel/mm/hugepages");
    struct dirent *de;

    if (!d)
        return 0;
    while ((de = readdir(d))) {
        unsigned long long kb;
        char size[32];
        int r;

        if (sscanf(de->d_name, "hugepages-%llukB", &kb) != 1)
            continue;
        if (kb >= 1024 * 1024 && kb % (1024 * 1024) == 0)
            snprintf(size, sizeof(size), "%lluGB", kb / (1024 * 1024));
        else if (kb >= 1024 && kb % 1024 == 0)
            snprintf(size, sizeof(size), "%lluMB", kb / 1024);
        else
            snprintf(size, sizeof(size), "%lluKB", kb);
        if ((r = fn(size, data)) < 0)
            return r;
    }
    return 0;
}

struct huge_ctx {
    int dirfd;
    bool v2;
    struct berth_cgroup_stats *st;
};

static int huge_one(const char *size, void *data)
{
    struct huge_ctx *c = data;
    struct berth_cgroup_hugetlb *n = realloc(c->st->huge, (c->st->nhuge + 1) * sizeof(*n));
    char f[96];

    if (!n)
        return -ENOMEM;
    c->st->huge = n;
    n = &n[c->st->nhuge++];
    memset(n, 0, sizeof(*n));
    snprintf(n->size, sizeof(n->size), "%s", size);
    if (c->v2) {
        snprintf(f, sizeof(f), "hugetlb.%s.current", size);
        n->usage = get(c->dirfd, f);
        snprintf(f, sizeof(f), "hugetlb.%s.events", size);
        n->failcnt = keyed(c->dirfd, f, "max");
    } else {
        snprintf(f, sizeof(f), "hugetlb.%s.usage_in_bytes", size);
        n->usage = get(c->dirfd, f);
        snprintf(f, sizeof(f), "hugetlb.%s.max_usage_in_bytes", size);
        n->max = get(c->dirfd, f);
        snprintf(f, sizeof(f), "hugetlb.%s.failcnt", size);
        n->failcnt = get(c->dirfd, f);
    }
    return 0;
}

/* A counter of struct berth_cgroup_stats read from one file: the whole
 * file (key NULL) or one "key value" line of it, times scale. Each
 * hierarchy version has its table; the parsers below handle what is not
 * one number (per-cpu lists, blkio/io lines, memory.stat, hugetlb). */
struct cg_counter {
    const char *controller; /* NULL: a core file, always there */
    const char *file;
    const char *key;
    uint64_t scale;
    size_t off;
};

#define COUNTER(c, f, k, s, field)                                                                 \
    {                                                                                              \
        c, f, k, s, offsetof(struct berth_cgroup_stats, field)                                     \
    }

static void read_counters(const struct cg_counter *t, size_t n, const struct cg_dir *d, int dirfd,
                          struct berth_cgroup_stats *st)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t *v = (uint64_t *)((char *)st + t[i].off);

        if (t[i].controller && !cg_dir_has(d, t[i].controller))
            continue;
        *v = (t[i].key ? keyed(dirfd, t[i].file, t[i].key) : get(dirfd, t[i].file)) * t[i].scale;
    }
}

/* ---- v1 ----------------------------------------------------------------- */

static const struct cg_counter v1_counters[] = {
    COUNTER("cpuacct", "cpuacct.usage", NULL, 1, cpu_total),
    COUNTER("cpu", "cpu.stat", "nr_periods", 1, periods),
    COUNTER("cpu", "cpu.stat", "nr_throttled", 1, throttled_periods),
    COUNTER("cpu", "cpu.stat", "throttled_time", 1, throttled_time),
    COUNTER("memory", "memory.usage_in_bytes", NULL, 1, mem_usage),
    COUNTER("memory", "memory.max_usage_in_bytes", NULL, 1, mem_max),
    COUNTER("memory", "memory.limit_in_bytes", NULL, 1, mem_limit),
    COUNTER("memory", "memory.failcnt", NULL, 1, mem_failcnt),
    COUNTER("memory", "memory.memsw.usage_in_bytes", NULL, 1, swap_usage),
    COUNTER("memory", "memory.memsw.max_usage_in_bytes", NULL, 1, swap_max),
    COUNTER("memory", "memory.memsw.limit_in_bytes", NULL, 1, swap_limit),
    COUNTER("memory", "memory.memsw.failcnt", NULL, 1, swap_failcnt),
    COUNTER("memory", "memory.kmem.usage_in_bytes", NULL, 1, kmem_usage),
    COUNTER("memory", "memory.kmem.max_usage_in_bytes", NULL, 1, kmem_max),
    COUNTER("memory", "memory.kmem.limit_in_bytes", NULL, 1, kmem_limit),
    COUNTER("memory", "memory.kmem.failcnt", NULL, 1, kmem_failcnt),
    COUNTER("memory", "memory.oom_control", "oom_kill", 1, oom_kills),
    COUNTER("pids", "pids.current", NULL, 1, pids_current),
    COUNTER("pids", "pids.max", NULL, 1, pids_limit),
};

/* cpuacct.usage_all: "cpu user system", then one line per CPU (ns): runc's
 * percpu_user and percpu_kernel. */
static int percpu_modes_line(char *l, void *data)
{
    struct berth_cgroup_stats *st = data;
    unsigned long long cpu, user, sys;
    uint64_t *u, *k;

    if (sscanf(l, "%llu %llu %llu", &cpu, &user, &sys) != 3)
        return 0; /* the header */
    u = realloc(st->percpu_user, (st->npercpu_modes + 1) * sizeof(*u));
    if (u)
        st->percpu_user = u;
    k = realloc(st->percpu_kernel, (st->npercpu_modes + 1) * sizeof(*k));
    if (k)
        st->percpu_kernel = k;
    if (!u || !k)
        return -ENOMEM;
    u[st->npercpu_modes] = user;
    k[st->npercpu_modes++] = sys;
    return 0;
}

static int v1_percpu_modes(int dirfd, struct berth_cgroup_stats *st)
{
    return lines(dirfd, "cpuacct.usage_all", percpu_modes_line, st);
}

static int v1_cpuacct(int dirfd, struct berth_cgroup_stats *st)
{
    _cleanup_free_ char *percpu = NULL;
    long hz = sysconf(_SC_CLK_TCK);

    st->has_cpu = true;
    /* cpuacct.stat is in USER_HZ ticks; runc reports nanoseconds. */
    if (hz > 0) {
        st->cpu_user = keyed(dirfd, "cpuacct.stat", "user") * (1000000000ULL / (uint64_t)hz);
        st->cpu_kernel = keyed(dirfd, "cpuacct.stat", "system") * (1000000000ULL / (uint64_t)hz);
    }
    if (cg_read(dirfd, "cpuacct.usage_percpu", &percpu, NULL) == 0) {
        char *p = percpu, *end;

        for (;;) {
            unsigned long long v = strtoull(p, &end, 10);
            uint64_t *n;

            if (end == p)
                break;
            n = realloc(st->percpu, (st->npercpu + 1) * sizeof(*n));
            if (!n)
                return -ENOMEM;
            st->percpu = n;
            n[st->npercpu++] = v;
            p = end;
        }
    }
    return v1_percpu_modes(dirfd, st);
}

/* "0-3,7" as the list of ids runc's CPUSet carries. */
static int id_list(int dirfd, const char *file, uint16_t **ret, size_t *n)
{
    unsigned long mask[BERTH_MASK_WORDS(UINT16_MAX + 1)] = {0};
    _cleanup_free_ char *buf = NULL;
    const size_t word = sizeof(unsigned long) * 8;

    *n = 0;
    if (cg_read(dirfd, file, &buf, NULL) < 0)
        return 0;
    buf[strcspn(buf, "\n")] = '\0';
    if (!*buf || berth_id_list_parse(buf, mask, UINT16_MAX + 1, NULL) < 0)
        return 0; /* empty: no CPU or node assigned */
    for (size_t id = 0; id <= UINT16_MAX; id++) {
        uint16_t *v;

        if (!(mask[id / word] & (1UL << (id % word))))
            continue;
        if (!(v = realloc(*ret, (*n + 1) * sizeof(*v))))
            return -ENOMEM;
        *ret = v;
        v[(*n)++] = (uint16_t)id;
    }
    return 0;
}

static const struct cg_counter v1_cpuset_counters[] = {
    COUNTER("cpuset", "cpuset.cpu_exclusive", NULL, 1, cpuset.cpu_exclusive),
    COUNTER("cpuset", "cpuset.mem_hardwall", NULL, 1, cpuset.mem_hardwall),
    COUNTER("cpuset", "cpuset.mem_exclusive", NULL, 1, cpuset.mem_exclusive),
    COUNTER("cpuset", "cpuset.memory_migrate", NULL, 1, cpuset.memory_migrate),
    COUNTER("cpuset", "cpuset.memory_spread_page", NULL, 1, cpuset.memory_spread_page),
    COUNTER("cpuset", "cpuset.memory_spread_slab", NULL, 1, cpuset.memory_spread_slab),
    COUNTER("cpuset", "cpuset.memory_pressure", NULL, 1, cpuset.memory_pressure),
    COUNTER("cpuset", "cpuset.sched_load_balance", NULL, 1, cpuset.sched_load_balance),
};

/* runc's CPUSetStats (fs/cpuset.go GetStats): the settings of the v1
 * cpuset directory; sched_relax_domain_level is signed (-1: the
 * system's default). */
static int v1_cpuset(const struct cg_dir *d, int dirfd, struct berth_cgroup_stats *st)
{
    _cleanup_free_ char *level = NULL;
    int r;

    read_counters(v1_cpuset_counters, sizeof(v1_cpuset_counters) / sizeof(v1_cpuset_counters[0]), d,
                  dirfd, st);
    if (cg_read(dirfd, "cpuset.sched_relax_domain_level", &level, NULL) == 0)
        st->cpuset.sched_relax_domain_level = strtoll(level, NULL, 10);
    if ((r = id_list(dirfd, "cpuset.cpus", &st->cpuset.cpus, &st->cpuset.ncpus)) < 0)
        return r;
    return id_list(dirfd, "cpuset.mems", &st->cpuset.mems, &st->cpuset.nmems);
}

struct blkio_list {
    struct berth_cgroup_blkio_entry **v;
    size_t *n;
};

static int blkio_line(char *l, void *data)
{
    static const char *const ops[] = {"Read", "Write", "Sync", "Async", "Discard", "Total"};
    struct blkio_list *b = data;
    unsigned long long ma, mi, val;
    char op[16];

    if (sscanf(l, "%llu:%llu %15s %llu", &ma, &mi, op, &val) != 4)
        return 0;
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strcmp(op, ops[i]) == 0 && add_blkio(b->v, b->n, ma, mi, ops[i], val) < 0)
            return -ENOMEM;
    return 0;
}

static int v1_blkio(int dirfd, const char *file, struct berth_cgroup_blkio_entry **v, size_t *n)
{
    return lines(dirfd, file, blkio_line, &(struct blkio_list){v, n});
}

int cg_v1_stats(const struct cg_dir *d, int dirfd, struct berth_cgroup_stats *st,
                berth_error_t *err)
{
    int r = 0;

    read_counters(v1_counters, sizeof(v1_counters) / sizeof(v1_counters[0]), d, dirfd, st);
    if (cg_dir_has(d, "cpuacct"))
        r = v1_cpuacct(dirfd, st);
    if (r == 0 && cg_dir_has(d, "memory")) {
        st->has_memory = true;
        r = read_raw(dirfd, "memory.stat", st);
        st->mem_cache = raw_get(st, "cache");
    }
    st->has_pids |= cg_dir_has(d, "pids");
    if (r == 0 && cg_dir_has(d, "blkio")) {
        r = v1_blkio(dirfd, "blkio.throttle.io_service_bytes_recursive", &st->bytes, &st->nbytes);
        if (r == 0)
            r = v1_blkio(dirfd, "blkio.throttle.io_serviced_recursive", &st->ios, &st->nios);
    }
    if (r == 0 && cg_dir_has(d, "hugetlb"))
        r = for_each_hugepage_size(huge_one, &(struct huge_ctx){dirfd, false, st});
    if (r == 0 && cg_dir_has(d, "cpuset"))
        r = v1_cpuset(d, dirfd, st);
    return r < 0 ? berth_error_make(err, -r, "read statistics") : 0;
}

/* ---- v2 ----------------------------------------------------------------- */

/* cpu.stat's usage is core (on every cgroup2 directory), its throttling
 * needs the cpu controller but reads as 0 without it. */
static const struct cg_counter v2_cpu_counters[] = {
    COUNTER(NULL, "cpu.stat", "usage_usec", 1000, cpu_total),
    COUNTER(NULL, "cpu.stat", "user_usec", 1000, cpu_user),
    COUNTER(NULL, "cpu.stat", "system_usec", 1000, cpu_kernel),
    COUNTER(NULL, "cpu.stat", "nr_periods", 1, periods),
    COUNTER(NULL, "cpu.stat", "nr_throttled", 1, throttled_periods),
    COUNTER(NULL, "cpu.stat", "throttled_usec", 1000, throttled_time),
};

static const struct cg_counter v2_counters[] = {
    COUNTER("memory", "memory.current", NULL, 1, mem_usage),
    COUNTER("memory", "memory.peak", NULL, 1, mem_max),
    COUNTER("memory", "memory.max", NULL, 1, mem_limit),
    COUNTER("memory", "memory.events", "max", 1, mem_failcnt),
    COUNTER("memory", "memory.swap.current", NULL, 1, swap_usage),
    COUNTER("memory", "memory.swap.max", NULL, 1, swap_limit),
    COUNTER("memory", "memory.events", "oom_kill", 1, oom_kills),
    COUNTER("pids", "pids.current", NULL, 1, pids_current),
    COUNTER("pids", "pids.max", NULL, 1, pids_limit),
};

static int io_line(char *l, void *data)
{
    struct berth_cgroup_stats *st = data;
    unsigned long long ma, mi, rb = 0, wb = 0, ri = 0, wi = 0;
    char *p;
    int r = 0;

    if (sscanf(l, "%llu:%llu", &ma, &mi) != 2)
        return 0;
    if ((p = strstr(l, "rbytes=")))
        rb = strtoull(p + 7, NULL, 10);
    if ((p = strstr(l, "wbytes=")))
        wb = strtoull(p + 7, NULL, 10);
    if ((p = strstr(l, "rios=")))
        ri = strtoull(p + 5, NULL, 10);
    if ((p = strstr(l, "wios=")))
        wi = strtoull(p + 5, NULL, 10);
    if ((r = add_blkio(&st->bytes, &st->nbytes, ma, mi, "Read", rb)) < 0 ||
        (r = add_blkio(&st->bytes, &st->nbytes, ma, mi, "Write", wb)) < 0 ||
        (r = add_blkio(&st->ios, &st->nios, ma, mi, "Read", ri)) < 0 ||
        (r = add_blkio(&st->ios, &st->nios, ma, mi, "Write", wi)) < 0)
        return r;
    return 0;
}

static int v2_io(int dirfd, struct berth_cgroup_stats *st)
{
    return lines(dirfd, "io.stat", io_line, st);
}

/* "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" and a "full" line
 * (runc's statPSI): a file that is not there (no CONFIG_PSI, or
 * cgroup.pressure 0) leaves the resource without psi. */
static int psi_line(char *l, void *data)
{
    struct berth_cgroup_psi *psi = data;
    struct berth_cgroup_psi_data *p = strncmp(l, "some ", 5) == 0   ? &psi->some
                                      : strncmp(l, "full ", 5) == 0 ? &psi->full
                                                                    : NULL;
    unsigned long long total;

    if (p && sscanf(l + 5, "avg10=%lf avg60=%lf avg300=%lf total=%llu", &p->avg10, &p->avg60,
                    &p->avg300, &total) == 4)
        p->total = total;
    return 0;
}

static void v2_psi(int dirfd, const char *file, struct berth_cgroup_psi *psi)
{
    psi->present = for_each_line(dirfd, file, psi_line, psi) == 0;
}

int cg_v2_stats(const struct cg_dir *d, int dirfd, struct berth_cgroup_stats *st,
                berth_error_t *err)
{
    int r = 0;

    /* on hybrid hosts v1's cpuacct has counted already */
    if (!st->has_cpu && cg_has(dirfd, "cpu.stat")) {
        st->has_cpu = true;
        read_counters(v2_cpu_counters, sizeof(v2_cpu_counters) / sizeof(v2_cpu_counters[0]), d,
                      dirfd, st);
    }
    read_counters(v2_counters, sizeof(v2_counters) / sizeof(v2_counters[0]), d, dirfd, st);
    if (cg_dir_has(d, "memory")) {
        st->has_memory = true;
        /* runc's "swap" on v2 is memory+swap, as v1's memsw */
        st->swap_usage += st->mem_usage;
        r = read_raw(dirfd, "memory.stat", st);
        st->mem_cache = raw_get(st, "file");
    }
    st->has_pids |= cg_dir_has(d, "pids");
    if (r == 0 && cg_dir_has(d, "io"))
        r = v2_io(dirfd, st);
    if (r == 0 && cg_dir_has(d, "hugetlb"))
        r = for_each_hugepage_size(huge_one, &(struct huge_ctx){dirfd, true, st});
    /* runc reads each resource's pressure with its controller. */
    if (cg_dir_has(d, "cpu"))
        v2_psi(dirfd, "cpu.pressure", &st->cpu_psi);
    if (cg_dir_has(d, "memory"))
        v2_psi(dirfd, "memory.pressure", &st->mem_psi);
    if (cg_dir_has(d, "io"))
        v2_psi(dirfd, "io.pressure", &st->io_psi);
    return r < 0 ? berth_error_make(err, -r, "read statistics") : 0;
}

/* ---- OOM notification --------------------------------------------------- */

int berth_cgroup_oom_fd(struct berth_cgroup *cg, bool *ret_v2, berth_error_t *err)
{
    for (size_t i = 0; i < cg->n; i++) {
        const struct cg_dir *d = &cg->d[i];
        _cleanup_close_ int dfd = -1, efd = -1, ocfd = -1;
        int r;

        if (!cg_dir_has(d, "memory"))
            continue;
        dfd = cg_dir_open(d, err);
        if (dfd < 0)
            return dfd;
        *ret_v2 = d->v2;
        if (d->v2) {
            /* memory.events changes are notified with POLLPRI. */
            r = openat(dfd, "memory.events", O_RDONLY | O_CLOEXEC);
            return r < 0 ? berth_error_errno(err, "open `memory.events`") : r;
        }
        /* v1: register an eventfd for memory.oom_control. */
        efd = eventfd(0, EFD_CLOEXEC);
        ocfd = openat(dfd, "memory.oom_control", O_RDONLY | O_CLOEXEC);
        if (efd < 0 || ocfd < 0)
            return berth_error_errno(err, "open `memory.oom_control`");
        r = cg_writef(dfd, "cgroup.event_control", err, "%d %d", efd, ocfd);
        if (r < 0)
            return r;
        return TAKE_FD(efd);
    }
    return -1;
}
