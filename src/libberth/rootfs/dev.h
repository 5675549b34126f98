/* dev.h: device nodes and /dev links of the container (config-linux.md
 * "Devices", "Default Devices"; runtime-linux.md "Dev symbolic links").
 *
 * Devices are mknod'ed, or, inside a new user namespace where mknod is not
 * allowed, bind-mounted from the host path of the same name. An existing file
 * at a device path that is not the requested device is an error.
 */
#ifndef BERTH_DEV_H
#define BERTH_DEV_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/error.h"
#include "oci-types.h"

struct berth_device {
    const char *path; /* container path, e.g. /dev/null */
    char type;        /* c b u p */
    unsigned major, minor;
    mode_t mode; /* permission bits */
    uid_t uid;
    gid_t gid;
};

/* Creates one device under rootfd. `what` names it in errors. */
int berth_dev_create(int rootfd, const struct berth_device *d, bool userns, const char *what,
                     berth_error_t *err);

/* The default devices (null zero full random urandom tty) not overridden by
 * linux.devices, then linux.devices in order. */
int berth_dev_create_all(int rootfd, const oci_config *cfg, bool userns, berth_error_t *err);

/* /dev/fd, /dev/std{in,out,err} -> /proc/self/fd..., /dev/ptmx -> pts/ptmx. */
int berth_dev_symlinks(int rootfd, berth_error_t *err);

#endif
