/* events-json.c: the records of `berth events` through the JSON model: the
 * types of runc's events (types.go of runc's events: Event{type, id, data}
 * and Stats{cpu, cpuset, memory, pids, blkio, hugetlb, intel_rdt,
 * network_interfaces}, with the psi objects of cpu, memory and blkio) as
 * descriptor tables, filled from the cgroup
 * module's statistics and written by the engine (oci_emit), so escaping
 * and key order are the engine's.
 *
 * Go's omitempty: the members runc tags with it are present only when not
 * zero (the _present flags below say which); the others always are. */
#include "events-json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oci.h"
#include "util/cleanup.h"

struct ev_cpu_usage {
    uint64_t total;
    bool total_present;
    uint64_t *percpu;
    size_t percpu_len;
    uint64_t *percpu_kernel;
    size_t percpu_kernel_len;
    uint64_t *percpu_user;
    size_t percpu_user_len;
    uint64_t kernel;
    bool kernel_present;
    uint64_t user;
    bool user_present;
};

struct ev_throttling {
    uint64_t periods;
    bool periods_present;
    uint64_t throttledPeriods;
    bool throttledPeriods_present;
    uint64_t throttledTime;
    bool throttledTime_present;
};

/* PSIData, PSIStats: "some" and "full" are omitzero (left out when all
 * four numbers are 0), the psi object itself omitempty (no file). */
struct ev_psi_data {
    double avg10;
    bool avg10_present;
    double avg60;
    bool avg60_present;
    double avg300;
    bool avg300_present;
    uint64_t total;
    bool total_present;
};

struct ev_psi {
    struct ev_psi_data *some, *full;
};

struct ev_cpu {
    struct ev_cpu_usage *usage;
    struct ev_throttling *throttling;
    struct ev_psi *psi;
};

struct ev_cpuset {
    uint16_t *cpus;
    size_t cpus_len;
    uint64_t cpu_exclusive;
    bool cpu_exclusive_present;
    uint16_t *mems;
    size_t mems_len;
    uint64_t mem_hardwall;
    bool mem_hardwall_present;
    uint64_t mem_exclusive;
    bool mem_exclusive_present;
    uint64_t memory_migrate;
    bool memory_migrate_present;
    uint64_t memory_spread_page;
    bool memory_spread_page_present;
    uint64_t memory_spread_slab;
    bool memory_spread_slab_present;
    uint64_t memory_pressure;
    bool memory_pressure_present;
    uint64_t sched_load_balance;
    bool sched_load_balance_present;
    int64_t sched_relax_domain_level;
    bool sched_relax_domain_level_present;
};

struct ev_mem_entry {
    uint64_t limit;
    bool limit_present;
    uint64_t usage;
    bool usage_present;
    uint64_t max;
    bool max_present;
    uint64_t failcnt;
    bool failcnt_present;
};

struct ev_memory {
    uint64_t cache;
    bool cache_present;
    struct ev_mem_entry *usage, *swap, *kernel, *kernelTCP;
    OCI_MAP(uint64_t *) raw;
    struct ev_psi *psi;
};

struct ev_pids {
    uint64_t current;
    bool current_present;
    uint64_t limit;
    bool limit_present;
};

struct ev_blkio_entry {
    uint64_t major;
    bool major_present;
    uint64_t minor;
    bool minor_present;
    char *op;
    uint64_t value;
    bool value_present;
};

struct ev_blkio {
    struct ev_blkio_entry *ioServiceBytesRecursive;
    size_t ioServiceBytesRecursive_len;
    struct ev_blkio_entry *ioServicedRecursive;
    size_t ioServicedRecursive_len;
    struct ev_psi *psi;
};

struct ev_hugetlb {
    uint64_t usage;
    bool usage_present;
    uint64_t max;
    bool max_present;
    uint64_t failcnt;
    bool failcnt_present;
};

struct ev_empty {
    bool unused;
};

struct ev_stats {
    struct ev_cpu *cpu;
    struct ev_cpuset *cpuset;
    struct ev_memory *memory;
    struct ev_pids *pids;
    struct ev_blkio *blkio;
    OCI_MAP(struct ev_hugetlb *) hugetlb;
    struct ev_empty *intel_rdt;
    char **network_interfaces; /* never set: runc prints null */
    size_t network_interfaces_len;
};

