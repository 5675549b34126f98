/* proc-attrs.c: rlimits, oom_score_adj, personality, scheduler, ioPriority. */
#include "proc-attrs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched/types.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"

#define NAME_ENTRY(x)                                                                              \
    {                                                                                              \
#x, x                                                                                      \
    }

static const struct {
    const char *name;
    int resource;
} rlimit_names[] = {
    NAME_ENTRY(RLIMIT_AS),      NAME_ENTRY(RLIMIT_CORE),     NAME_ENTRY(RLIMIT_CPU),
    NAME_ENTRY(RLIMIT_DATA),    NAME_ENTRY(RLIMIT_FSIZE),    NAME_ENTRY(RLIMIT_LOCKS),
    NAME_ENTRY(RLIMIT_MEMLOCK), NAME_ENTRY(RLIMIT_MSGQUEUE), NAME_ENTRY(RLIMIT_NICE),
    NAME_ENTRY(RLIMIT_NOFILE),  NAME_ENTRY(RLIMIT_NPROC),    NAME_ENTRY(RLIMIT_RSS),
    NAME_ENTRY(RLIMIT_RTPRIO),  NAME_ENTRY(RLIMIT_RTTIME),   NAME_ENTRY(RLIMIT_SIGPENDING),
    NAME_ENTRY(RLIMIT_STACK),
};

int berth_rlimits_apply(const oci_process *p, berth_error_t *err)
{
    for (size_t i = 0; i < p->rlimits_len; i++) {
        const oci_rlimit *rl = &p->rlimits[i];
        struct rlimit lim = {.rlim_cur = rl->soft, .rlim_max = rl->hard};
        int resource = -1;

        for (size_t k = 0; k < sizeof(rlimit_names) / sizeof(rlimit_names[0]); k++)
            if (strcmp(rlimit_names[k].name, rl->type) == 0)
                resource = rlimit_names[k].resource;
        /* config.md "POSIX process": values that cannot be mapped MUST error */
        if (resource < 0)
            return berth_error_make(err, 0, "rlimits: unknown type `%s`", rl->type);
        if (setrlimit(resource, &lim) < 0)
            return berth_error_errno(err, "setrlimit %s soft=%llu hard=%llu", rl->type,
                                     (unsigned long long)rl->soft, (unsigned long long)rl->hard);
    }
    return 0;
}

int berth_oom_score_adj_apply(const oci_process *p, berth_error_t *err)
{
    _cleanup_close_ int fd = -1;
    char buf[16];
    int len;

    if (!p->oomScoreAdj_present)
        return 0;
    len = snprintf(buf, sizeof(buf), "%d", p->oomScoreAdj);
    fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return berth_error_errno(err, "open /proc/self/oom_score_adj");
    if (write(fd, buf, len) == len)
        return 0;
    /* proc(5): lowering it needs CAP_SYS_RESOURCE in the initial user
     * namespace, which a rootless container never has */
    return berth_error_errno(err, "write oomScoreAdj %d to /proc/self/oom_score_adj%s",
                             p->oomScoreAdj,
                             errno == EACCES ? " (below the caller's own value it needs "
                                               "CAP_SYS_RESOURCE on the host, which a rootless "
                                               "container lacks)"
                                             : "");
}

int berth_personality_apply(const oci_personality *pers, berth_error_t *err)
{
    unsigned long persona;

    if (!pers || !pers->domain)
        return 0;
    if (strcmp(pers->domain, "LINUX") == 0)
        persona = PER_LINUX;
    else if (strcmp(pers->domain, "LINUX32") == 0)
        persona = PER_LINUX32;
    else
        return berth_error_make(err, 0, "personality: unknown domain `%s`", pers->domain);
    if (personality(persona) < 0)
        return berth_error_errno(err, "personality %s", pers->domain);
    return 0;
}

static const struct {
    const char *name;
    unsigned value;
} sched_policies[] = {
    {"SCHED_OTHER", 0}, {"SCHED_FIFO", 1}, {"SCHED_RR", 2},       {"SCHED_BATCH", 3},
    {"SCHED_ISO", 4},   {"SCHED_IDLE", 5}, {"SCHED_DEADLINE", 6},
};

static const struct {
    const char *name;
    uint64_t value;
} sched_flags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", 0x01},  {"SCHED_FLAG_RECLAIM", 0x02},
    {"SCHED_FLAG_DL_OVERRUN", 0x04},     {"SCHED_FLAG_KEEP_POLICY", 0x08},
    {"SCHED_FLAG_KEEP_PARAMS", 0x10},    {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40},
};

static int sched_attr_fill(const oci_scheduler *s, struct sched_attr *a, berth_error_t *err)
{
    bool found = false;

    *a = (struct sched_attr){.size = sizeof(*a)};
    for (size_t i = 0; i < sizeof(sched_policies) / sizeof(sched_policies[0]); i++)
        if (strcmp(sched_policies[i].name, s->policy) == 0) {
            a->sched_policy = sched_policies[i].value;
            found = true;
        }
    if (!found)
        return berth_error_make(err, 0, "scheduler: unknown policy `%s`", s->policy);
    for (size_t i = 0; i < s->flags_len; i++) {
        found = false;
        for (size_t k = 0; k < sizeof(sched_flags) / sizeof(sched_flags[0]); k++)
            if (strcmp(sched_flags[k].name, s->flags[i]) == 0) {
                a->sched_flags |= sched_flags[k].value;
                found = true;
            }
        if (!found)
            return berth_error_make(err, 0, "scheduler: unknown flag `%s`", s->flags[i]);
    }
    /* config.md "Linux Process": unset values mean 0 */
    a->sched_nice = s->nice_present ? s->nice : 0;
    a->sched_priority = s->priority_present ? s->priority : 0;
    a->sched_runtime = s->runtime_present ? s->runtime : 0;
    a->sched_deadline = s->deadline_present ? s->deadline : 0;
    a->sched_period = s->period_present ? s->period : 0;
    return 0;
}

int berth_scheduler_apply(const oci_scheduler *s, berth_error_t *err)
{
    struct sched_attr a;
    int r;

    if (!s)
        return 0;
    r = sched_attr_fill(s, &a, err);
    if (r < 0)
        return r;
    if (syscall(SYS_sched_setattr, 0, &a, 0) < 0)
        return berth_error_errno(err, "scheduler: sched_setattr policy %s", s->policy);
    return 0;
}

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13

int berth_io_priority_apply(const oci_io_priority *io, berth_error_t *err)
{
    int class;

    if (!io)
        return 0;
    if (strcmp(io->class, "IOPRIO_CLASS_RT") == 0)
        class = 1;
    else if (strcmp(io->class, "IOPRIO_CLASS_BE") == 0)
        class = 2;
    else if (strcmp(io->class, "IOPRIO_CLASS_IDLE") == 0)
        class = 3;
    else
        return berth_error_make(err, 0, "ioPriority: unknown class `%s`", io->class);
    if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
                (class << IOPRIO_CLASS_SHIFT) | (io->priority_present ? io->priority : 0)) < 0)
        return berth_error_errno(err, "ioPriority: ioprio_set class %s priority %d", io->class,
                                 io->priority);
    return 0;
}
