/* cmd-update.c: `berth update [--resources FILE|-] [runc's flags] ID`:
 * changes the resource limits of a running container. --resources reads a
 * LinuxResources JSON object (from stdin with "-", as containerd and docker
 * send it); the flags override what it sets. Every value is parsed and
 * validated before anything is written. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/cleanup.h"
#include "cgroup/cgroup.h"
#include "cli.h"
#include "commands.h"
#include "container/container.h"
#include "oci-types.h"

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

/* runc's update flags, one row each: the flag, its help, how its value
 * is parsed and the field of linux.resources it sets (cgroup-fields.h,
 * the rows the cgroup tables use). The option list and the parsing both
 * walk it. */
enum upd_kind {
    UPD_BYTES,        /* runc's byte sizes and -1 */
    UPD_NUM,          /* an integer >= min */
    UPD_STRING,       /* replaced */
    UPD_BLKIO_WEIGHT, /* 10..1000; 0 leaves it unchanged */
};

struct upd_field {
    const char *flag;
    char short_name;
    const char *metavar, *help;
    enum upd_kind kind;
    int64_t min;
    enum berth_cg_field_id field;
};

static const struct upd_field fields[] = {
    {"blkio-weight", 0, "N", "block IO weight (10..1000)", UPD_BLKIO_WEIGHT, 0, CGF_BLKIO_WEIGHT},
    {"cpu-period", 0, "US", "CPU CFS period", UPD_NUM, 0, CGF_CPU_PERIOD},
    {"cpu-quota", 0, "US", "CPU CFS quota", UPD_NUM, -1, CGF_CPU_QUOTA},
    {"cpu-burst", 0, "US", "CPU CFS burst", UPD_NUM, 0, CGF_CPU_BURST},
    /* --cpu-shares after --cpu-share: it wins when both are given */
    {"cpu-share", 0, "N", "CPU shares (relative weight)", UPD_NUM, 0, CGF_CPU_SHARES},
    {"cpu-shares", 0, "N", "same as --cpu-share", UPD_NUM, 0, CGF_CPU_SHARES},
    {"cpu-rt-period", 0, "US", "CPU realtime period", UPD_NUM, 0, CGF_CPU_RT_PERIOD},
    {"cpu-rt-runtime", 0, "US", "CPU realtime runtime", UPD_NUM, 0, CGF_CPU_RT_RUNTIME},
    {"cpu-idle", 0, "0|1", "SCHED_IDLE for the cgroup", UPD_NUM, 0, CGF_CPU_IDLE},
    {"cpuset-cpus", 0, "LIST", "CPUs to use (0-3, 0,1)", UPD_STRING, 0, CGF_CPU_CPUS},
    {"cpuset-mems", 0, "LIST", "memory nodes to use", UPD_STRING, 0, CGF_CPU_MEMS},
    {"kernel-memory", 0, "BYTES", "kernel memory limit (ignored by current kernels)", UPD_BYTES, 0,
     CGF_MEMORY_KERNEL},
    {"kernel-memory-tcp", 0, "BYTES", "kernel TCP buffer memory limit", UPD_BYTES, 0,
     CGF_MEMORY_KERNEL_TCP},
    {"memory", 'm', "BYTES", "memory limit (e.g. 512m, -1)", UPD_BYTES, 0, CGF_MEMORY_LIMIT},
    {"memory-reservation", 0, "BYTES", "memory soft limit", UPD_BYTES, 0, CGF_MEMORY_RESERVATION},
    {"memory-swap", 0, "BYTES", "total memory + swap limit; -1 for unlimited", UPD_BYTES, 0,
     CGF_MEMORY_SWAP},
    {"pids-limit", 0, "N", "maximum number of pids; -1", UPD_NUM, -1, CGF_PIDS_LIMIT},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* Parses one flag's value into its field: 0, 2 (usage, printed) or 1. */
static int set_field(const struct upd_field *f, const char *value, oci_resources *res)
{
    int64_t v = 0;
    int r = 0;

    switch (f->kind) {
    case UPD_BYTES:
        r = parse_bytes(f->flag, value, &v);
        break;
    case UPD_NUM:
    case UPD_BLKIO_WEIGHT:
        r = parse_i64(f->flag, value, f->min, &v);
        if (r == 0 && f->kind == UPD_BLKIO_WEIGHT && v != 0 && (v < 10 || v > 1000))
            return usage(f->flag, value, "must be 10..1000 (0 = unchanged)");
        if (f->kind == UPD_BLKIO_WEIGHT && v == 0)
            return r;
        break;
    case UPD_STRING:
        break;
    }
    if (r)
        return r;
    return berth_cg_field_set(res, f->field, v, value) < 0 ? 1 : 0;
}

int cmd_update(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("update");
    const char *value[NFIELDS] = {0}, *resources = NULL, *l3 = NULL, *mem_bw = NULL;
    struct cli_opt opts[NFIELDS + 3] = {
        {"resources", 'r', CLI_OPT_STRING, &resources, "FILE",
         "path to a JSON file with the resources to update, or - for stdin"},
    };
    size_t nopts = 1;

    for (size_t i = 0; i < NFIELDS; i++)
        opts[nopts++] = (struct cli_opt){fields[i].flag, fields[i].short_name, CLI_OPT_STRING,
                                         &value[i],      fields[i].metavar,    fields[i].help};
    opts[nopts++] = (struct cli_opt){"l3-cache-schema",          0, CLI_OPT_STRING, &l3, "SCHEMA",
                                     "Intel RDT L3 cache schema"};
    opts[nopts++] = (struct cli_opt){
        "mem-bw-schema", 0, CLI_OPT_STRING, &mem_bw, "SCHEMA", "Intel RDT memory bandwidth schema"};
    berth_error_t err = NULL;
    oci_resources *res;
    char **args;
    int nargs;
    int r;

    r = cli_args(cmd, opts, nopts, argc, argv, 1, 1, &args, &nargs);
    if (r != CLI_GO)
        return r;
    r = 0; /* the flags' values are parsed below */
    /* runc: the Intel RDT schemas after the cgroup resources */
    res = resources ? load_resources(resources) : calloc(1, sizeof(*res));
    if (!res)
        return resources ? 2 : 1;
    /* the flags override what --resources set */
    for (size_t i = 0; r == 0 && i < NFIELDS; i++)
        if (value[i])
            r = set_field(&fields[i], value[i], res);
    if (r == 0 && berth_container_update(&cli->ctx, args[0], res, &err) < 0)
        r = cli_fail(cli, &err);
    if (r == 0 && (l3 || mem_bw) &&
        berth_container_update_rdt(&cli->ctx, args[0], l3, mem_bw, &err) < 0)
        r = cli_fail(cli, &err);
    oci_free(&oci_resources_desc, res);
    return r;
}