struct ev_event {
    char *type;
    char *id;
    struct ev_stats *data;
};

#define U64(T, f) OCI_SCAL(T, f, OCI_UINT64, 0, NULL)

static const struct oci_field cpu_usage_fields[] = {
    U64(struct ev_cpu_usage, total),
    OCI_ARR(struct ev_cpu_usage, percpu, OCI_UINT64, 0),
    OCI_ARR(struct ev_cpu_usage, percpu_kernel, OCI_UINT64, 0),
    OCI_ARR(struct ev_cpu_usage, percpu_user, OCI_UINT64, 0),
    U64(struct ev_cpu_usage, kernel),
    U64(struct ev_cpu_usage, user),
};
static const struct oci_desc cpu_usage_desc = OCI_DESC(struct ev_cpu_usage, cpu_usage_fields);

static const struct oci_field throttling_fields[] = {
    U64(struct ev_throttling, periods),
    U64(struct ev_throttling, throttledPeriods),
    U64(struct ev_throttling, throttledTime),
};
static const struct oci_desc throttling_desc = OCI_DESC(struct ev_throttling, throttling_fields);

#define F64(T, f) OCI_SCAL(T, f, OCI_DOUBLE, 0, NULL)

static const struct oci_field psi_data_fields[] = {
    F64(struct ev_psi_data, avg10),
    F64(struct ev_psi_data, avg60),
    F64(struct ev_psi_data, avg300),
    U64(struct ev_psi_data, total),
};
static const struct oci_desc psi_data_desc = OCI_DESC(struct ev_psi_data, psi_data_fields);

static const struct oci_field psi_fields[] = {
    OCI_OBJ(struct ev_psi, some, psi_data_desc, 0),
    OCI_OBJ(struct ev_psi, full, psi_data_desc, 0),
};
static const struct oci_desc psi_desc = OCI_DESC(struct ev_psi, psi_fields);

static const struct oci_field cpu_fields[] = {
    OCI_OBJ(struct ev_cpu, usage, cpu_usage_desc, 0),
    OCI_OBJ(struct ev_cpu, throttling, throttling_desc, 0),
    OCI_OBJ(struct ev_cpu, psi, psi_desc, 0),
};
static const struct oci_desc cpu_desc = OCI_DESC(struct ev_cpu, cpu_fields);

static const struct oci_field cpuset_fields[] = {
    OCI_ARR(struct ev_cpuset, cpus, OCI_UINT16, 0),
    U64(struct ev_cpuset, cpu_exclusive),
    OCI_ARR(struct ev_cpuset, mems, OCI_UINT16, 0),
    U64(struct ev_cpuset, mem_hardwall),
    U64(struct ev_cpuset, mem_exclusive),
    U64(struct ev_cpuset, memory_migrate),
    U64(struct ev_cpuset, memory_spread_page),
    U64(struct ev_cpuset, memory_spread_slab),
    U64(struct ev_cpuset, memory_pressure),
    U64(struct ev_cpuset, sched_load_balance),
    OCI_SCAL(struct ev_cpuset, sched_relax_domain_level, OCI_INT64, 0, NULL),
};
static const struct oci_desc cpuset_desc = OCI_DESC(struct ev_cpuset, cpuset_fields);

static const struct oci_field mem_entry_fields[] = {
    U64(struct ev_mem_entry, limit),
    U64(struct ev_mem_entry, usage),
    U64(struct ev_mem_entry, max),
    U64(struct ev_mem_entry, failcnt),
};
static const struct oci_desc mem_entry_desc = OCI_DESC(struct ev_mem_entry, mem_entry_fields);

static const struct oci_field memory_fields[] = {
    U64(struct ev_memory, cache),
    OCI_OBJ(struct ev_memory, usage, mem_entry_desc, 0),
    OCI_OBJ(struct ev_memory, swap, mem_entry_desc, 0),
    OCI_OBJ(struct ev_memory, kernel, mem_entry_desc, 0),
    OCI_OBJ(struct ev_memory, kernelTCP, mem_entry_desc, 0),
    OCI_MAP_SCAL(struct ev_memory, raw, OCI_UINT64, 0),
    OCI_OBJ(struct ev_memory, psi, psi_desc, 0),
};
static const struct oci_desc memory_desc = OCI_DESC(struct ev_memory, memory_fields);

