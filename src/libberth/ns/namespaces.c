/* namespaces.c: namespace plan, setns/unshare and time offsets. */
#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/cleanup.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE _IO(0xb7, 0x3)
#endif

static const struct {
    const char *name;
    int flag;
} ns_types[] = {
    {"pid", CLONE_NEWPID},       {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
    {"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},     {"user", CLONE_NEWUSER},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

int berth_ns_type_flag(const char *type)
{
    for (size_t i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++)
        if (strcmp(ns_types[i].name, type) == 0)
            return ns_types[i].flag;
    return 0;
}

const oci_namespace *berth_ns_find(const oci_linux *l, const char *type)
{
    for (size_t i = 0; l && i < l->namespaces_len; i++)
        if (l->namespaces[i].type && strcmp(l->namespaces[i].type, type) == 0)
            return &l->namespaces[i];
    return NULL;
}

const char *berth_ns_type_at(size_t i)
{
    return i < sizeof(ns_types) / sizeof(ns_types[0]) ? ns_types[i].name : NULL;
}

const char *berth_ns_type_name(int flag)
{
    for (size_t i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++)
        if (ns_types[i].flag == flag)
            return ns_types[i].name;
    return "unknown";
}

/* config-linux.md "Namespaces": the runtime MUST generate an error if path
 * is not associated with a namespace of type `type`. */
static int open_ns_path(const oci_namespace *ns, int flag, berth_error_t *err)
{
    _cleanup_close_ int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
    int actual;

    if (fd < 0)
        return berth_error_errno(err, "open namespace `%s`", ns->path);
    actual = ioctl(fd, NS_GET_NSTYPE);
    if (actual < 0 && errno != ENOTTY && errno != EINVAL)
        return berth_error_errno(err, "namespace %s: NS_GET_NSTYPE", ns->path);
    if (actual != flag)
        return berth_error_make(err, 0, "namespace %s is not of type %s", ns->path, ns->type);
    return TAKE_FD(fd);
}

static int add_join(struct berth_ns_plan *plan, const oci_namespace *ns, int flag,
                    berth_error_t *err)
{
    int fd = open_ns_path(ns, flag, err);

    if (fd < 0)
        return fd;
    /* The user namespace is joined first: joining it grants the privileges
     * over the namespaces it owns that setns() into them needs. */
    if (flag == CLONE_NEWUSER && plan->njoin > 0) {
        memmove(&plan->join[1], &plan->join[0], plan->njoin * sizeof(plan->join[0]));
        plan->join[0] = (struct berth_ns_join){flag, fd, ns->path};
    } else {
        plan->join[plan->njoin] = (struct berth_ns_join){flag, fd, ns->path};
    }
    plan->njoin++;
    return 0;
}

int berth_ns_plan_build(const oci_linux *linux, struct berth_ns_plan *plan, berth_error_t *err)
{
    int seen = 0;

    *plan = (struct berth_ns_plan){0};
    for (size_t i = 0; linux && i < linux->namespaces_len; i++) {
        const oci_namespace *ns = &linux->namespaces[i];
        int flag = berth_ns_type_flag(ns->type);

        if (flag == 0)
            return berth_error_make(err, 0, "namespaces: unknown namespace type `%s`", ns->type);
        /* config-linux.md "Namespaces": duplicate types MUST error */
        if (seen & flag)
            return berth_error_make(err, 0, "namespaces: duplicate namespace type `%s`", ns->type);
        seen |= flag;
        if (ns->path && ns->path[0]) {
            int r = add_join(plan, ns, flag, err);
            if (r < 0)
                return r;
        } else {
            plan->new_flags |= flag;
        }
    }
    plan->user = seen & CLONE_NEWUSER;
    plan->user_new = plan->new_flags & CLONE_NEWUSER;
    plan->uts = seen & CLONE_NEWUTS;
    plan->pid_new = plan->new_flags & CLONE_NEWPID;
    plan->two_stage = plan->njoin > 0 || (plan->new_flags & CLONE_NEWTIME);
    return 0;
}

void berth_ns_plan_release(struct berth_ns_plan *plan)
{
    for (size_t i = 0; i < plan->njoin; i++)
        plan->join[i].fd = safe_close(plan->join[i].fd);
    plan->njoin = 0;
}

int berth_ns_join_all(const struct berth_ns_plan *plan, berth_error_t *err)
{
    for (size_t i = 0; i < plan->njoin; i++) {
        const struct berth_ns_join *j = &plan->join[i];
        if (setns(j->fd, j->nstype) < 0)
            return berth_error_errno(err, "join %s namespace `%s`", berth_ns_type_name(j->nstype),
                                     j->path);
    }
    return 0;
}

int berth_ns_unshare_rest(const struct berth_ns_plan *plan, berth_error_t *err)
{
    int flags = plan->new_flags & ~CLONE_NEWUSER;

    if (flags && unshare(flags) < 0)
        return berth_error_errno(err, "unshare namespaces (flags %#x)", flags);
    return 0;
}

static int append_offset(char *buf, size_t size, const char *clock, const oci_time_offset *o)
{
    size_t len = strlen(buf);

    if (!o)
        return 0;
    return snprintf(buf + len, size - len, "%s %lld %u\n", clock,
                    (long long)(o->secs_present ? o->secs : 0),
                    o->nanosecs_present ? o->nanosecs : 0);
}

int berth_ns_write_time_offsets(const oci_time_offsets *t, berth_error_t *err)
{
    char buf[128] = "";
    _cleanup_close_ int fd = -1;

    if (!t || (!t->monotonic && !t->boottime))
        return 0;
    append_offset(buf, sizeof(buf), "monotonic", t->monotonic);
    append_offset(buf, sizeof(buf), "boottime", t->boottime);
    /* time_namespaces(7): offsets are written to the file of the process
     * that unshared; they apply to the namespace its children will enter. */
    fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return berth_error_errno(err, "open /proc/self/timens_offsets");
    if (write(fd, buf, strlen(buf)) < 0)
        return berth_error_errno(err, "write /proc/self/timens_offsets `%s`", buf);
    return 0;
}
