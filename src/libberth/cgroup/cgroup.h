/* cgroup.h: berth's cgroup sub-library: the cgroupfs drivers (v1, v2,
 * hybrid) and the systemd driver (--systemd-cgroup, cgroup-systemd.c).
 *
 * The module owns: detecting the host's layout at run time (legacy v1,
 * hybrid v1 + /sys/fs/cgroup/unified, or unified v2), computing the
 * container's cgroup from linux.cgroupsPath, creating it (and remembering
 * what it created, so that destroy never removes a cgroup berth did not
 * make), moving processes in, applying linux.resources, freezing,
 * signalling every process, statistics, and removal.
 *
 * In a hybrid layout every controller is driven where it really is: the v1
 * hierarchies for the controllers mounted there, the cgroup2 mount for the
 * rest (here: hugetlb), and the cgroup2 directory also serves cgroup.kill
 * and, when no v1 devices/freezer hierarchy exists, the eBPF device filter
 * and cgroup.freeze.
 *
 * Every driver sits behind the same calls; which one a container has is
 * decided once, by berth_cgroup_plan() (--systemd-cgroup), and recorded.
 * Each hierarchy version has one table with a row for every field of
 * linux.resources (cgroup-fields.h names them): its controller, file and
 * conversion, or the writer that orders several values, or why the
 * version cannot apply it (cgroup-v1.c, cgroup-v2.c; cgroup-rows.c walks
 * them, refusing before the first write). systemd gets the properties it
 * has first (systemd-unit.c), then the same files.
 *
 * Lifecycle, as create/delete/kill use it:
 *   berth_cgroup_plan()        -> struct berth_cgroup *cg (nothing made)
 *   berth_cgroup_before_clone() / _after_clone()  the directories (and
 *                              the systemd unit) around the init's clone
 *   berth_cgroup_create()      plan + make in one (restore, tests)
 *   berth_cgroup_apply(res)    resources (before the user process runs)
 *   berth_cgroup_join_*()      the new child enters it by itself
 *                              (cgroup-join.h); berth_cgroup_enter(pid)
 *                              moves another process (the slow way)
 *   berth_cgroup_record()      -> the state's record; _load() back
 *   berth_cgroup_kill_all(), _freeze(), _stats(), _destroy()
 */
#ifndef BERTH_CGROUP_H
#define BERTH_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/context.h"
#include "util/error.h"
#include "oci-types.h"
#include "state/state.h"

enum berth_cgroup_mode {
    BERTH_CGROUP_NONE,    /* no cgroupfs mounted */
    BERTH_CGROUP_LEGACY,  /* v1 only */
    BERTH_CGROUP_HYBRID,  /* v1 plus a cgroup2 mount beside them */
    BERTH_CGROUP_UNIFIED, /* cgroup2 at the cgroup root */
};

/* One mounted hierarchy of the host. */
struct berth_cgroup_hier {
    bool v2;
    char *mount;       /* mount point, e.g. /sys/fs/cgroup/memory */
    char *root;        /* mountinfo "root" of the mount (usually "/") */
    char *controllers; /* v1: "cpu,cpuacct"; v2: cgroup.controllers, space separated */
    char *own;         /* our process's cgroup in it, from /proc/self/cgroup */
};

struct berth_cgroup_layout {
    enum berth_cgroup_mode mode;
    struct berth_cgroup_hier *h;
    size_t n;
};

/* Pure parser (unit-tested): builds the layout from the text of
 * /proc/self/mountinfo and /proc/self/cgroup. v2 controllers stay NULL. */
int berth_cgroup_layout_parse(const char *mountinfo, const char *self_cgroup,
                              struct berth_cgroup_layout **ret, berth_error_t *err);
/* The host's layout, with the v2 controllers read from the mount. */
int berth_cgroup_layout_detect(struct berth_cgroup_layout **ret, berth_error_t *err);
void berth_cgroup_layout_free(struct berth_cgroup_layout *l);

/* True when the hierarchy carries the controller. */
bool berth_cgroup_hier_has(const struct berth_cgroup_hier *h, const char *controller);