static const struct oci_field pids_fields[] = {
    U64(struct ev_pids, current),
    U64(struct ev_pids, limit),
};
static const struct oci_desc pids_desc = OCI_DESC(struct ev_pids, pids_fields);

static const struct oci_field blkio_entry_fields[] = {
    U64(struct ev_blkio_entry, major),
    U64(struct ev_blkio_entry, minor),
    OCI_STR(struct ev_blkio_entry, op, 0),
    U64(struct ev_blkio_entry, value),
};
static const struct oci_desc blkio_entry_desc = OCI_DESC(struct ev_blkio_entry, blkio_entry_fields);

static const struct oci_field blkio_fields[] = {
    OCI_ARR_OBJ(struct ev_blkio, ioServiceBytesRecursive, blkio_entry_desc, 0),
    OCI_ARR_OBJ(struct ev_blkio, ioServicedRecursive, blkio_entry_desc, 0),
    OCI_OBJ(struct ev_blkio, psi, psi_desc, 0),
};
static const struct oci_desc blkio_desc = OCI_DESC(struct ev_blkio, blkio_fields);

static const struct oci_field hugetlb_fields[] = {
    U64(struct ev_hugetlb, usage),
    U64(struct ev_hugetlb, max),
    U64(struct ev_hugetlb, failcnt),
};
static const struct oci_desc hugetlb_desc = OCI_DESC(struct ev_hugetlb, hugetlb_fields);

/* intel_rdt: an object with nothing in it (berth has no resctrl stats). */
static const struct oci_desc empty_desc = {"ev_empty", sizeof(struct ev_empty), NULL, 0, NULL};

static const struct oci_field stats_fields[] = {
    OCI_OBJ(struct ev_stats, cpu, cpu_desc, 0),
    OCI_OBJ(struct ev_stats, cpuset, cpuset_desc, 0),
    OCI_OBJ(struct ev_stats, memory, memory_desc, 0),
    OCI_OBJ(struct ev_stats, pids, pids_desc, 0),
    OCI_OBJ(struct ev_stats, blkio, blkio_desc, 0),
    OCI_MAP_OBJ(struct ev_stats, hugetlb, hugetlb_desc, 0),
    OCI_OBJ(struct ev_stats, intel_rdt, empty_desc, 0),
    {"network_interfaces", OCI_STRING, OCI_ARRAY, offsetof(struct ev_stats, network_interfaces),
     offsetof(struct ev_stats, network_interfaces_len), NULL, OCI_EMIT_NULL, NULL, NULL},
};
static const struct oci_desc stats_desc = OCI_DESC(struct ev_stats, stats_fields);

static const struct oci_field event_fields[] = {
    OCI_STR(struct ev_event, type, 0),
    OCI_STR(struct ev_event, id, 0),
    OCI_OBJ(struct ev_event, data, stats_desc, 0),
};
static const struct oci_desc event_desc = OCI_DESC(struct ev_event, event_fields);

/* The stats object of one record, everything in one allocation's worth of
 * locals: the views point into st, nothing is copied or freed but the
 * arrays made here. */
struct stats_view {
    struct ev_cpu_usage usage;
    struct ev_throttling throttling;
    struct ev_cpu cpu;
    struct ev_cpuset cpuset;
    struct ev_psi_data psi_data[6]; /* some, full of cpu, memory, io */
    struct ev_psi psi[3];
    struct ev_mem_entry mem[4];
    struct ev_memory memory;
    struct ev_pids pids;
    struct ev_blkio blkio;
    struct ev_empty rdt;
    struct ev_stats stats;
    /* owned */
    uint64_t **raw_values;
    char **raw_keys, **huge_keys;
    struct ev_hugetlb *huge;
    struct ev_hugetlb **huge_values;
    struct ev_blkio_entry *bytes, *ios;
};

static void stats_view_release(struct stats_view *v)
{
    free(v->raw_values);
    free(v->raw_keys);
    free(v->huge_keys);
    free(v->huge);
    free(v->huge_values);
    free(v->bytes);
    free(v->ios);
}

/* omitempty: present when not zero */
static void omit(uint64_t *dst, bool *present, uint64_t v)
{
    *dst = v;
    *present = v != 0;
}

static void always(uint64_t *dst, bool *present, uint64_t v)
{
    *dst = v;
    *present = true;
}

