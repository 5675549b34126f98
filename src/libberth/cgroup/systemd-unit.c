/* systemd-unit.c: unit name, cgroup path and unit properties of a container
 * under the systemd cgroup driver (systemd-unit.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup-internal.h"
#include "util/cleanup.h"
#include "systemd-unit.h"

#define SLICE_SUFFIX ".slice"
/* systemd's USEC_INFINITY / CGROUP_LIMIT_MAX */
#define SD_INFINITY        UINT64_MAX
#define DEFAULT_CPU_PERIOD 100000

/* ---- unit and path ------------------------------------------------------ */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int berth_sd_expand_slice(const char *slice, char **ret, berth_error_t *err)
{
    _cleanup_free_ char *name = NULL, *path = NULL;
    size_t len = strlen(slice), size, used = 0;
    char *save = NULL;

    if (!ends_with(slice, SLICE_SUFFIX) || strchr(slice, '/'))
        return berth_error_make(err, 0, "invalid slice name: %s", slice);
    name = strndup(slice, len - strlen(SLICE_SUFFIX));
    if (!name)
        return berth_error_make(err, ENOMEM, "slice name");
    if (strcmp(name, "-") == 0) {
        *ret = strdup("");
        return *ret ? 0 : berth_error_make(err, ENOMEM, "slice name");
    }
    /* "test--a.slice" and "-test.slice" are not slices (empty components):
     * checked before strtok_r, which would skip them. */
    if (!*name || name[0] == '-' || name[strlen(name) - 1] == '-' || strstr(name, "--"))
        return berth_error_make(err, 0, "invalid slice name: %s", slice);
    /* each level repeats the ones above: at most len^2 / 2 bytes */
    size = (len + 1) * (len + 1);
    path = calloc(1, size);
    if (!path)
        return berth_error_make(err, ENOMEM, "slice name");
    for (char *c = strtok_r(name, "-", &save); c; c = strtok_r(NULL, "-", &save)) {
        size_t plen = (size_t)(c - name); /* "a-b-" before this component */

        used +=
            (size_t)snprintf(path + used, size - used, "/%.*s%s" SLICE_SUFFIX, (int)plen, slice, c);
    }
    *ret = TAKE_PTR(path);
    return 0;
}

void berth_sd_unit_release(struct berth_sd_unit *u)
{
    free(u->slice);
    free(u->name);
    free(u->path);
    memset(u, 0, sizeof(*u));
}

int berth_sd_unit_parse(const char *cgroups_path, const char *id, bool user,
                        struct berth_sd_unit *ret, berth_error_t *err)
{
    const char *slice = user ? "user.slice" : "system.slice";
    _cleanup_free_ char *given = NULL, *parent = NULL;
    struct berth_sd_unit u = {0};
    char *prefix, *name;
    int r;

    if (!cgroups_path || !*cgroups_path) {
        if (asprintf(&given, "%s:berth:%s", slice, id) < 0)
            given = NULL;
    } else {
        given = strdup(cgroups_path);
    }
    if (!given)
        return berth_error_make(err, ENOMEM, "cgroupsPath");
    /* exactly three fields (runc's wording: engines match it) */
    prefix = strchr(given, ':');
    name = prefix ? strchr(prefix + 1, ':') : NULL;
    if (!name || strchr(name + 1, ':'))
        return berth_error_make(err, 0,
                                "expected cgroupsPath to be of format \"slice:prefix:name\" for "
                                "systemd cgroups, got \"%s\" instead",
                                cgroups_path);
    *prefix++ = '\0';
    *name++ = '\0';
    if (!*name)
        return berth_error_make(err, 0, "cgroupsPath \"%s\": the unit name is empty", cgroups_path);
    u.slice = strdup(*given ? given : slice);
    u.user = user;
    u.is_slice = ends_with(name, SLICE_SUFFIX);
    if (u.is_slice)
        u.name = strdup(name);
    else if (asprintf(&u.name, "%s%s%s.scope", prefix, *prefix ? "-" : "", name) < 0)
        u.name = NULL;
    if (!u.slice || !u.name) {
        berth_sd_unit_release(&u);
        return berth_error_make(err, ENOMEM, "cgroupsPath");
    }
    if (strchr(u.name, '/')) {
        berth_sd_unit_release(&u);
        return berth_error_make(err, 0, "cgroupsPath \"%s\": a unit name cannot contain '/'",
                                cgroups_path);
    }
    /* A slice unit's cgroup is where systemd puts it: its own expansion
     * (runc joins it to the parent's, which differs only when the two
     * disagree, and then systemd's is the one that exists). */
    r = berth_sd_expand_slice(u.is_slice ? u.name : u.slice, &parent, err);
    if (r == 0 && u.is_slice) {
        u.path = TAKE_PTR(parent);
    } else if (r == 0 && asprintf(&u.path, "%s/%s", parent, u.name) < 0) {
        u.path = NULL;
        r = berth_error_make(err, ENOMEM, "cgroupsPath");
    }
    if (r < 0) {
        berth_sd_unit_release(&u);
        return berth_error_wrap(err, "cgroupsPath \"%s\"", cgroups_path ? cgroups_path : "");
    }
    *ret = u;
    return 0;
}

