/* exec-internal.h: what the files of the exec module share. */
#ifndef BERTH_EXEC_INTERNAL_H
#define BERTH_EXEC_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "security/security.h"
#include "cgroup/cgroup.h"
#include "exec.h"
#include "oci-types.h"
#include "state/state.h"

/* One exec, from "options parsed" to "process running". The children get
 * a copy of it (fork without re-exec). */
struct exec_job {
    const struct berth_context *ctx;
    const struct berth_exec_opts *o;
    int dirfd;
    struct berth_container_state *state;
    oci_config *config;
    oci_process *process; /* the effective process (owned) */
    /* process.execCPUAffinity, else the config's (runc: a --process file
     * without one takes the container's); NULL for none. */
    const oci_exec_cpu_affinity *affinity;
    struct berth_caps caps;
    struct berth_seccomp *seccomp;
    struct berth_cgroup *cgroup;
    /* The joiner enters the cgroup by itself (cgroup-join.h). */
    struct berth_cgroup_join cgroup_join;
    bool cgroup_placed; /* clone3 put the joiner in the cgroup2 directory */
    char *pid_file;     /* absolute */
    pid_t init;
    int init_pidfd;
    int ns_flags; /* CLONE_NEW* of the container's namespaces */
    int sync[2];  /* [0] parent, [1] children */
    pid_t joiner; /* the child that joins the namespaces, then forks */
    pid_t pid;    /* the exec'd process (host pid), berth's child */
    int pidfd;
    int console_master;
    int console_sock; /* --console-socket, connected before the clone */
    int pidfd_sock;   /* --pidfd-socket, likewise */
};

/* exec-process.c: the effective process from --process or the container's
 * process plus the flags, validated (config.md "Process"). */
int berth_exec_build_process(const struct berth_exec_opts *o, const oci_config *cfg,
                             oci_process **ret, berth_error_t *err);

/* exec-child.c: the joiner child; never returns. */
_Noreturn void berth_exec_joiner_main(struct exec_job *j);

#endif