static void mem_entry(struct ev_mem_entry *e, uint64_t usage, uint64_t max, uint64_t limit,
                      uint64_t failcnt)
{
    always(&e->limit, &e->limit_present, limit);
    omit(&e->usage, &e->usage_present, usage);
    omit(&e->max, &e->max_present, max);
    always(&e->failcnt, &e->failcnt_present, failcnt);
}

/* NULL without the pressure file, as runc's nil *PSIStats. */
static struct ev_psi *psi_view(struct ev_psi *out, struct ev_psi_data *data,
                               const struct berth_cgroup_psi *in)
{
    const struct berth_cgroup_psi_data *src[2] = {&in->some, &in->full};
    struct ev_psi_data **dst[2] = {&out->some, &out->full};

    if (!in->present)
        return NULL;
    for (size_t i = 0; i < 2; i++) {
        const struct berth_cgroup_psi_data *p = src[i];
        if (p->avg10 == 0 && p->avg60 == 0 && p->avg300 == 0 && p->total == 0)
            continue; /* omitzero */
        data[i] =
            (struct ev_psi_data){p->avg10, true, p->avg60, true, p->avg300, true, p->total, true};
        *dst[i] = &data[i];
    }
    return out;
}

static void cpuset_view(struct ev_cpuset *v, const struct berth_cgroup_cpuset *c)
{
    v->cpus = c->ncpus ? c->cpus : NULL;
    v->cpus_len = c->ncpus;
    v->mems = c->nmems ? c->mems : NULL;
    v->mems_len = c->nmems;
    always(&v->cpu_exclusive, &v->cpu_exclusive_present, c->cpu_exclusive);
    always(&v->mem_hardwall, &v->mem_hardwall_present, c->mem_hardwall);
    always(&v->mem_exclusive, &v->mem_exclusive_present, c->mem_exclusive);
    always(&v->memory_migrate, &v->memory_migrate_present, c->memory_migrate);
    always(&v->memory_spread_page, &v->memory_spread_page_present, c->memory_spread_page);
    always(&v->memory_spread_slab, &v->memory_spread_slab_present, c->memory_spread_slab);
    always(&v->memory_pressure, &v->memory_pressure_present, c->memory_pressure);
    always(&v->sched_load_balance, &v->sched_load_balance_present, c->sched_load_balance);
    v->sched_relax_domain_level = c->sched_relax_domain_level;
    v->sched_relax_domain_level_present = true;
}

static struct ev_blkio_entry *blkio_list(const struct berth_cgroup_blkio_entry *e, size_t n)
{
    struct ev_blkio_entry *out = calloc(n ? n : 1, sizeof(*out));

    for (size_t i = 0; out && i < n; i++) {
        omit(&out[i].major, &out[i].major_present, e[i].major);
        omit(&out[i].minor, &out[i].minor_present, e[i].minor);
        out[i].op = (char *)e[i].op;
        omit(&out[i].value, &out[i].value_present, e[i].value);
    }
    return out;
}