/* The container's cgroup (opaque). */
struct berth_cgroup;

/* Resolves and creates the cgroup of a container. cgroups_path as in
 * config-linux.md "Cgroups Path": absolute (relative to each mount point),
 * relative (to berth's own cgroup in each hierarchy), or NULL (default
 * /berth/<id>). Creates the missing directories and records them; joining
 * an existing directory is allowed, a frozen one is refused. With
 * ctx->systemd_cgroup, cgroupsPath is "slice:prefix:name" (systemd-unit.h)
 * and the cgroup is that of the unit: berth_cgroup_systemd_start() must
 * create the unit before the directories are made. */
int berth_cgroup_create(const struct berth_context *ctx, const char *cgroups_path, const char *id,
                        struct berth_cgroup **ret, berth_error_t *err);

/* create in two steps, so that the directories can be made while the
 * container's init already sets itself up: _plan computes the directories
 * (no side effect), _make makes those of one kind: v2 (the cgroup2 one,
 * needed by clone3 CLONE_INTO_CGROUP) or v1 (the rest, then the frozen
 * check). A failed _make leaves what it made for berth_cgroup_destroy. */
int berth_cgroup_plan(const struct berth_context *ctx, const char *cgroups_path, const char *id,
                      struct berth_cgroup **ret, berth_error_t *err);
int berth_cgroup_plan_in(const struct berth_context *ctx, const struct berth_cgroup_layout *layout,
                         const char *cgroups_path, const char *id, struct berth_cgroup **ret,
                         berth_error_t *err);
int berth_cgroup_make(struct berth_cgroup *cg, bool v2, berth_error_t *err);

#define BERTH_SD_PROPERTY_PREFIX "org.systemd.property."

/* The systemd driver: the config's org.systemd.property.NAME annotations
 * as further properties of the unit (runc's; systemd-unit.h), checked
 * now, before anything is made. The cgroupfs driver ignores them, as runc. */
int berth_cgroup_unit_annotations(struct berth_cgroup *cg, const oci_string_map *annotations,
                                  berth_error_t *err);

/* Same over an explicit layout (the unit tests pass a fake one). */
int berth_cgroup_create_in(const struct berth_context *ctx,
                           const struct berth_cgroup_layout *layout, const char *cgroups_path,
                           const char *id, struct berth_cgroup **ret, berth_error_t *err);

/* The container's directory in one hierarchy: path (e.g.
 * "/sys/fs/cgroup/memory/berth/ID") below the hierarchy mounted at mount. */
struct berth_cgroup_dir_ref {
    const char *mount;
    const char *path;
    bool v2;
};

/* One ref per hierarchy, borrowing cg's strings (valid while cg lives);
 * *ret is malloc'd. */
int berth_cgroup_dir_refs(const struct berth_cgroup *cg, struct berth_cgroup_dir_ref **ret,
                          size_t *ret_n, berth_error_t *err);

/* Closes the directory fds create keeps open for apply and join (a clone
 * must not inherit them). */
void berth_cgroup_close_fds(struct berth_cgroup *cg);

/* Moves pid into the container's cgroup in every hierarchy. */
int berth_cgroup_enter(struct berth_cgroup *cg, pid_t pid, berth_error_t *err);

/* Applies resources. The device list is written (deny all, the rules, then
 * the spec's default devices) always at create, and at update only when
 * res->devices is given. */
int berth_cgroup_apply(struct berth_cgroup *cg, const oci_resources *res, bool create,
                       berth_error_t *err);

/* Freezes (true) or thaws, waiting until the kernel reports it done
 * (bounded: -ETIMEDOUT rather than a hang). */
int berth_cgroup_freeze(struct berth_cgroup *cg, bool frozen, berth_error_t *err);
/* True when frozen or being frozen. */
int berth_cgroup_is_frozen(struct berth_cgroup *cg, bool *ret, berth_error_t *err);

