/* cgroup-v2.h: the unified (v2) hierarchy's writers. Each takes the fd of
 * the container's cgroup directory. Values the spec states in v1 terms are
 * converted the way runc and crun convert them (cgroup-resources.c); what
 * v2 cannot express is an error, never a silent skip. */
#ifndef BERTH_CGROUP_V2_H
#define BERTH_CGROUP_V2_H

#include <stdbool.h>

#include "util/context.h"
#include "util/error.h"
#include "oci-types.h"

/* unified: every key written as given (config-linux.md "Unified"). */
int berth_cgv2_unified(int dirfd, const oci_string_map *u, berth_error_t *err);

/* Enables `controller` in dirfd's cgroup.subtree_control unless already
 * there; an unknown controller is an error naming it. */
int berth_cgv2_enable(int dirfd, const char *controller, berth_error_t *err);

/* Enables every controller of dirfd's cgroup.controllers for its children
 * (what runc does for each level it creates). Best effort: a controller
 * that cannot be enabled shows up later as a missing file, naming it. */
int berth_cgv2_enable_all(int dirfd);

/* cgroup.freeze with a bounded wait on cgroup.events "frozen". */
int berth_cgv2_freeze(int dirfd, bool frozen, int timeout_ms, berth_error_t *err);
int berth_cgv2_is_frozen(int dirfd, bool *ret, berth_error_t *err);

/* cgroup-v2-devices.c: builds the eBPF device program (default deny, the
 * rules, then the defaults when with_defaults) and attaches it to the
 * cgroup of dirfd, replacing a program berth attached before. */
int berth_cgv2_devices(int dirfd, const oci_device_cgroup *d, size_t n, bool with_defaults,
                       berth_error_t *err);

/* Exposed for the unit tests: the program as BPF instructions. */
struct bpf_insn;
int berth_cgv2_devices_program(const oci_device_cgroup *d, size_t n, bool with_defaults,
                               struct bpf_insn **ret, size_t *ret_len, berth_error_t *err);

#endif
