/* validate-process.c: rules on the process object (config.md "Process",
 * "POSIX process", "Linux Process", "User").
 *
 * Shared by create (the container process) and exec (`--process FILE`),
 * hence every pointer is built from a prefix.
 */
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "validate-internal.h"

/* getrlimit(2) resources on Linux: anything else "cannot be mapped to a
 * relevant kernel interface" and MUST be an error. */
static const char *const linux_rlimits[] = {
    "RLIMIT_AS",     "RLIMIT_CORE",   "RLIMIT_CPU",        "RLIMIT_DATA",
    "RLIMIT_FSIZE",  "RLIMIT_LOCKS",  "RLIMIT_MEMLOCK",    "RLIMIT_MSGQUEUE",
    "RLIMIT_NICE",   "RLIMIT_NOFILE", "RLIMIT_NPROC",      "RLIMIT_RSS",
    "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK",
};

static bool known_rlimit(const char *type)
{
    for (size_t i = 0; i < sizeof(linux_rlimits) / sizeof(linux_rlimits[0]); i++)
        if (type && strcmp(type, linux_rlimits[i]) == 0)
            return true;
    return false;
}

static void check_args_env_cwd(struct vctx *v, const oci_process *p, const char *prefix)
{
    /* "cwd (string, REQUIRED) ... This value MUST be an absolute path." */
    if (!p->cwd || !*p->cwd)
        v_error(v, vp(v, "%s/cwd", prefix), S_PROCESS, "cwd is REQUIRED");
    else if (!v_abs(p->cwd))
        v_error(v, vp(v, "%s/cwd", prefix), S_PROCESS, "cwd \"%s\" MUST be an absolute path",
                p->cwd);
    /* "at least one entry is REQUIRED (non-Windows)", used as execvp's file. */
    if (!p->args || p->args_len == 0)
        v_error(v, vp(v, "%s/args", prefix), S_PROCESS,
                "args needs at least one entry on Linux (the program to run)");
    else if (!p->args[0] || !*p->args[0])
        v_error(v, vp(v, "%s/args/0", prefix), S_PROCESS,
                "args[0] is the program to run and must not be empty");
    /* environ(7) entries are name=value; a missing '=' or an empty name
     * cannot be passed to the program meaningfully (runc rejects both). */
    for (size_t i = 0; p->env && i < p->env_len; i++)
        if (!v_env_entry_ok(p->env[i]))
            v_error(v, vp(v, "%s/env/%zu", prefix, i), S_PROCESS,
                    "\"%s\" is not of the form KEY=value (environ semantics)",
                    p->env[i] ? p->env[i] : "");
}

static void check_rlimits(struct vctx *v, const oci_process *p, const char *prefix)
{
    for (size_t i = 0; p->rlimits && i < p->rlimits_len; i++) {
        const oci_rlimit *r = &p->rlimits[i];
        if (!known_rlimit(r->type)) {
            v_error(v, vp(v, "%s/rlimits/%zu/type", prefix, i), S_RLIMITS,
                    "\"%s\" cannot be mapped to a Linux resource limit (getrlimit(2))",
                    r->type ? r->type : "");
            continue;
        }
        /* "If rlimits contains duplicated entries with same type, the
         * runtime MUST generate an error." */
        for (size_t j = 0; j < i; j++)
            if (p->rlimits[j].type && strcmp(p->rlimits[j].type, r->type) == 0) {
                v_error(v, vp(v, "%s/rlimits/%zu/type", prefix, i), S_RLIMITS,
                        "duplicate rlimit type \"%s\" (first at index %zu)", r->type, j);
                break;
            }
        /* rlim_cur and rlim_max MUST match; setrlimit(2) refuses soft > hard. */
        if (r->soft_present && r->hard_present && r->soft > r->hard)
            v_error(v, vp(v, "%s/rlimits/%zu/soft", prefix, i), S_RLIMITS,
                    "soft limit %llu of %s is above the hard limit %llu",
                    (unsigned long long)r->soft, r->type, (unsigned long long)r->hard);
    }
}

/* ---- capabilities ------------------------------------------------------- */