/* Sends signo to every process of the cgroup (and of cgroups below it).
 * SIGKILL uses cgroup.kill when the kernel has it; otherwise the cgroup is
 * frozen while the pids are read and signalled, so nothing forks or exits
 * in between. A paused container stays paused, except after SIGKILL, when
 * it is thawed so the processes can die (v1 frozen tasks cannot). A cgroup
 * loaded from create's planned record (state.h) holds nothing berth
 * released: nothing is signalled. */
int berth_cgroup_kill_all(struct berth_cgroup *cg, int signo, berth_error_t *err);

/* The pids of the container (recursive), malloc'd. */
int berth_cgroup_pids(struct berth_cgroup *cg, pid_t **ret, size_t *ret_n, berth_error_t *err);

/* Removes the directories berth created (leaf first, waiting a bounded
 * time for dying processes), never one it did not create. A planned
 * record's: its leaves, best effort, never their parents. */
int berth_cgroup_destroy(struct berth_cgroup *cg, berth_error_t *err);

/* The state's record of the cgroup (state.h: state.json's "cgroup"
 * object) and back: the directories, which of them berth created, the
 * systemd unit. *ret is NULL for a container without any (rootless, where
 * berth could create none): it has no cgroup. */
int berth_cgroup_record(const struct berth_cgroup *cg, struct berth_cgroup_record **ret,
                        berth_error_t *err);
int berth_cgroup_load(const struct berth_context *ctx, const struct berth_cgroup_record *rec,
                      struct berth_cgroup **ret, berth_error_t *err);

/* The hierarchy mounts a `list` has opened: each container's freezer
 * state is read below its mount's fd instead of through a walk of
 * /sys/fs/cgroup/... (kernfs revalidation per component) per container. */
#define BERTH_CGROUP_MOUNT_FDS 4
struct berth_cgroup_mount_fds {
    size_t n;
    struct {
        char *mount;
        int fd;
    } m[BERTH_CGROUP_MOUNT_FDS];
};
void berth_cgroup_mount_fds_release(struct berth_cgroup_mount_fds *c);

/* True when the recorded cgroup is frozen (or being frozen); false when it
 * cannot be read. For the status derivation; fds may be NULL (absolute
 * path, one container). init_state is the init's state letter of
 * /proc/PID/stat: the v1 freezer holds every task it froze in
 * uninterruptible sleep ("D"; stopped tasks may stay "T"), so an init that
 * sleeps interruptibly or runs ("S", "R") is not frozen there and the file
 * is not read. v2's freezer traps tasks in an interruptible sleep: always
 * read. */
bool berth_cgroup_state_frozen(const struct berth_cgroup_record *rec,
                               struct berth_cgroup_mount_fds *fds, char init_state);

/* The two steps of create around the clone of the init, one call each
 * whatever the driver:
 * - berth_cgroup_before_clone(): cgroupfs makes the cgroup2 directory now
 *   and prepares the init's join of it in *join (clone3's
 *   CLONE_INTO_CGROUP needs the directory); the systemd driver has nothing
 *   to make yet and leaves *join empty (systemd moves the init later).
 * - berth_cgroup_after_clone(): with the init's pid (it waits for
 *   CGROUP_READY): the systemd driver starts the unit (the init moved in,
 *   res as unit properties) and waits for systemd's job; then every
 *   driver makes the directories nobody made yet (hybrid: the v1
 *   controllers systemd does not manage). berth_cgroup_apply(create)
 *   writes the files next. */
struct berth_cgroup_join;
int berth_cgroup_before_clone(struct berth_cgroup *cg, struct berth_cgroup_join *join,
                              berth_error_t *err);
int berth_cgroup_after_clone(struct berth_cgroup *cg, const char *id, pid_t pid,
                             const oci_resources *res, berth_error_t *err);
/* /run/systemd/system exists (sd_booted()'s test, runc's). */
bool berth_cgroup_systemd_running(void);

/* The container's path as given/resolved, e.g. "/berth/ID" (for state). */
const char *berth_cgroup_path(const struct berth_cgroup *cg);

void berth_cgroup_free(struct berth_cgroup *cg);

