/* events-json.c: the records of `berth events` through the JSON model: the
 * types of runc's events (types.go of runc's events: Event{type, id, data}
 * and Stats{cpu, memory, pids, blkio, hugetlb, intel_rdt,
 * network_interfaces}) as descriptor tables, filled from the cgroup
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

struct ev_cpu {
    struct ev_cpu_usage *usage;
    struct ev_throttling *throttling;
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

static const struct oci_field cpu_fields[] = {
    OCI_OBJ(struct ev_cpu, usage, cpu_usage_desc, 0),
    OCI_OBJ(struct ev_cpu, throttling, throttling_desc, 0),
};
static const struct oci_desc cpu_desc = OCI_DESC(struct ev_cpu, cpu_fields);

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
    always(&v->usage.kernel, &v->usage.kernel_present, st->cpu_kernel);
    always(&v->usage.user, &v->usage.user_present, st->cpu_user);
    omit(&v->throttling.periods, &v->throttling.periods_present, st->periods);
    omit(&v->throttling.throttledPeriods, &v->throttling.throttledPeriods_present,
         st->throttled_periods);
    omit(&v->throttling.throttledTime, &v->throttling.throttledTime_present, st->throttled_time);
    v->cpu = (struct ev_cpu){&v->usage, &v->throttling};

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