/* ---- properties --------------------------------------------------------- */

void berth_sd_props_release(struct berth_sd_props *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

static int props_addv(struct berth_sd_props *p, const char *name, const char *fmt, va_list ap)
{
    _cleanup_free_ char *value = NULL;
    char **nv, *s;

    if (vasprintf(&value, fmt, ap) < 0)
        return -ENOMEM;
    if (!name)
        s = TAKE_PTR(value);
    else if (asprintf(&s, "%s=%s", name, value) < 0)
        return -ENOMEM;
    nv = realloc(p->v, (p->n + 1) * sizeof(*nv));
    if (!nv) {
        free(s);
        return -ENOMEM;
    }
    p->v = nv;
    p->v[p->n++] = s;
    return 0;
}

int berth_sd_props_add(struct berth_sd_props *p, const char *name, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = props_addv(p, name, fmt, ap);
    va_end(ap);
    return r;
}

#define ADD(p, err, name, ...)                                                                     \
    do {                                                                                           \
        if (berth_sd_props_add(p, name, __VA_ARGS__) < 0)                                          \
            return berth_error_make(err, ENOMEM, "systemd unit properties");                       \
    } while (0)

int berth_sd_props_unit(const struct berth_sd_unit *u, const char *id, pid_t pid, bool v2,
                        struct berth_sd_props *p, berth_error_t *err)
{
    /* the accounting that gives the same controllers as the cgroupfs
     * driver; without it systemd would not even create the cgroups of
     * the memory and pids controllers for the unit on v1 */
    static const char *const acct_v2[] = {"MemoryAccounting", "CPUAccounting", "IOAccounting",
                                          "TasksAccounting"};
    static const char *const acct_v1[] = {"MemoryAccounting", "CPUAccounting", "BlockIOAccounting",
                                          "TasksAccounting"};
    const char *const *acct = v2 ? acct_v2 : acct_v1;

    ADD(p, err, "Description", "s:berth container %s", id);
    if (u->is_slice) {
        /* a slice's parent is implied by its name; Wants= orders it */
        ADD(p, err, "Wants", "s:%s", u->slice);
    } else {
        ADD(p, err, "Slice", "s:%s", u->slice);
        /* the container manages its cgroup (its own sub-cgroups, the
         * controllers' files): systemd must not touch below the unit */
        ADD(p, err, "Delegate", "b:true");
    }
    if (pid > 0)
        ADD(p, err, "PIDs", "au:%d", (int)pid);
    for (size_t i = 0; i < 4; i++)
        ADD(p, err, acct[i], "b:true");
    ADD(p, err, "DefaultDependencies", "b:false");
    return 0;
}

int berth_sd_cpuset_mask(const char *list, char **ret_hex, berth_error_t *err)
{
    /* systemd takes at most 8192 cpus (its CPU_SET of a cpu_set_t array) */
    enum { MAX_BITS = 8192 };
    _cleanup_free_ uint8_t *bits = calloc(MAX_BITS / 8, 1);
    _cleanup_free_ char *hex = NULL;
    const char *s = list;
    size_t nbytes = 0;

    if (!bits)
        return berth_error_make(err, ENOMEM, "cpuset");
    while (*s) {
        char *end;
        unsigned long a, b;

        errno = 0;
        a = strtoul(s, &end, 10);
        if (end == s || errno || *s == '-' || *s == '+')
            goto bad;
        b = a;
        if (*end == '-') {
            s = end + 1;
            b = strtoul(s, &end, 10);
            if (end == s || errno || *s == '-' || *s == '+' || b < a)
                goto bad;
        }
        if (b >= MAX_BITS)
            goto bad;
        for (unsigned long i = a; i <= b; i++)
            bits[i / 8] |= (uint8_t)(1u << (i % 8));
        if (b / 8 + 1 > nbytes)
            nbytes = b / 8 + 1;
        s = end;
        if (*s == ',' && s[1])
            s++;
        else if (*s)
            goto bad;
    }
    if (nbytes == 0)
        goto bad;
    hex = malloc(nbytes * 2 + 1);
    if (!hex)
        return berth_error_make(err, ENOMEM, "cpuset");
    for (size_t i = 0; i < nbytes; i++)
        snprintf(hex + 2 * i, 3, "%02x", bits[i]);
    *ret_hex = TAKE_PTR(hex);
    return 0;
bad:
    return berth_error_make(err, 0, "invalid cpuset \"%s\"", list);
}

/* Parses a unified value: a number or "max" (SD_INFINITY). */
static int unified_u64(const char *key, const char *value, uint64_t *ret, berth_error_t *err)
{
    char *end;

    if (strcmp(value, "max") == 0) {
        *ret = SD_INFINITY;
        return 0;
    }
    errno = 0;
    *ret = strtoull(value, &end, 10);
    if (end == value || *end || errno || value[0] == '-')
        return berth_error_make(err, 0, "unified \"%s\": value \"%s\" is not a number or max", key,
                                value);
    return 0;
}

/* CPUQuotaPerSecUSec from quota/period (runc's addCPUQuota): rounded up to
 * the 10 ms systemd resolves, and *quota adjusted to match. */
static int cpu_quota(struct berth_sd_props *p, int64_t *quota, uint64_t period, berth_error_t *err)
{
    uint64_t per_sec = SD_INFINITY;

    if (period != 0)
        ADD(p, err, "CPUQuotaPeriodUSec@242", "t:%" PRIu64, period);
    if (*quota == 0 && period == 0)
        return 0;
    if (*quota > 0) {
        if (period == 0)
            period = DEFAULT_CPU_PERIOD;
        per_sec = (uint64_t)*quota * 1000000 / period;
        if (per_sec % 10000 != 0) {
            per_sec = (per_sec / 10000 + 1) * 10000;
            *quota = (int64_t)(per_sec * period / 1000000);
        }
    }
    ADD(p, err, "CPUQuotaPerSecUSec", "t:%" PRIu64, per_sec);
    return 0;
}

static int cpuset_prop(struct berth_sd_props *p, const char *name, const char *list,
                       berth_error_t *err)
{
    _cleanup_free_ char *hex = NULL;
    int r;

    if (!list || !*list)
        return 0;
    r = berth_sd_cpuset_mask(list, &hex, err);
    if (r < 0)
        return r;
    ADD(p, err, name, "ay:%s", hex);
    return 0;
}

static void fmt_limit(char *buf, size_t size, int64_t v)
{
    if (v < 0)
        snprintf(buf, size, "%" PRIu64, SD_INFINITY);
    else
        snprintf(buf, size, "%" PRId64, v);
}

/* The unified map's keys that systemd has a property for (v2 only). */
static int unified_props(const oci_string_map *u, struct berth_sd_props *p, bool create,
                         berth_error_t *err)
{
    static const struct {
        const char *key, *prop;
    } simple[] = {
        {"memory.max", "MemoryMax"},          {"memory.high", "MemoryHigh"},
        {"memory.low", "MemoryLow"},          {"memory.min", "MemoryMin"},
        {"memory.swap.max", "MemorySwapMax"}, {"pids.max", "TasksMax"},
        {"cpu.weight", "CPUWeight"},          {"io.weight", "IOWeight"},
    };
    int r;

    for (size_t i = 0; u->keys && i < u->len; i++) {
        const char *key = u->keys[i], *value = u->values[i];
        uint64_t v;
        size_t k;

        for (k = 0; k < sizeof(simple) / sizeof(simple[0]); k++)
            if (strcmp(key, simple[k].key) == 0)
                break;
        if (k < sizeof(simple) / sizeof(simple[0])) {
            /* io.weight may be "default 100" or per device: only a plain
             * number is a unit property */
            if (strcmp(key, "io.weight") == 0 && strspn(value, "0123456789") != strlen(value))
                continue;
            if ((r = unified_u64(key, value, &v, err)) < 0)
                return r;
            ADD(p, err, simple[k].prop, "t:%" PRIu64, v);
        } else if (strcmp(key, "cpu.max") == 0) {
            char q[32] = "";
            uint64_t period = 0;
            int64_t quota;
            int n = sscanf(value, "%31s %" SCNu64, q, &period);

            if (n < 1)
                return berth_error_make(err, 0, "unified \"cpu.max\": bad value \"%s\"", value);
            if ((r = unified_u64(key, q, &v, err)) < 0)
                return r;
            quota = v == SD_INFINITY ? -1 : (int64_t)v;
            if ((r = cpu_quota(p, &quota, n == 2 ? period : 0, err)) < 0)
                return r;
        } else if (strcmp(key, "cpuset.cpus") == 0 || strcmp(key, "cpuset.mems") == 0) {
            r = cpuset_prop(p, key[7] == 'c' ? "AllowedCPUs@244" : "AllowedMemoryNodes@244", value,
                            err);
            if (r < 0)
                return r;
        } else if (create && strcmp(key, "memory.oom.group") == 0) {
            /* only at creation: systemd refuses to change it on a scope */
            if (strcmp(value, "0") == 0)
                ADD(p, err, "OOMPolicy@253", "s:continue");
            else if (strcmp(value, "1") == 0)
                ADD(p, err, "OOMPolicy@253", "s:kill");
        }
    }
    return 0;
}

/* ---- devices ------------------------------------------------------------ */

/* The device rules reduced as the kernel's v1 controller would: a default
 * (allow or deny) and the exceptions. systemd expresses only a deny-all
 * default with allowed exceptions (DevicePolicy=strict plus DeviceAllow=),
 * or everything allowed (DevicePolicy=auto, no DeviceAllow). */
struct dev_rule {
    char type;            /* 'c', 'b', 'a' */
    int64_t major, minor; /* -1 = any */
    unsigned perms;       /* 1 r, 2 w, 4 m */
};

struct dev_emu {
    bool allow_default;
    struct dev_rule *r;
    size_t n;
};

static unsigned parse_perms(const char *access)
{
    unsigned p = 0;

    for (const char *c = access ? access : "rwm"; *c; c++)
        p |= *c == 'r' ? 1u : *c == 'w' ? 2u : *c == 'm' ? 4u : 0u;
    return p;
}

static bool covers(const struct dev_rule *a, const struct dev_rule *b)
{
    return (a->type == 'a' || a->type == b->type) && (a->major < 0 || a->major == b->major) &&
           (a->minor < 0 || a->minor == b->minor);
}

static int emu_apply(struct dev_emu *e, const oci_device_cgroup *d)
{
    struct dev_rule rule = {
        .type = d->type && *d->type ? d->type[0] : 'a',
        .major = d->major_present ? d->major : -1,
        .minor = d->minor_present ? d->minor : -1,
        .perms = parse_perms(d->access),
    };
    bool allow = d->allow;
    size_t i;

    if (rule.type == 'a' && rule.major < 0 && rule.minor < 0 && rule.perms == 7) {
        /* "a *:* rwm" resets the list, as the kernel does */
        e->allow_default = allow;
        e->n = 0;
        return 0;
    }
    if (allow == e->allow_default) {
        /* the default's own kind: takes back the exceptions it covers (a
         * deny under deny-all removes allowed permissions) */
        for (i = 0; i < e->n; i++)
            if (covers(&rule, &e->r[i]))
                e->r[i].perms &= ~rule.perms;
    } else {
        for (i = 0; i < e->n; i++)
            if (e->r[i].type == rule.type && e->r[i].major == rule.major &&
                e->r[i].minor == rule.minor)
                break;
        if (i < e->n) {
            e->r[i].perms |= rule.perms;
        } else {
            struct dev_rule *nr = realloc(e->r, (e->n + 1) * sizeof(*nr));

            if (!nr)
                return -ENOMEM;
            e->r = nr;
            e->r[e->n++] = rule;
        }
    }
    return 0;
}

static void perms_str(unsigned p, char out[4])
{
    size_t n = 0;

    if (p & 1)
        out[n++] = 'r';
    if (p & 2)
        out[n++] = 'w';
    if (p & 4)
        out[n++] = 'm';
    out[n] = '\0';
}

/* One DeviceAllow= entry of a rule in systemd's syntax (v240+):
 * /dev/char/M:m, char-M (any minor), char-* (any device of the type). */
static int allow_entry(FILE *f, const struct dev_rule *r, bool *first)
{
    static const char *const kinds[] = {"char", "block"};
    char perms[4];

    perms_str(r->perms, perms);
    if (!*perms || (r->major < 0 && r->minor >= 0))
        /* "*:n" has no systemd syntax: left to berth's own filter */
        return 0;
    for (size_t k = 0; k < 2; k++) {
        if (r->type != 'a' && r->type != kinds[k][0])
            continue;
        fputs(*first ? "" : ",", f);
        *first = false;
        if (r->major < 0)
            fprintf(f, "%s-* %s", kinds[k], perms);
        else if (r->minor < 0)
            fprintf(f, "%s-%" PRId64 " %s", kinds[k], r->major, perms);
        else
            fprintf(f, "/dev/%s/%" PRId64 ":%" PRId64 " %s", kinds[k], r->major, r->minor, perms);
    }
    return 0;
}

static int device_props(const oci_resources *res, struct berth_sd_props *p, berth_error_t *err)
{
    _cleanup_free_ char *list = NULL;
    struct dev_emu e = {.allow_default = false};
    size_t size = 0;
    bool first = true;
    FILE *f;
    int r = 0;

    /* the order berth writes them: the config's rules, then the defaults */
    for (size_t i = 0; r == 0 && res && i < res->devices_len; i++)
        r = emu_apply(&e, &res->devices[i]);
    for (size_t i = 0; r == 0 && i < berth_cg_ndefault_devices; i++)
        if (!e.allow_default)
            r = emu_apply(&e, &berth_cg_default_devices[i]);
    if (r < 0) {
        free(e.r);
        return berth_error_make(err, ENOMEM, "device properties");
    }
    /* an empty DeviceAllow= first clears what the unit had (update) */
    if (e.allow_default) {
        size_t denied = 0;

        for (size_t i = 0; i < e.n; i++)
            denied += e.r[i].perms != 0;
        free(e.r);
        ADD(p, err, "DeviceAllow", "a(ss):");
        /* everything allowed (privileged containers): systemd's "auto"
         * without exceptions. A deny list systemd cannot express: as
         * runc, its strict mode without exceptions, which fails closed
         * (a systemd that re-applies the unit denies every device rather
         * than allowing the denied ones); berth's filter is the exact one
         * until then. */
        ADD(p, err, "DevicePolicy", "s:%s", denied ? "strict" : "auto");
        return 0;
    }
    f = open_memstream(&list, &size);
    if (!f) {
        free(e.r);
        return berth_error_make(err, ENOMEM, "device properties");
    }
    for (size_t i = 0; i < e.n; i++)
        allow_entry(f, &e.r[i], &first);
    free(e.r);
    if (fclose(f) != 0)
        return berth_error_make(err, ENOMEM, "device properties");
    ADD(p, err, "DeviceAllow", "a(ss):");
    ADD(p, err, "DevicePolicy", "s:strict");
    if (*list)
        ADD(p, err, "DeviceAllow", "a(ss):%s", list);
    return 0;
}

/* ---- resources ---------------------------------------------------------- */

static int memory_props(const oci_memory *m, struct berth_sd_props *p, bool v2, berth_error_t *err)
{
    char buf[32];

    if (!m)
        return 0;
    if (m->limit_present && m->limit != 0) {
        fmt_limit(buf, sizeof(buf), m->limit);
        ADD(p, err, v2 ? "MemoryMax" : "MemoryLimit", "t:%s", buf);
    }
    if (!v2)
        return 0;
    if (m->reservation_present && m->reservation != 0) {
        fmt_limit(buf, sizeof(buf), m->reservation);
        ADD(p, err, "MemoryLow", "t:%s", buf);
    }
    if (m->swap_present && m->swap != 0) {
        int64_t swap;

        /* the same conversion as the file (an impossible pair is the
         * file writer's error, with its message) */
        if (berth_cg_swap_v2(m->swap, m->limit, m->limit_present, &swap) == 0) {
            fmt_limit(buf, sizeof(buf), swap);
            ADD(p, err, "MemorySwapMax", "t:%s", buf);
        }
    }
    return 0;
}

static int cpu_props(const oci_cpu *c, struct berth_sd_props *p, bool v2, int64_t *ret_quota,
                     berth_error_t *err)
{
    int r;

    if (!c)
        return 0;
    if (c->shares_present && c->shares != 0) {
        if (v2)
            ADD(p, err, "CPUWeight", "t:%" PRIu64, berth_cg_shares_to_weight(c->shares));
        else
            ADD(p, err, "CPUShares", "t:%" PRIu64, c->shares);
    }
    if ((c->quota_present && c->quota != 0) || (c->period_present && c->period != 0)) {
        int64_t quota = c->quota_present ? c->quota : 0;

        r = cpu_quota(p, &quota, c->period_present ? c->period : 0, err);
        if (r < 0)
            return r;
        if (c->quota_present && quota != c->quota)
            *ret_quota = quota;
    }
    if ((r = cpuset_prop(p, "AllowedCPUs@244", c->cpus, err)) < 0 ||
        (r = cpuset_prop(p, "AllowedMemoryNodes@244", c->mems, err)) < 0)
        return r;
    return 0;
}

int berth_sd_props_resources(const oci_resources *res, bool v2, bool create,
                             struct berth_sd_props *p, int64_t *ret_quota, berth_error_t *err)
{
    int r;

    *ret_quota = -2;
    if (res) {
        if ((r = memory_props(res->memory, p, v2, err)) < 0 ||
            (r = cpu_props(res->cpu, p, v2, ret_quota, err)) < 0)
            return r;
        if (res->pids && res->pids->limit_present) {
            char buf[32];

            /* systemd refuses TasksMax=0: 1, as the cgroupfs driver
             * writes (cgroup-rows.c) and runc does */
            fmt_limit(buf, sizeof(buf), res->pids->limit == 0 ? 1 : res->pids->limit);
            ADD(p, err, "TasksMax", "t:%s", buf);
        }
        if (res->blockIO && cg_weight_set(res->blockIO->weight_present, res->blockIO->weight)) {
            if (v2)
                ADD(p, err, "IOWeight", "t:%" PRIu64,
                    berth_cg_blkio_weight_to_io_weight(res->blockIO->weight));
            else
                ADD(p, err, "BlockIOWeight", "t:%u", (unsigned)res->blockIO->weight);
        }
        if (v2 && (r = unified_props(&res->unified, p, create, err)) < 0)
            return r;
    }
    if (create || (res && res->devices))
        return device_props(res, p, err);
    return 0;
}