/* ---- statistics (events --stats) ---------------------------------------- */

struct berth_cgroup_kv {
    char *key;
    uint64_t value;
};

struct berth_cgroup_blkio_entry {
    uint64_t major, minor;
    const char *op; /* "Read", "Write", "Sync", "Async", "Discard", "Total" */
    uint64_t value;
};

struct berth_cgroup_hugetlb {
    char size[32];
    uint64_t usage, max, failcnt;
};

/* Pressure stall information of one resource (v2 cpu/memory/io.pressure):
 * the "some" and "full" lines. */
struct berth_cgroup_psi_data {
    double avg10, avg60, avg300;
    uint64_t total;
};
struct berth_cgroup_psi {
    bool present; /* the file is there (kernel >= 4.20, CONFIG_PSI) */
    struct berth_cgroup_psi_data some, full;
};

/* The cpuset controller's settings (v1 only: runc reads none on v2). */
struct berth_cgroup_cpuset {
    uint16_t *cpus, *mems;
    size_t ncpus, nmems;
    uint64_t cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate, memory_spread_page,
        memory_spread_slab, memory_pressure, sched_load_balance;
    int64_t sched_relax_domain_level;
};

struct berth_cgroup_stats {
    bool has_cpu, has_memory, has_pids;
    uint64_t cpu_total, cpu_user, cpu_kernel;       /* ns */
    uint64_t *percpu, *percpu_user, *percpu_kernel; /* ns, one per CPU (v1) */
    size_t npercpu, npercpu_modes;
    struct berth_cgroup_cpuset cpuset;
    struct berth_cgroup_psi cpu_psi, mem_psi, io_psi;
    uint64_t periods, throttled_periods, throttled_time;
    uint64_t mem_cache, mem_usage, mem_max, mem_limit, mem_failcnt;
    uint64_t swap_usage, swap_max, swap_limit, swap_failcnt;
    uint64_t kmem_usage, kmem_max, kmem_limit, kmem_failcnt;
    struct berth_cgroup_kv *raw;
    size_t nraw;
    uint64_t pids_current, pids_limit;
    struct berth_cgroup_blkio_entry *bytes, *ios;
    size_t nbytes, nios;
    struct berth_cgroup_hugetlb *huge;
    size_t nhuge;
    uint64_t oom_kills; /* memory.events oom_kill (v2) or oom_control (v1) */
};

int berth_cgroup_stats(struct berth_cgroup *cg, struct berth_cgroup_stats *st, berth_error_t *err);
void berth_cgroup_stats_release(struct berth_cgroup_stats *st);

/* An fd that polls readable (v1 eventfd) or POLLPRI (v2 memory.events)
 * when an OOM kill happens in the container; *ret_v2 tells which. -1 when
 * the memory controller is not available. */
int berth_cgroup_oom_fd(struct berth_cgroup *cg, bool *ret_v2, berth_error_t *err);

#define _cleanup_cgroup_ __attribute__((cleanup(berth_cgroup_freep)))
static inline void berth_cgroup_freep(struct berth_cgroup **cg)
{
    if (*cg)
        berth_cgroup_free(*cg);
}

/* ---- validation --------------------------------------------------------- */

/* The rule of validate.h's `more` (create, restore and `berth validate`
 * pass it): each field of linux.resources the cgroup version's table
 * refuses is an error, with the table's reason (config-linux.md "Unified":
 * a conversion that is not possible MUST be an error), each it ignores a
 * warning. The version: o->cgroup, or a pure v2 host with check_host.
 * Returns the errors added. */
struct berth_validate_opts;
struct oci_diags;
size_t berth_cgroup_validate(const oci_config *cfg, const struct berth_validate_opts *o,
                             struct oci_diags *diags);

/* The rest of the module's door: other modules include this header only
 * (docs/architecture.md, "Doors"). */
#include "cgroup/cgroup-join.h"
#include "cgroup/cgroup-fields.h"
#include "cgroup/systemd-bus.h"
#include "cgroup/resctrl.h"

#endif
