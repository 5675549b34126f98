/* cmd-update.c: `berth update [--resources FILE|-] [runc's flags] ID`:
 * changes the resource limits of a running container. --resources reads a
 * LinuxResources JSON object (from stdin with "-", as containerd and docker
 * send it); the flags override what it sets. Every value is parsed and
 * validated before anything is written. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "container-cgroup.h"
#include "oci-types.h"

struct flags {
    const char *resources, *blkio_weight, *cpu_period, *cpu_quota, *cpu_burst, *cpu_rt_period,
        *cpu_rt_runtime, *cpu_shares, *cpu_share, *cpuset_cpus, *cpuset_mems, *kernel_memory,
        *kernel_memory_tcp, *memory, *memory_reservation, *memory_swap, *pids_limit, *l3, *mem_bw,
        *cpu_idle;
};

static int usage(const char *flag, const char *value, const char *what)
{
    fprintf(stderr, "berth update: invalid --%s `%s`: %s\n", flag, value, what);
    return 2;
}

/* runc takes byte sizes with units ("512m", "1g", "1024kb", "2GiB") and -1. */
static int parse_bytes(const char *flag, const char *s, int64_t *ret)
{
    static const char *const units = "bkmgt";
    char *end;
    const char *u;
    double v;

    if (strcmp(s, "-1") == 0) {
        *ret = -1;
        return 0;
    }
    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || v < 0)
        return usage(flag, s, "not a byte size (e.g. 512m, 1g, -1)");
    u = *end ? strchr(units, tolower((unsigned char)*end)) : units;
    if (!u || (*end && end[1] && strcasecmp(end + 1, "b") != 0 && strcasecmp(end + 1, "ib") != 0) ||
        (*end && tolower((unsigned char)*end) == 'b' && end[1]))
        return usage(flag, s, "unknown unit (b, k, m, g, t)");
    for (const char *p = units; p < u; p++)
        v *= 1024;
    if (v > 9.2e18)
        return usage(flag, s, "too large");
    *ret = (int64_t)v;
    return 0;
}

static int parse_i64(const char *flag, const char *s, int64_t min, int64_t *ret)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < min)
        return usage(flag, s, "not a valid integer");
    *ret = v;
    return 0;
}

static int parse_u64(const char *flag, const char *s, uint64_t *ret)
{
    int64_t v;
    int r = parse_i64(flag, s, 0, &v);

    if (r == 0)
        *ret = (uint64_t)v;
    return r;
}