static int stats_view_fill(struct stats_view *v, const struct berth_cgroup_stats *st)
{
    struct ev_stats *s = &v->stats;

    omit(&v->usage.total, &v->usage.total_present, st->cpu_total);
    v->usage.percpu = st->npercpu ? st->percpu : NULL;
    v->usage.percpu_len = st->npercpu;
    v->usage.percpu_kernel = st->npercpu_modes ? st->percpu_kernel : NULL;
    v->usage.percpu_kernel_len = st->npercpu_modes;
    v->usage.percpu_user = st->npercpu_modes ? st->percpu_user : NULL;
    v->usage.percpu_user_len = st->npercpu_modes;
    always(&v->usage.kernel, &v->usage.kernel_present, st->cpu_kernel);
    always(&v->usage.user, &v->usage.user_present, st->cpu_user);
    omit(&v->throttling.periods, &v->throttling.periods_present, st->periods);
    omit(&v->throttling.throttledPeriods, &v->throttling.throttledPeriods_present,
         st->throttled_periods);
    omit(&v->throttling.throttledTime, &v->throttling.throttledTime_present, st->throttled_time);
    v->cpu = (struct ev_cpu){&v->usage, &v->throttling,
                             psi_view(&v->psi[0], &v->psi_data[0], &st->cpu_psi)};
    v->memory.psi = psi_view(&v->psi[1], &v->psi_data[2], &st->mem_psi);
    v->blkio.psi = psi_view(&v->psi[2], &v->psi_data[4], &st->io_psi);
    cpuset_view(&v->cpuset, &st->cpuset);

    omit(&v->memory.cache, &v->memory.cache_present, st->mem_cache);
    mem_entry(&v->mem[0], st->mem_usage, st->mem_max, st->mem_limit, st->mem_failcnt);
    mem_entry(&v->mem[1], st->swap_usage, st->swap_max, st->swap_limit, st->swap_failcnt);
    mem_entry(&v->mem[2], st->kmem_usage, st->kmem_max, st->kmem_limit, st->kmem_failcnt);
    mem_entry(&v->mem[3], 0, 0, 0, 0);
    v->memory.usage = &v->mem[0];
    v->memory.swap = &v->mem[1];
    v->memory.kernel = &v->mem[2];
    v->memory.kernelTCP = &v->mem[3];
    if (st->nraw) {
        v->raw_keys = calloc(st->nraw, sizeof(char *));
        v->raw_values = calloc(st->nraw, sizeof(uint64_t *));
        if (!v->raw_keys || !v->raw_values)
            return -ENOMEM;
        for (size_t i = 0; i < st->nraw; i++) {
            v->raw_keys[i] = st->raw[i].key;
            v->raw_values[i] = (uint64_t *)&st->raw[i].value;
        }
        v->memory.raw.keys = v->raw_keys;
        v->memory.raw.values = v->raw_values;
        v->memory.raw.len = st->nraw;
    }

    omit(&v->pids.current, &v->pids.current_present, st->pids_current);
    /* pids.max "max" reads as UINT64_MAX; runc reports 0 for no limit. */
    omit(&v->pids.limit, &v->pids.limit_present, st->pids_limit == UINT64_MAX ? 0 : st->pids_limit);

    if (st->nbytes &&
        !(v->blkio.ioServiceBytesRecursive = v->bytes = blkio_list(st->bytes, st->nbytes)))
        return -ENOMEM;
    v->blkio.ioServiceBytesRecursive_len = st->nbytes;
    if (st->nios && !(v->blkio.ioServicedRecursive = v->ios = blkio_list(st->ios, st->nios)))
        return -ENOMEM;
    v->blkio.ioServicedRecursive_len = st->nios;

    /* hugetlb is always there, "{}" without sizes */
    v->huge_keys = calloc(st->nhuge ? st->nhuge : 1, sizeof(char *));
    v->huge_values = calloc(st->nhuge ? st->nhuge : 1, sizeof(*v->huge_values));
    v->huge = calloc(st->nhuge ? st->nhuge : 1, sizeof(*v->huge));
    if (!v->huge_keys || !v->huge_values || !v->huge)
        return -ENOMEM;
    for (size_t i = 0; i < st->nhuge; i++) {
        v->huge_keys[i] = (char *)st->huge[i].size;
        omit(&v->huge[i].usage, &v->huge[i].usage_present, st->huge[i].usage);
        omit(&v->huge[i].max, &v->huge[i].max_present, st->huge[i].max);
        always(&v->huge[i].failcnt, &v->huge[i].failcnt_present, st->huge[i].failcnt);
        v->huge_values[i] = &v->huge[i];
    }

    s->cpu = &v->cpu;
    s->cpuset = &v->cpuset;
    s->memory = &v->memory;
    s->pids = &v->pids;
    s->blkio = &v->blkio;
    s->hugetlb.keys = v->huge_keys;
    s->hugetlb.values = v->huge_values;
    s->hugetlb.len = st->nhuge;
    s->intel_rdt = &v->rdt;
    return 0;
}

int berth_event_json(const char *type, const char *id, const struct berth_cgroup_stats *st,
                     char **ret, size_t *ret_len, berth_error_t *err)
{
    __attribute__((cleanup(stats_view_release))) struct stats_view v = {0};
    struct ev_event ev = {(char *)type, (char *)id, NULL};

    if (st) {
        if (stats_view_fill(&v, st) < 0)
            return berth_error_make(err, ENOMEM, "events");
        ev.data = &v.stats;
    }
    *ret = oci_emit(&event_desc, &ev, false, ret_len);
    if (!*ret)
        return berth_error_make(err, EINVAL, "events: cannot encode the %s record of %s", type, id);
    return 0;
}