static bool cap_name_syntax_ok(const char *name)
{
    if (!name || strncmp(name, "CAP_", 4) != 0 || !name[4])
        return false;
    for (const char *c = name + 4; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_'))
            return false;
    return true;
}

/* config.md "Linux Process": a value that "cannot be mapped to a relevant
 * kernel interface, or cannot be granted otherwise MUST be logged as a
 * warning"; runtimes SHOULD NOT fail. So every problem here is a warning. */
static void check_cap_set(struct vctx *v, const char *prefix, const char *set, char **caps,
                          size_t n)
{
    int kernel_max = v->o->check_host ? cap_max_bits() : -1;

    for (size_t i = 0; caps && i < n; i++) {
        const char *ptr = vp(v, "%s/capabilities/%s/%zu", prefix, set, i);
        cap_value_t val;
        if (!cap_name_syntax_ok(caps[i]))
            v_warning(v, ptr, S_LINUX_PROC,
                      "\"%s\" is not a capability name (capabilities(7) names look like "
                      "CAP_CHOWN); it is ignored",
                      caps[i] ? caps[i] : "");
        else if (cap_from_name(caps[i], &val) < 0)
            v_warning(v, ptr, S_LINUX_PROC, "unknown capability \"%s\" (libcap); it is ignored",
                      caps[i]);
        else if (kernel_max >= 0 && (int)val >= kernel_max)
            v_warning(v, ptr, S_LINUX_PROC,
                      "capability \"%s\" is not supported by this kernel; it is ignored", caps[i]);
    }
}

/* Warns once about the members of `set` missing from `a` or `b`. */
static void warn_not_subset(struct vctx *v, const char *ptr, char **set, size_t n, char **a,
                            size_t na, char **b, size_t nb, const char *what)
{
    char names[1024] = "", where[VPTR_MAX];
    size_t len = 0, count = 0;

    (void)snprintf(where, sizeof(where), "%s", ptr);
    for (size_t i = 0; set && i < n; i++) {
        if (!set[i] || (v_strv_contains(a, na, set[i]) && v_strv_contains(b, nb, set[i])))
            continue;
        count++;
        if (len < sizeof(names))
            len +=
                (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "", set[i]);
    }
    if (count)
        v_warning(v, where, S_LINUX_PROC, "%s %s %s %s", count == 1 ? "capability" : "capabilities",
                  names, count == 1 ? "is" : "are", what);
}

static void check_caps(struct vctx *v, const oci_process *p, const char *prefix)
{
    const oci_capabilities *c = p->capabilities;

    if (!c)
        return;
    check_cap_set(v, prefix, "bounding", c->bounding, c->bounding_len);
    check_cap_set(v, prefix, "effective", c->effective, c->effective_len);
    check_cap_set(v, prefix, "inheritable", c->inheritable, c->inheritable_len);
    check_cap_set(v, prefix, "permitted", c->permitted, c->permitted_len);
    check_cap_set(v, prefix, "ambient", c->ambient, c->ambient_len);
    /* capabilities(7): the kernel only raises an ambient capability that is
     * both permitted and inheritable, and effective must be a subset of
     * permitted. Such a request "cannot be granted": one warning per set
     * (runc's own default config asks for ambient capabilities this way). */
    warn_not_subset(v, vp(v, "%s/capabilities/ambient", prefix), c->ambient, c->ambient_len,
                    c->permitted, c->permitted_len, c->inheritable, c->inheritable_len,
                    "not both permitted and inheritable; the kernel will not raise them");
    if (c->permitted)
        warn_not_subset(v, vp(v, "%s/capabilities/effective", prefix), c->effective,
                        c->effective_len, c->permitted, c->permitted_len, c->permitted,
                        c->permitted_len, "not in the permitted set; they cannot be granted");
}

/* ---- scheduling and priorities ------------------------------------------ */

static void check_scheduler(struct vctx *v, const oci_scheduler *s, const char *prefix)
{
    const char *pol = s->policy ? s->policy : "";
    bool rt = strcmp(pol, "SCHED_FIFO") == 0 || strcmp(pol, "SCHED_RR") == 0;
    bool dl = strcmp(pol, "SCHED_DEADLINE") == 0;
    unsigned long long runtime = s->runtime_present ? s->runtime : 0;
    unsigned long long deadline = s->deadline_present ? s->deadline : 0;
    unsigned long long period = s->period_present ? s->period : 0;

    /* sched(7): nice values range from -20 to 19. */
    if (s->nice_present && (s->nice < -20 || s->nice > 19))
        v_error(v, vp(v, "%s/scheduler/nice", prefix), S_LINUX_PROC,
                "nice %d is outside -20..19 (sched(7))", s->nice);
    /* An unset priority means 0, which sched_setattr(2) refuses for the
     * real-time policies; the other policies take only 0. */
    if (rt && (!s->priority_present || s->priority < 1 || s->priority > 99))
        v_error(v, vp(v, "%s/scheduler/priority", prefix), S_LINUX_PROC,
                "%s needs a priority in 1..99 (sched(7))", pol);
    else if (!rt && s->priority_present && s->priority != 0)
        v_error(v, vp(v, "%s/scheduler/priority", prefix), S_LINUX_PROC,
                "priority is only meaningful for SCHED_FIFO and SCHED_RR (sched(7))");
    if (!dl) {
        if (runtime || deadline || period)
            v_error(v, vp(v, "%s/scheduler", prefix), S_LINUX_PROC,
                    "runtime, deadline and period are used by SCHED_DEADLINE only");
        return;
    }
    /* sched_setattr(2) for SCHED_DEADLINE: 1024 ns <= runtime <= deadline
     * <= period, where period 0 means "same as deadline". */
    if (deadline == 0)
        v_error(v, vp(v, "%s/scheduler/deadline", prefix), S_LINUX_PROC,
                "SCHED_DEADLINE needs a non-zero deadline (sched_setattr(2))");
    else if (runtime < 1024 || runtime > deadline)
        v_error(v, vp(v, "%s/scheduler/runtime", prefix), S_LINUX_PROC,
                "SCHED_DEADLINE needs 1024 <= runtime <= deadline, got runtime %llu, deadline %llu",
                runtime, deadline);
    else if (period && period < deadline)
        v_error(v, vp(v, "%s/scheduler/period", prefix), S_LINUX_PROC,
                "SCHED_DEADLINE needs deadline <= period, got deadline %llu, period %llu", deadline,
                period);
}

static void check_priorities(struct vctx *v, const oci_process *p, const char *prefix)
{
    /* proc(5): oom_score_adj takes -1000..1000. */
    if (p->oomScoreAdj_present && (p->oomScoreAdj < -1000 || p->oomScoreAdj > 1000))
        v_error(v, vp(v, "%s/oomScoreAdj", prefix), S_LINUX_PROC,
                "oomScoreAdj %d is outside -1000..1000", p->oomScoreAdj);
    if (p->ioPriority) {
        const oci_io_priority *io = p->ioPriority;
        if (!io->class || (strcmp(io->class, "IOPRIO_CLASS_RT") != 0 &&
                           strcmp(io->class, "IOPRIO_CLASS_BE") != 0 &&
                           strcmp(io->class, "IOPRIO_CLASS_IDLE") != 0))
            v_error(v, vp(v, "%s/ioPriority/class", prefix), S_LINUX_PROC,
                    "class must be IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE");
        if (io->priority_present && (io->priority < 0 || io->priority > 7))
            v_error(v, vp(v, "%s/ioPriority/priority", prefix), S_LINUX_PROC,
                    "priority %d is outside 0 (highest) .. 7 (lowest)", io->priority);
    }
    if (p->scheduler)
        check_scheduler(v, p->scheduler, prefix);
    if (p->execCPUAffinity) {
        const oci_exec_cpu_affinity *a = p->execCPUAffinity;
        if (a->initial && *a->initial && !v_id_list_ok(a->initial))
            v_error(v, vp(v, "%s/execCPUAffinity/initial", prefix), S_LINUX_PROC,
                    "\"%s\" is not a CPU list such as \"0-3,7\"", a->initial);
        if (a->final && *a->final && !v_id_list_ok(a->final))
            v_error(v, vp(v, "%s/execCPUAffinity/final", prefix), S_LINUX_PROC,
                    "\"%s\" is not a CPU list such as \"0-3,7\"", a->final);
    }
}

/* ---- user --------------------------------------------------------------- */

static bool id_mapped(const oci_id_mapping *m, size_t n, uint32_t id)
{
    for (size_t i = 0; m && i < n; i++)
        if (id >= m[i].containerID && (uint64_t)id < (uint64_t)m[i].containerID + m[i].size)
            return true;
    return false;
}

/* In a new user namespace with explicit mappings, setresuid/setgroups to
 * an unmapped id fail with EINVAL: catch it before anything is created. */
static void check_user_mapped(struct vctx *v, const oci_process *p, const char *prefix)
{
    const oci_linux *l = v->cfg->linux;
    const oci_user *u = p->user;

    if (!u || !l || !v_ns_new(v->cfg, "user"))
        return;
    if (l->uidMappings && u->uid_present && !id_mapped(l->uidMappings, l->uidMappings_len, u->uid))
        v_error(v, vp(v, "%s/user/uid", prefix), S_IDMAP,
                "uid %u is not mapped by linux.uidMappings", u->uid);
    if (!l->gidMappings)
        return;
    if (u->gid_present && !id_mapped(l->gidMappings, l->gidMappings_len, u->gid))
        v_error(v, vp(v, "%s/user/gid", prefix), S_IDMAP,
                "gid %u is not mapped by linux.gidMappings", u->gid);
    for (size_t i = 0; u->additionalGids && i < u->additionalGids_len; i++)
        if (!id_mapped(l->gidMappings, l->gidMappings_len, u->additionalGids[i]))
            v_error(v, vp(v, "%s/user/additionalGids/%zu", prefix, i), S_IDMAP,
                    "gid %u is not mapped by linux.gidMappings", u->additionalGids[i]);
}

void v_check_process(struct vctx *v, const oci_process *p, const char *prefix)
{
    check_args_env_cwd(v, p, prefix);
    check_rlimits(v, p, prefix);
    check_caps(v, p, prefix);
    check_priorities(v, p, prefix);
    check_user_mapped(v, p, prefix);
}
