/* validate-seccomp.c: rules on linux.seccomp (config-linux.md "Seccomp"). */
#include <stddef.h>
#include <string.h>
#include <sys/un.h>

#include "validate-internal.h"

/* "Some actions like SCMP_ACT_ERRNO and SCMP_ACT_TRACE allow to specify
 * the errno code to return." */
static bool action_takes_errno(const char *action)
{
    return action &&
           (strcmp(action, "SCMP_ACT_ERRNO") == 0 || strcmp(action, "SCMP_ACT_TRACE") == 0);
}

static bool is_notify(const char *action)
{
    return action && strcmp(action, "SCMP_ACT_NOTIFY") == 0;
}

static void check_syscall(struct vctx *v, const oci_syscall *s, size_t i)
{
    /* "names MUST contain at least one entry." */
    if (!s->names || s->names_len == 0)
        v_error(v, vp(v, "/linux/seccomp/syscalls/%zu/names", i), S_SECCOMP,
                "names MUST contain at least one entry");
    for (size_t j = 0; s->names && j < s->names_len; j++)
        if (!s->names[j] || !*s->names[j])
            v_error(v, vp(v, "/linux/seccomp/syscalls/%zu/names/%zu", i, j), S_SECCOMP,
                    "syscall names must not be empty");
    /* errnoRet: "When the action doesn't support an errno, the runtime MUST
     * print and error and fail." */
    if (s->errnoRet_present && !action_takes_errno(s->action))
        v_error(v, vp(v, "/linux/seccomp/syscalls/%zu/errnoRet", i), S_SECCOMP,
                "errnoRet is set but action \"%s\" does not return an errno (only SCMP_ACT_ERRNO "
                "and SCMP_ACT_TRACE do)",
                s->action ? s->action : "");
    /* The return value carries the errno in SECCOMP_RET_DATA (16 bits). */
    else if (s->errnoRet_present && s->errnoRet > 0xffff)
        v_error(v, vp(v, "/linux/seccomp/syscalls/%zu/errnoRet", i), S_SECCOMP,
                "errnoRet %u does not fit in 16 bits (SECCOMP_RET_DATA)", s->errnoRet);
    /* seccomp(2) filters see six syscall arguments, numbered 0..5. */
    for (size_t j = 0; s->args && j < s->args_len; j++)
        if (s->args[j].index_present && s->args[j].index > 5)
            v_error(v, vp(v, "/linux/seccomp/syscalls/%zu/args/%zu/index", i, j), S_SECCOMP,
                    "argument index %u is outside 0..5", s->args[j].index);
}

static void check_listener(struct vctx *v, const oci_seccomp *s, bool notify)
{
    /* listenerPath is where the notify fd goes; without it the first
     * notified syscall would block forever. */
    if (notify && (!s->listenerPath || !*s->listenerPath))
        v_error(v, "/linux/seccomp/listenerPath", S_SECCOMP,
                "SCMP_ACT_NOTIFY is used, so listenerPath must name the agent's socket");
    if (s->listenerPath && *s->listenerPath) {
        if (!v_abs(s->listenerPath))
            v_error(v, "/linux/seccomp/listenerPath", S_SECCOMP,
                    "listenerPath \"%s\" must be an absolute path", s->listenerPath);
        else if (strlen(s->listenerPath) >= sizeof(((struct sockaddr_un *)0)->sun_path))
            v_error(v, "/linux/seccomp/listenerPath", S_SECCOMP,
                    "listenerPath is longer than a UNIX socket address allows (%zu bytes)",
                    sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
    }
    /* listenerMetadata: "This field MUST NOT be set if listenerPath is not set." */
    if (s->listenerMetadata && (!s->listenerPath || !*s->listenerPath))
        v_error(v, "/linux/seccomp/listenerMetadata", S_SECCOMP,
                "listenerMetadata MUST NOT be set without listenerPath");
}

void check_seccomp(struct vctx *v)
{
    const oci_seccomp *s = v->cfg->linux ? v->cfg->linux->seccomp : NULL;
    bool notify;

    if (!s)
        return;
    /* defaultErrnoRet follows the errnoRet rule for defaultAction. */
    if (s->defaultErrnoRet_present && !action_takes_errno(s->defaultAction))
        v_error(v, "/linux/seccomp/defaultErrnoRet", S_SECCOMP,
                "defaultErrnoRet is set but defaultAction \"%s\" does not return an errno (only "
                "SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)",
                s->defaultAction ? s->defaultAction : "");
    else if (s->defaultErrnoRet_present && s->defaultErrnoRet > 0xffff)
        v_error(v, "/linux/seccomp/defaultErrnoRet", S_SECCOMP,
                "defaultErrnoRet %u does not fit in 16 bits (SECCOMP_RET_DATA)",
                s->defaultErrnoRet);
    /* A notifying default would notify the runtime's own syscalls made
     * after loading the filter, including those that hand over the fd. */
    if (is_notify(s->defaultAction))
        v_error(v, "/linux/seccomp/defaultAction", S_SECCOMP,
                "SCMP_ACT_NOTIFY cannot be the default action");
    notify = is_notify(s->defaultAction);
    for (size_t i = 0; s->syscalls && i < s->syscalls_len; i++) {
        check_syscall(v, &s->syscalls[i], i);
        notify = notify || is_notify(s->syscalls[i].action);
    }
    check_listener(v, s, notify);
}