static char *read_all(FILE *f, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0, n = 0, got;

    for (;;) {
        if (n + 4096 > cap) {
            char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);
            if (!nb || cap > (16u << 20)) {
                free(nb ? nb : buf);
                return NULL;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static oci_resources *load_resources(const char *file)
{
    _cleanup_free_ char *buf = NULL;
    struct oci_diags diags = {0};
    oci_resources *res;
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "re");
    char msg[512];
    size_t len = 0;

    if (!f) {
        fprintf(stderr, "berth update: open `%s`: %s\n", file, strerror(errno));
        return NULL;
    }
    buf = read_all(f, &len);
    if (f != stdin)
        fclose(f);
    if (!buf) {
        fprintf(stderr, "berth update: read `%s` failed\n", file);
        return NULL;
    }
    res = oci_parse(&oci_resources_desc, buf, len, &diags);
    if (!res)
        fprintf(stderr, "berth update: --resources `%s`: %s\n", file,
                oci_diags_first_error(&diags, msg, sizeof(msg)));
    oci_diags_clear(&diags);
    return res;
}

#define ENSURE(p)                                                                                  \
    do {                                                                                           \
        if (!(p) && !((p) = calloc(1, sizeof(*(p)))))                                              \
            return 1;                                                                              \
    } while (0)

static int apply_memory(const struct flags *fl, oci_resources *res)
{
    int64_t v;
    int r;

    if (!fl->memory && !fl->memory_swap && !fl->memory_reservation && !fl->kernel_memory &&
        !fl->kernel_memory_tcp)
        return 0;
    ENSURE(res->memory);
    if (fl->memory) {
        if ((r = parse_bytes("memory", fl->memory, &v)))
            return r;
        res->memory->limit = v;
        res->memory->limit_present = true;
    }
    if (fl->memory_swap) {
        if ((r = parse_bytes("memory-swap", fl->memory_swap, &v)))
            return r;
        res->memory->swap = v;
        res->memory->swap_present = true;
    }
    if (fl->memory_reservation) {
        if ((r = parse_bytes("memory-reservation", fl->memory_reservation, &v)))
            return r;
        res->memory->reservation = v;
        res->memory->reservation_present = true;
    }
    if (fl->kernel_memory) {
        if ((r = parse_bytes("kernel-memory", fl->kernel_memory, &v)))
            return r;
        res->memory->kernel = v;
        res->memory->kernel_present = true;
    }
    if (fl->kernel_memory_tcp) {
        if ((r = parse_bytes("kernel-memory-tcp", fl->kernel_memory_tcp, &v)))
            return r;
        res->memory->kernelTCP = v;
        res->memory->kernelTCP_present = true;
    }
    return 0;
}

static int apply_cpu(const struct flags *fl, oci_resources *res)
{
    const char *shares = fl->cpu_shares ? fl->cpu_shares : fl->cpu_share;
    oci_cpu *c;
    int64_t v;
    int r;

    if (!shares && !fl->cpu_period && !fl->cpu_quota && !fl->cpu_burst && !fl->cpu_rt_period &&
        !fl->cpu_rt_runtime && !fl->cpuset_cpus && !fl->cpuset_mems && !fl->cpu_idle)
        return 0;
    ENSURE(res->cpu);
    c = res->cpu;
    if (shares && (r = parse_u64("cpu-shares", shares, &c->shares)) == 0)
        c->shares_present = true;
    else if (shares)
        return r;
    if (fl->cpu_period && (r = parse_u64("cpu-period", fl->cpu_period, &c->period)) == 0)
        c->period_present = true;
    else if (fl->cpu_period)
        return r;
    if (fl->cpu_quota && (r = parse_i64("cpu-quota", fl->cpu_quota, -1, &c->quota)) == 0)
        c->quota_present = true;
    else if (fl->cpu_quota)
        return r;
    if (fl->cpu_burst && (r = parse_u64("cpu-burst", fl->cpu_burst, &c->burst)) == 0)
        c->burst_present = true;
    else if (fl->cpu_burst)
        return r;
    if (fl->cpu_rt_period &&
        (r = parse_u64("cpu-rt-period", fl->cpu_rt_period, &c->realtimePeriod)) == 0)
        c->realtimePeriod_present = true;
    else if (fl->cpu_rt_period)
        return r;
    if (fl->cpu_rt_runtime && (r = parse_i64("cpu-rt-runtime", fl->cpu_rt_runtime, 0, &v)) == 0) {
        c->realtimeRuntime = v;
        c->realtimeRuntime_present = true;
    } else if (fl->cpu_rt_runtime) {
        return r;
    }
    if (fl->cpu_idle && (r = parse_i64("cpu-idle", fl->cpu_idle, 0, &c->idle)) == 0)
        c->idle_present = true;
    else if (fl->cpu_idle)
        return r;
    if (fl->cpuset_cpus) {
        free(c->cpus);
        if (!(c->cpus = strdup(fl->cpuset_cpus)))
            return 1;
    }
    if (fl->cpuset_mems) {
        free(c->mems);
        if (!(c->mems = strdup(fl->cpuset_mems)))
            return 1;
    }
    return 0;
}

static int apply_flags(const struct flags *fl, oci_resources *res)
{
    int64_t v;
    int r;

    if ((r = apply_memory(fl, res)) || (r = apply_cpu(fl, res)))
        return r;
    if (fl->pids_limit) {
        if ((r = parse_i64("pids-limit", fl->pids_limit, -1, &v)))
            return r;
        ENSURE(res->pids);
        res->pids->limit = v;
        res->pids->limit_present = true;
    }
    if (fl->blkio_weight) {
        if ((r = parse_i64("blkio-weight", fl->blkio_weight, 0, &v)))
            return r;
        if (v != 0 && (v < 10 || v > 1000))
            return usage("blkio-weight", fl->blkio_weight, "must be 10..1000 (0 = unchanged)");
        if (v) {
            ENSURE(res->blockIO);
            res->blockIO->weight = (uint16_t)v;
            res->blockIO->weight_present = true;
        }
    }
    return 0;
}

int cmd_update(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("update");
    struct flags fl = {0};
    const struct cli_opt opts[] = {
        {"resources", 'r', CLI_OPT_STRING, &fl.resources, "FILE",
         "path to a JSON file with the resources to update, or - for stdin"},
        {"blkio-weight", 0, CLI_OPT_STRING, &fl.blkio_weight, "N", "block IO weight (10..1000)"},
        {"cpu-period", 0, CLI_OPT_STRING, &fl.cpu_period, "US", "CPU CFS period"},
        {"cpu-quota", 0, CLI_OPT_STRING, &fl.cpu_quota, "US", "CPU CFS quota"},
        {"cpu-burst", 0, CLI_OPT_STRING, &fl.cpu_burst, "US", "CPU CFS burst"},
        {"cpu-share", 0, CLI_OPT_STRING, &fl.cpu_share, "N", "CPU shares (relative weight)"},
        {"cpu-shares", 0, CLI_OPT_STRING, &fl.cpu_shares, "N", "same as --cpu-share"},
        {"cpu-rt-period", 0, CLI_OPT_STRING, &fl.cpu_rt_period, "US", "CPU realtime period"},
        {"cpu-rt-runtime", 0, CLI_OPT_STRING, &fl.cpu_rt_runtime, "US", "CPU realtime runtime"},
        {"cpu-idle", 0, CLI_OPT_STRING, &fl.cpu_idle, "0|1", "SCHED_IDLE for the cgroup"},
        {"cpuset-cpus", 0, CLI_OPT_STRING, &fl.cpuset_cpus, "LIST", "CPUs to use (0-3, 0,1)"},
        {"cpuset-mems", 0, CLI_OPT_STRING, &fl.cpuset_mems, "LIST", "memory nodes to use"},
        {"kernel-memory", 0, CLI_OPT_STRING, &fl.kernel_memory, "BYTES",
         "kernel memory limit (ignored by current kernels)"},
        {"kernel-memory-tcp", 0, CLI_OPT_STRING, &fl.kernel_memory_tcp, "BYTES",
         "kernel TCP buffer memory limit"},
        {"memory", 'm', CLI_OPT_STRING, &fl.memory, "BYTES", "memory limit (e.g. 512m, -1)"},
        {"memory-reservation", 0, CLI_OPT_STRING, &fl.memory_reservation, "BYTES",
         "memory soft limit"},
        {"memory-swap", 0, CLI_OPT_STRING, &fl.memory_swap, "BYTES",
         "total memory + swap limit; -1 for unlimited"},
        {"pids-limit", 0, CLI_OPT_STRING, &fl.pids_limit, "N", "maximum number of pids; -1"},
        {"l3-cache-schema", 0, CLI_OPT_STRING, &fl.l3, "SCHEMA", "Intel RDT L3 cache schema"},
        {"mem-bw-schema", 0, CLI_OPT_STRING, &fl.mem_bw, "SCHEMA",
         "Intel RDT memory bandwidth schema"},
    };
    berth_error_t err = NULL;
    oci_resources *res;
    char **args;
    int nargs;
    int r;

    r = cli_parse(cmd, opts, CLI_NOPTS(opts), argc, argv, &args, &nargs);
    if (r != 0)
        return r == 1 ? 0 : r;
    r = cli_nargs(cmd, nargs, 1, 1);
    if (r != 0)
        return r;
    if (fl.l3 || fl.mem_bw) {
        berth_error_make(&err, EOPNOTSUPP,
                         "update: Intel RDT (--l3-cache-schema, --mem-bw-schema) is not "
                         "supported by berth");
        return cli_fail(cli, &err);
    }
    res = fl.resources ? load_resources(fl.resources) : calloc(1, sizeof(*res));
    if (!res)
        return fl.resources ? 2 : 1;
    r = apply_flags(&fl, res);
    if (r == 0 && berth_container_update(&cli->ctx, args[0], res, &err) < 0)
        r = cli_fail(cli, &err);
    oci_free(&oci_resources_desc, res);
    return r;
}
