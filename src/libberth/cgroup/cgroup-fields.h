/* cgroup-fields.h: the fields of linux.resources (config-linux.md
 * "Control groups"), one row each: the name the spec gives it, where the
 * value lives in oci_resources and when it counts as set.
 *
 * This is the vocabulary every table of the cgroup module speaks: the
 * per-version tables (cgroup-v1.c, cgroup-v2.c) say what each field
 * becomes on that hierarchy, `update` sets its flags through these rows,
 * and validation asks which fields a version cannot apply
 * (berth_cg_unsupported). It depends on nothing but the spec's types.
 */
#ifndef BERTH_CGROUP_FIELDS_H
#define BERTH_CGROUP_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oci-types.h"

/* Which object of linux.resources holds the field. */
enum berth_cg_group { CGG_RESOURCES, CGG_MEMORY, CGG_CPU, CGG_PIDS, CGG_BLKIO, CGG_NETWORK };

/* The C type of the value; CGT_COUNT: the length of a list or map (set
 * when not empty). */
enum berth_cg_type { CGT_I64, CGT_U64, CGT_U32, CGT_U16, CGT_BOOL, CGT_STR, CGT_COUNT };

/* When a present value still means "not set": the zero values Go engines
 * send for an unset field (runc skips them too). */
enum berth_cg_unset {
    CGU_NONE,   /* present is set */
    CGU_ZERO,   /* 0 is "not set" (cpu shares, quota, period, rt; blkio weights) */
    CGU_U64MAX, /* UINT64_MAX is Go's -1 (memory.swappiness) */
};

enum berth_cg_field_id {
    CGF_MEMORY_LIMIT,
    CGF_MEMORY_RESERVATION,
    CGF_MEMORY_SWAP,
    CGF_MEMORY_KERNEL,
    CGF_MEMORY_KERNEL_TCP,
    CGF_MEMORY_SWAPPINESS,
    CGF_MEMORY_DISABLE_OOM_KILLER,
    CGF_MEMORY_USE_HIERARCHY,
    CGF_MEMORY_CHECK_BEFORE_UPDATE,
    CGF_CPU_SHARES,
    CGF_CPU_QUOTA,
    CGF_CPU_BURST,
    CGF_CPU_PERIOD,
    CGF_CPU_RT_RUNTIME,
    CGF_CPU_RT_PERIOD,
    CGF_CPU_CPUS,
    CGF_CPU_MEMS,
    CGF_CPU_IDLE,
    CGF_PIDS_LIMIT,
    CGF_BLKIO_WEIGHT,
    CGF_BLKIO_LEAF_WEIGHT,
    CGF_BLKIO_WEIGHT_DEVICE,
    CGF_BLKIO_READ_BPS,
    CGF_BLKIO_WRITE_BPS,
    CGF_BLKIO_READ_IOPS,
    CGF_BLKIO_WRITE_IOPS,
    CGF_HUGEPAGE_LIMITS,
    CGF_NETWORK_CLASS_ID,
    CGF_NETWORK_PRIORITIES,
    CGF_RDMA,
    CGF_DEVICES,
    CGF_UNIFIED,
    CGF_N
};

#define CGF_NO_PRESENT SIZE_MAX

struct berth_cg_field {
    const char *name; /* "memory.swappiness": its path below linux.resources */
    enum berth_cg_group group;
    enum berth_cg_type type;
    enum berth_cg_unset unset;
    size_t off;         /* the value (the length of a list) in its group */
    size_t present_off; /* its _present flag, CGF_NO_PRESENT when none */
};

/* Indexed by enum berth_cg_field_id. */
extern const struct berth_cg_field berth_cg_fields[CGF_N];

/* A field's value; which member is meaningful follows the field's type
 * (i for I64, u for U64/U32/U16, b, s, n for COUNT). */
struct berth_cg_value {
    int64_t i;
    uint64_t u;
    bool b;
    const char *s;
    size_t n;
};

/* True when res sets the field (present, not its unset value, a string
 * or list not empty); *ret gets the value when ret is not NULL. */
bool berth_cg_field_get(const oci_resources *res, enum berth_cg_field_id id,
                        struct berth_cg_value *ret);

/* The value as text for messages ("60", "true", "0-3", "2 entries"). */
void berth_cg_field_format(const oci_resources *res, enum berth_cg_field_id id, char *buf,
                           size_t size);

/* Sets a scalar field (allocating its group object): v for the numbers
 * and booleans, s (copied) for a string. -ENOMEM, or -EINVAL for a list. */
int berth_cg_field_set(oci_resources *res, enum berth_cg_field_id id, int64_t v, const char *s);

/* Calls fn for each field that res sets and that cgroup v2 (v2 true) or
 * v1 cannot apply, with the reason from that version's table: refused
 * (warn false) or ignored with a warning (warn true). */
typedef void (*berth_cg_unsupported_fn)(enum berth_cg_field_id id, const char *why, bool warn,
                                        void *data);
void berth_cg_unsupported(bool v2, const oci_resources *res, berth_cg_unsupported_fn fn,
                          void *data);

#endif
