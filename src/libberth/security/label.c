/* label.c: SELinux and AppArmor exec labels of the container process
 * (label.h). Both are written to /proc/thread-self/attr/... of the init,
 * which the kernel turns into the label of the next execve. */
#include "label.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef HAVE_SELINUX
#include <selinux/selinux.h>
#endif

#include "util/cleanup.h"
#include "util/proc-safe.h"

bool berth_selinux_usable(void)
{
#ifdef HAVE_SELINUX
    return is_selinux_enabled() > 0;
#else
    return false;
#endif
}

/* As the kernel's own switch: the module parameter says Y, and its
 * securityfs directory exists (the attr files are useless without it). */
bool berth_apparmor_usable(void)
{
    _cleanup_close_ int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
    struct stat st;
    char c = 0;

    if (fd < 0 || read(fd, &c, 1) != 1 || c != 'Y')
        return false;
    return stat("/sys/kernel/security/apparmor", &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *selinux_why(void)
{
#ifdef HAVE_SELINUX
    return "SELinux is not enabled on this host";
#else
    return "berth was built without SELinux support (libselinux)";
#endif
}

int berth_label_check(const oci_config *c, berth_error_t *err)
{
    const oci_process *p = c->process;
    const char *mount_label = c->linux ? c->linux->mountLabel : NULL;

    if (p && p->apparmorProfile && *p->apparmorProfile && !berth_apparmor_usable())
        return berth_error_make(
            err, EINVAL, "process.apparmorProfile `%s`: AppArmor is not enabled on this host",
            p->apparmorProfile);
    if (p && p->selinuxLabel && *p->selinuxLabel && !berth_selinux_usable())
        return berth_error_make(err, EINVAL, "process.selinuxLabel `%s`: %s", p->selinuxLabel,
                                selinux_why());
    if (mount_label && *mount_label && !berth_selinux_usable())
        return berth_error_make(err, EINVAL, "linux.mountLabel `%s`: %s", mount_label,
                                selinux_why());
    return 0;
}

/* The interface of the stacking-aware kernels first, then the legacy one
 * that goes to the first "major" LSM. "PID/task/TID", not "thread-self":
 * that is a symlink, which RESOLVE_NO_SYMLINKS (proc-safe.h) refuses; our
 * ids are those of the procfs' pid namespace, which is ours. */
static int write_attr(int procfd, const char *lsm, const char *value, berth_error_t *err)
{
    _cleanup_free_ char *path = NULL, *legacy = NULL;
    int pid = (int)getpid(), tid = (int)syscall(SYS_gettid);
    int r;

    if (asprintf(&path, "%d/task/%d/attr/%s/exec", pid, tid, lsm) < 0 ||
        asprintf(&legacy, "%d/task/%d/attr/exec", pid, tid) < 0)
        return berth_error_make(err, ENOMEM, "label");
    r = berth_proc_write(procfd, path, value, strlen(value), err);
    if (r != -ENOENT)
        return r;
    berth_error_release(err);
    return berth_proc_write(procfd, legacy, value, strlen(value), err);
}

static int apply_apparmor(int procfd, const char *profile, berth_error_t *err)
{
    _cleanup_free_ char *cmd = NULL;
    int r;

    /* apparmor(7) change_onexec: "exec PROFILE" */
    if (asprintf(&cmd, "exec %s", profile) < 0)
        return berth_error_make(err, ENOMEM, "apparmorProfile");
    r = write_attr(procfd, "apparmor", cmd, err);
    return r < 0 ? berth_error_wrap(err, "process.apparmorProfile `%s`", profile) : 0;
}

static int apply_selinux(int procfd, const char *label, berth_error_t *err)
{
    int r = write_attr(procfd, "selinux", label, err);

    return r < 0 ? berth_error_wrap(err, "process.selinuxLabel `%s`", label) : 0;
}

int berth_label_apply(const oci_process *p, berth_error_t *err)
{
    bool aa = p && p->apparmorProfile && *p->apparmorProfile;
    bool se = p && p->selinuxLabel && *p->selinuxLabel;
    _cleanup_close_ int procfd = -1;
    int r = 0;

    if (!aa && !se)
        return 0;
    procfd = berth_proc_root_open(err);
    if (procfd < 0)
        return procfd;
    if (aa)
        r = apply_apparmor(procfd, p->apparmorProfile, err);
    if (r == 0 && se)
        r = apply_selinux(procfd, p->selinuxLabel, err);
    return r;
}
