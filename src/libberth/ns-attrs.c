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

#include "cleanup.h"

int berth_uts_apply(const oci_config *c, berth_error_t *err)
{
    if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0)
        return berth_error_errno(err, "sethostname `%s`", c->hostname);
    if (c->domainname && setdomainname(c->domainname, strlen(c->domainname)) < 0)
        return berth_error_errno(err, "setdomainname `%s`", c->domainname);
    return 0;
}

static int write_sysctl(const char *key, const char *value, berth_error_t *err)
{
    _cleanup_free_ char *path = NULL;
    _cleanup_close_ int fd = -1;
    size_t len = strlen(value);

    if (strstr(key, "..") || key[0] == '/' || asprintf(&path, "/proc/sys/%s", key) < 0)
        return berth_error_make(err, EINVAL, "sysctl `%s`: invalid key", key);
    for (char *p = path + strlen("/proc/sys/"); *p; p++)
        if (*p == '.')
            *p = '/';
    fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return berth_error_errno(err, "sysctl %s: open `%s`", key, path);
    if (write(fd, value, len) != (ssize_t)len)
        return berth_error_errno(err, "sysctl %s: write `%s`", key, value);
    return 0;
}

int berth_sysctl_apply(const oci_linux *linux, berth_error_t *err)
{
    for (size_t i = 0; linux && i < linux->sysctl.len; i++) {
        int r = write_sysctl(linux->sysctl.keys[i], linux->sysctl.values[i], err);
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
