/* placement.c: NUMA memory policy and CPU affinity (placement.h). */
#include "placement.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/id-list.h"

/* The kernel's MAX_NUMNODES is at most 1 << 10 (NODES_SHIFT): ids above,
 * like CPUs above BERTH_CPU_BITS, are refused as out of range rather than
 * handed to the kernel. */
#define NODE_BITS 1024

/* set_mempolicy(2) modes and flags (uapi/linux/mempolicy.h). */
struct mpol_name {
    const char *name;
    int value;
};

static const struct mpol_name mpol_modes[] = {
    {"MPOL_DEFAULT", 0},
    {"MPOL_PREFERRED", 1},
    {"MPOL_BIND", 2},
    {"MPOL_INTERLEAVE", 3},
    {"MPOL_LOCAL", 4},
    {"MPOL_PREFERRED_MANY", 5},
    {"MPOL_WEIGHTED_INTERLEAVE", 6},
};

static const struct mpol_name mpol_flags[] = {
    {"MPOL_F_NUMA_BALANCING", 1 << 13},
    {"MPOL_F_RELATIVE_NODES", 1 << 14},
    {"MPOL_F_STATIC_NODES", 1 << 15},
};

#define LOOKUP(t, name) lookup((t), sizeof(t) / sizeof((t)[0]), (name))

static int lookup(const struct mpol_name *t, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(name, t[i].name) == 0)
            return t[i].value;
    return -1;
}

bool berth_memory_policy_known(const char *name, bool flag)
{
    return (flag ? LOOKUP(mpol_flags, name) : LOOKUP(mpol_modes, name)) >= 0;
}

int berth_memory_policy_apply(const oci_memory_policy *m, berth_error_t *err)
{
    unsigned long nodes[BERTH_MASK_WORDS(NODE_BITS)] = {0};
    const char *list = m && m->nodes && *m->nodes ? m->nodes : NULL;
    unsigned long bad = 0;
    int mode, r;

    if (!m)
        return 0;
    if ((mode = LOOKUP(mpol_modes, m->mode)) < 0)
        return berth_error_make(err, 0, "memoryPolicy: invalid memory policy mode `%s`",
                                m->mode ? m->mode : "");
    for (size_t i = 0; i < m->flags_len; i++) {
        int f = LOOKUP(mpol_flags, m->flags[i]);
        if (f < 0)
            return berth_error_make(err, 0, "memoryPolicy: invalid memory policy flag `%s`",
                                    m->flags[i]);
        mode |= f;
    }
    if (list && (r = berth_id_list_parse(list, nodes, NODE_BITS, &bad)) < 0)
        return r == -ERANGE ? berth_error_make(err, 0,
                                               "memoryPolicy: invalid memory policy node %lu in "
                                               "`%s`: a kernel has at most %d nodes",
                                               bad, list, NODE_BITS)
                            : berth_error_make(
                                  err, 0, "memoryPolicy: invalid memory policy nodes `%s`", list);
    /* maxnode counts one more than the bits the kernel reads (it drops the
     * last one: the historic off-by-one of get_nodes() in mm/mempolicy.c). */
    if (syscall(SYS_set_mempolicy, mode, list ? nodes : NULL, list ? NODE_BITS + 1 : 0) < 0)
        return berth_error_errno(err, "memoryPolicy: set_mempolicy %s nodes `%s`", m->mode,
                                 list ? list : "");
    return 0;
}

int berth_cpu_affinity_set(const char *cpus, const char *field, berth_error_t *err)
{
    struct berth_cpu_mask m = {{0}};
    unsigned long bad = 0;
    int r = berth_id_list_parse(cpus, m.bits, BERTH_CPU_BITS, &bad);

    if (r == -ERANGE)
        return berth_error_make(err, 0, "%s: CPU %lu in `%s`: a kernel has at most %d CPUs", field,
                                bad, cpus, BERTH_CPU_BITS);
    if (r < 0)
        return berth_error_make(err, 0, "%s: `%s` is not a CPU list such as \"0-3,7\"", field,
                                cpus ? cpus : "");
    if (sched_setaffinity(0, sizeof(m.bits), (cpu_set_t *)m.bits) < 0)
        return berth_error_errno(err, "%s: sched_setaffinity `%s`", field, cpus);
    return 0;
}

int berth_cpu_affinity_get(struct berth_cpu_mask *m)
{
    memset(m->bits, 0, sizeof(m->bits));
    return sched_getaffinity(0, sizeof(m->bits), (cpu_set_t *)m->bits) < 0 ? -errno : 0;
}

int berth_cpu_affinity_put(const struct berth_cpu_mask *m)
{
    return sched_setaffinity(0, sizeof(m->bits), (const cpu_set_t *)m->bits) < 0 ? -errno : 0;
}

int berth_cpu_affinity_reset(void)
{
    struct berth_cpu_mask m;

    memset(m.bits, 0xff, sizeof(m.bits));
    return berth_cpu_affinity_put(&m);
}
