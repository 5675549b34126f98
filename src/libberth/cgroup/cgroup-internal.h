/* cgroup-internal.h: what the files of the cgroup module share (not a
 * public API: users include cgroup.h).
 *
 * Every cgroup file access goes through a directory fd, so the version
 * tables of cgroup-v1.c and cgroup-v2.c and their writers run unchanged
 * against a fake cgroupfs made of plain files in a temporary directory (the
 * unit tests do exactly that). Files are never created: a control file that does
 * not exist means the host cannot apply the value, which is an error that
 * names the file and the value (issue 5: no silent skips).
 */
#ifndef BERTH_CGROUP_INTERNAL_H
#define BERTH_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup-fields.h"
#include "util/context.h"
#include "util/error.h"
#include "oci-types.h"
#include "systemd-unit.h"

/* Writes value to dirfd/file (O_WRONLY, no O_CREAT, no O_TRUNC: cgroupfs
 * files take one write). Error: "write `file` = `value`: <errno text>". */
int cg_write(int dirfd, const char *file, const char *value, berth_error_t *err);
int cg_writef(int dirfd, const char *file, berth_error_t *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reads the whole of dirfd/file into a NUL-terminated buffer. */
int cg_read(int dirfd, const char *file, char **ret, berth_error_t *err);

/* Reads a single number; "max" (and v1's huge "unlimited" values stay as
 * they are) gives UINT64_MAX. */
int cg_read_u64(int dirfd, const char *file, uint64_t *ret, berth_error_t *err);

/* Looks `key` up in a "key value" per line file (memory.stat, cpu.stat,
 * cgroup.events); -ENOENT without setting *err when the key is absent. */
int cg_read_keyed(int dirfd, const char *file, const char *key, uint64_t *ret, berth_error_t *err);

/* True when dirfd/file exists. */
bool cg_has(int dirfd, const char *file);

/* Formats a memory value: -1 -> "-1" (v1) or "max" (v2). */
void cg_fmt_mem(char *buf, size_t size, int64_t v, bool v2);

/* Writes hugepageLimits to hugetlb.<size>.<limit_file>, and to
 * hugetlb.<size>.<rsvd_file> where the kernel accounts reservations
 * (config-linux.md "Huge page limits"). The file names differ between v1
 * (limit_in_bytes) and v2 (max); the rule does not. */
int cg_write_hugetlb(int dirfd, const oci_hugepage_limit *h, size_t n, const char *limit_file,
                     const char *rsvd_file, berth_error_t *err);

/* Writes rdma (the same rdma.max format on v1 and v2); a cg_row writer. */
int cg_write_rdma(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                  berth_error_t *err);

/* True when `item` is one of the `sep`-separated entries of list (a
 * trailing newline of an entry ignored). */
bool cg_list_has(const char *list, const char *item, char sep);

/* Reads the pids listed in dirfd/cgroup.procs of the cgroup and of every
 * cgroup below it; *ret is malloc'd. */
int cg_read_procs_recursive(int dirfd, pid_t **ret, size_t *ret_n, berth_error_t *err);

/* Conversions shared by the drivers (cgroup-resources.c). */
uint64_t berth_cg_shares_to_weight(uint64_t shares);
uint64_t berth_cg_blkio_weight_to_io_weight(uint64_t weight);
/* memory.swap.max from the spec's memory+swap value and the memory limit.
 * Returns 0 and *ret (-1 = max) or -EINVAL when swap < limit. */
int berth_cg_swap_v2(int64_t swap, int64_t limit, bool limit_present, int64_t *ret);

/* The default allowed devices of config-linux.md "Default Devices" (plus
 * /dev/pts), appended after the config's own rules as runc does. */
extern const oci_device_cgroup berth_cg_default_devices[];
extern const size_t berth_cg_ndefault_devices;

/* ---- the container's cgroup: one directory per hierarchy ---------------- */

struct berth_cgroup_stats;
struct cg_dir;
struct berth_cgroup;
struct cg_ops;

/* What one linux.resources field becomes on one hierarchy version. A
 * version's table (cgroup-v1.c, cgroup-v2.c) has a row for every field
 * (tests/unit/test-cgroup.c checks), in write order. */
enum cg_how {
    CGH_FILE,    /* `file` gets the value as `conv` says, when it is set */
    CGH_WRITER,  /* `write` writes it, and the CGH_BY rows of its group:
                  * values the kernel orders against each other, or
                  * lists, or a file chosen at run time */
    CGH_BY,      /* written by a writer row of its controller, or, without
                  * a controller, by cgroup.c (devices, unified) */
    CGH_NONE,    /* the version has no such knob: `why`; refused, or
                  * ignored with a warning when `warn` */
    CGH_NOTHING, /* nothing to do on this version (`why` in a comment) */
};

enum cg_conv {
    CGC_NUM,       /* the number as it is */
    CGC_MEM_V1,    /* bytes, -1 unlimited */
    CGC_MEM_V2,    /* bytes, -1 -> "max" */
    CGC_BOOL01,    /* "1" / "0" */
    CGC_STR,       /* the string */
    CGC_NEG_MAX,   /* a negative number -> "max", 0 -> "1" (pids: runc's) */
    CGC_CPU_WEIGHT /* cpu.shares -> cpu.weight (berth_cg_shares_to_weight) */
};

/* For a CGH_NONE row of a boolean: only the value that asks for what the
 * version lacks is refused (v2 is always hierarchical: useHierarchy true
 * asks for nothing). */
enum cg_when { CGW_SET, CGW_TRUE, CGW_FALSE };

typedef int (*cg_writer_fn)(int dirfd, const oci_resources *res, const struct berth_context *ctx,
                            berth_error_t *err);

struct cg_row {
    enum berth_cg_field_id field;
    enum cg_how how;
    const char *controller; /* that applies it; NULL: none of this version */
    const char *file;
    enum cg_conv conv;
    cg_writer_fn write;
    const char *why;
    bool warn;
    enum cg_when when;
};

#define CG_FILE(f, ctl, file_, conv_)                                                              \
    {                                                                                              \
        .field = (f), .how = CGH_FILE, .controller = (ctl), .file = (file_), .conv = (conv_)       \
    }
#define CG_WRITER(f, ctl, fn)                                                                      \
    {                                                                                              \
        .field = (f), .how = CGH_WRITER, .controller = (ctl), .write = (fn)                        \
    }
#define CG_BY(f, ctl)                                                                              \
    {                                                                                              \
        .field = (f), .how = CGH_BY, .controller = (ctl)                                           \
    }
#define CG_NONE(f, ctl, when_, why_)                                                               \
    {                                                                                              \
        .field = (f), .how = CGH_NONE, .controller = (ctl), .why = (why_), .when = (when_)         \
    }
#define CG_IGNORED(f, ctl, why_)                                                                   \
    {                                                                                              \
        .field = (f), .how = CGH_NONE, .controller = (ctl), .why = (why_), .warn = true            \
    }
#define CG_NOTHING(f)                                                                              \
    {                                                                                              \
        .field = (f), .how = CGH_NOTHING                                                           \
    }

/* Walks ops' rows for the directory d (open as dirfd): refuses what the
 * version lacks (before any write), then writes in table order the rows
 * of the controllers d drives. */
int cg_apply_rows(const struct cg_ops *ops, const struct cg_dir *d, int dirfd,
                  const oci_resources *res, const struct berth_context *ctx, berth_error_t *err);
/* The row is in force for res: its field is set and, for a CGH_NONE row of
 * a boolean, holds the value the version cannot give. */
bool cg_row_applies(const struct cg_row *row, const oci_resources *res);
/* Before anything is written: every field res sets must have a directory
 * whose version applies it (or has nothing to do for it); else the
 * version's reason, "controller not available", or, when the directory
 * that would take it is one of the `gone` ones a rootless berth could not
 * create, that (device rules excepted: runc ignores them rootless). */
int cg_rows_placeable(const struct cg_dir *dirs, size_t n, const struct cg_dir *gone, size_t ngone,
                      const oci_resources *res, berth_error_t *err);

/* The result of applying the device rules: rootless, a failure is dropped
 * with a debug note (runc's fs and fs2 managers: "errors from the device
 * subsystem are ignored, as it is really not expected to work"; an
 * unprivileged user may not load the v2 eBPF filter). */
int cg_devices_done(const struct berth_cgroup *cg, int r, berth_error_t *err);

/* The driver of one kind of hierarchy (cgroup-v1.c, cgroup-v2.c). */
struct cg_ops {
    const char *name; /* "v1", "v2" */
    const struct cg_row *rows;
    size_t nrows;
    /* Writes the resource groups this directory owns (cg_dir_has). */
    int (*apply)(const struct berth_cgroup *cg, const struct cg_dir *d, int dirfd,
                 const oci_resources *res, bool create, berth_error_t *err);
    int (*freeze)(int dirfd, bool frozen, int timeout_ms, berth_error_t *err);
    /* The file that says whether the cgroup is frozen, and how its text
     * says it: read by cg_read_frozen for pause, kill and status. */
    const char *frozen_file;
    bool (*frozen_text)(const char *text);
    /* cgroup.kill; NULL when the hierarchy has none */
    int (*kill)(int dirfd, berth_error_t *err);
    int (*stats)(const struct cg_dir *d, int dirfd, struct berth_cgroup_stats *st,
                 berth_error_t *err);
};

/* Whether the cgroup at dir (below dirfd; "." for dirfd itself) is frozen,
 * by ops->frozen_file: one open and one read, as status derivation runs
 * once per container in list. */
int cg_read_frozen(const struct cg_ops *ops, int dirfd, const char *dir, bool *ret,
                   berth_error_t *err);

extern const struct cg_ops berth_cg_ops_v1;
extern const struct cg_ops berth_cg_ops_v2;

struct cg_dir {
    const struct cg_ops *ops;
    bool v2;
    char *controllers; /* v1: "cpu,cpuacct"; v2: "hugetlb memory ..." */
    char *mount;       /* mount point of the hierarchy */
    char *path;        /* absolute directory of the container */
    char *created;     /* topmost directory berth created, NULL = none */
    bool devices;      /* v2: serves the device filter (no v1 devices) */
    bool freezer;      /* v2: serves freeze (no v1 freezer) */
    int fd;            /* path opened by create (O_DIRECTORY), -1 when not open */
};

struct berth_cgroup {
    const struct berth_context *ctx;
    char *path; /* the container's cgroup path as resolved, "/berth/ID" */
    struct cg_dir *d;
    size_t n;
    /* systemd driver: the container's unit (sd.name "berth-ID.scope",
     * NULL with the cgroupfs driver; sd.slice only from the plan: a loaded
     * state knows the name); unit_v2: systemd runs the unified layout (its
     * property names differ from v1's) */
    struct berth_sd_unit sd;
    bool unit_v2;
    /* the CPU quota systemd was given (rounded to its 10 ms), for the
     * files at create; -2: none */
    int64_t sd_quota;
    struct berth_sd_props sd_extra; /* org.systemd.property.* annotations */
    /* rootless (context.h) and the config names no cgroupsPath: a
     * hierarchy whose directory berth may not create is left out (runc's
     * rootless cgroups) and kept in `gone`, for the error when a resource
     * needs it */
    bool may_drop;
    struct cg_dir *gone;
    size_t ngone;
    /* loaded from create's first record (state.h "planned"): the
     * directories may not exist, and which of them berth made is unknown */
    bool planned;
};

/* ---- the systemd driver (cgroup-systemd.c) ------------------------------ */

/* Computes the unit of a container from cgroupsPath (systemd-unit.h) and
 * the cgroup path it gives, "/system.slice/berth-ID.scope". */
int cg_sd_plan(struct berth_cgroup *cg, const char *cgroups_path, const char *id, bool v2,
               char **ret_path, berth_error_t *err);
/* StartTransientUnit of the container's unit with pid and res, waiting
 * for systemd's job; nothing for a cgroupfs cgroup. */
int cg_sd_start(struct berth_cgroup *cg, const char *id, pid_t pid, const oci_resources *res,
                berth_error_t *err);
/* SetUnitProperties of res; *ret_quota as berth_sd_props_resources. */
int cg_sd_update(struct berth_cgroup *cg, const oci_resources *res, int64_t *ret_quota,
                 berth_error_t *err);
/* StopUnit (a unit already gone is fine). */
int cg_sd_stop(struct berth_cgroup *cg, berth_error_t *err);

/* True when the directory drives `controller` ("memory", "devices", ...). */
bool cg_dir_has(const struct cg_dir *d, const char *controller);

/* An fd of d->path (O_RDONLY|O_DIRECTORY|O_CLOEXEC) for the caller to close:
 * a dup of d->fd when create left it open (no kernfs path walk). */
int cg_dir_open(const struct cg_dir *d, berth_error_t *err);

/* Per-hierarchy statistics (cgroup-stats.c). */
int cg_v1_stats(const struct cg_dir *d, int dirfd, struct berth_cgroup_stats *st,
                berth_error_t *err);
int cg_v2_stats(const struct cg_dir *d, int dirfd, struct berth_cgroup_stats *st,
                berth_error_t *err);

/* blockIO weights: 0 is not a weight the kernel takes (10..1000) but the
 * zero value Go engines send for "not set" (docker: "blockIO":{"weight":0}
 * in every config and every `update`); runc skips it, and so does berth. */
static inline bool cg_weight_set(bool present, uint16_t weight)
{
    return present && weight != 0;
}

#endif
