/* placement.h: where the container's processes run and allocate: the NUMA
 * memory policy (config-linux.md "Memory policy", set_mempolicy(2)) and the
 * CPU affinity (config.md "Linux Process" execCPUAffinity,
 * sched_setaffinity(2)). Both are inherited across fork and kept across
 * execve, so the process sets them on itself before execve. */
#ifndef BERTH_PLACEMENT_H
#define BERTH_PLACEMENT_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/error.h"
#include "util/id-list.h"
#include "oci-types.h"

/* The kernel's CPU masks hold at most 8192 CPUs (NR_CPUS). */
#define BERTH_CPU_BITS 8192

struct berth_cpu_mask {
    unsigned long bits[BERTH_MASK_WORDS(BERTH_CPU_BITS)];
};

/* set_mempolicy(mode | flags, nodes); a no-op without a policy. The mode
 * and flag names are those of oci_memory_policy_modes/_flags; a name this
 * table lacks is an error (berth_memory_policy_known). */
int berth_memory_policy_apply(const oci_memory_policy *m, berth_error_t *err);

/* Whether name is a mode (flag = false) or a flag berth can apply: the unit
 * test holds the spec's enums, which `features` lists, to this table. */
bool berth_memory_policy_known(const char *name, bool flag);

/* The caller's affinity to the CPU list cpus; field names the setting in
 * the error ("execCPUAffinity.final"). */
int berth_cpu_affinity_set(const char *cpus, const char *field, berth_error_t *err);

/* Every CPU the kernel may ever have: sched_setaffinity(2) narrows it to
 * the task's cpuset, so a process does not keep the affinity of whoever
 * started berth (a shim pinned to one CPU) but the container's cpuset, as
 * runc >= 1.2. Best effort, as runc: failing leaves the inherited mask. */
int berth_cpu_affinity_reset(void);

/* The caller's own affinity, to give it back after a child was cloned
 * with another (berth exec's execCPUAffinity.initial). -errno. */
int berth_cpu_affinity_get(struct berth_cpu_mask *m);
int berth_cpu_affinity_put(const struct berth_cpu_mask *m);

#endif
