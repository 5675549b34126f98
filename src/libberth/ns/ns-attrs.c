/* ns-attrs.c: hostname, domainname, sysctl, session keyring. */
#include "ns-attrs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/proc-safe.h"

int berth_uts_apply(const oci_config *c, berth_error_t *err)
{
    if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0)
        return berth_error_errno(err, "sethostname `%s`", c->hostname);
    if (c->domainname && setdomainname(c->domainname, strlen(c->domainname)) < 0)
        return berth_error_errno(err, "setdomainname `%s`", c->domainname);
    return 0;
}

/* CVE-2025-52881: the value is written through a verified procfs root with
 * no mount or symlink crossed below it (proc-safe.h): a config mount over
 * /proc/sys/... (or a fake /proc) cannot redirect it to another file. */
static int write_sysctl(int procfd, const char *key, const char *value, berth_error_t *err)
{
    _cleanup_free_ char *path = NULL;
    int r;

    if (strstr(key, "..") || key[0] == '/' || asprintf(&path, "sys/%s", key) < 0)
        return berth_error_make(err, EINVAL, "sysctl `%s`: invalid key", key);
    for (char *p = path + strlen("sys/"); *p; p++)
        if (*p == '.')
            *p = '/';
    r = berth_proc_write(procfd, path, value, strlen(value), err);
    return r < 0 ? berth_error_wrap(err, "sysctl %s", key) : 0;
}

int berth_sysctl_apply(const oci_linux *linux, berth_error_t *err)
{
    _cleanup_close_ int procfd = -1;

    if (!linux || linux->sysctl.len == 0)
        return 0;
    procfd = berth_proc_root_open(err);
    if (procfd < 0)
        return berth_error_wrap(err, "sysctl");
    for (size_t i = 0; i < linux->sysctl.len; i++) {
        int r = write_sysctl(procfd, linux->sysctl.keys[i], linux->sysctl.values[i], err);
        if (r < 0)
            return r;
    }
    return 0;
}

/* key permission bits (linux/key.h is not exported to user space) */
#define KEY_USR_SEARCH 0x00080000
#define KEY_OTH_SEARCH 0x00000008

int berth_keyring_join(const char *id, int userns, berth_error_t *err)
{
    _cleanup_free_ char *name = NULL;
    char desc[512];
    long key;
    unsigned perm;

    if (asprintf(&name, "_ses.%s", id) < 0)
        return berth_error_make(err, ENOMEM, "keyring name");
    key = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name);
    if (key < 0) {
        /* Some kernels/seccomp setups disable keyrings; runc ignores ENOSYS. */
        if (errno == ENOSYS)
            return 0;
        return berth_error_errno(err, "join session keyring `%s`", name);
    }
    /* The description starts with the hex permission mask. */
    if (syscall(SYS_keyctl, KEYCTL_DESCRIBE, key, desc, sizeof(desc)) < 0 ||
        sscanf(desc, "%*[^;];%*d;%*d;%x;", &perm) != 1)
        return berth_error_errno(err, "describe session keyring `%s`", name);
    perm |= userns ? KEY_OTH_SEARCH : KEY_USR_SEARCH;
    if (syscall(SYS_keyctl, KEYCTL_SETPERM, key, perm) < 0)
        return berth_error_errno(err, "set permissions of session keyring `%s`", name);
    return 0;
}
