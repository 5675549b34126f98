/* userns.c: writing uid/gid maps of a new user namespace. */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "util/cleanup.h"

static int write_proc_file(pid_t pid, const char *name, const char *data, berth_error_t *err)
{
    char path[64];
    _cleanup_close_ int fd = -1;
    size_t len = strlen(data);

    snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return berth_error_errno(err, "open `%s`", path);
    /* The kernel wants the whole map in a single write(2). */
    if (write(fd, data, len) != (ssize_t)len)
        return berth_error_errno(err, "write `%s`", path);
    return 0;
}

static int format_map(const oci_id_mapping *maps, size_t len, char *buf, size_t size,
                      const char *what, berth_error_t *err)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < len; i++) {
        int n = snprintf(buf + used, size - used, "%u %u %u\n", maps[i].containerID, maps[i].hostID,
                         maps[i].size);
        if (n < 0 || (size_t)n >= size - used)
            return berth_error_make(err, E2BIG, "%s: too many mappings", what);
        used += n;
    }
    if (used == 0)
        return berth_error_make(err, 0, "%s: a new user namespace needs at least one mapping",
                                what);
    return 0;
}

int berth_userns_write_maps(pid_t pid, const oci_linux *linux, berth_error_t *err)
{
    char buf[4096];
    int r;

    /* user_namespaces(7): an unprivileged writer of gid_map must deny
     * setgroups(2) first; root in the parent namespace need not, and then
     * the container may still call setgroups (additionalGids). */
    if (geteuid() != 0) {
        r = write_proc_file(pid, "setgroups", "deny", err);
        if (r < 0)
            return r;
    }
    r = format_map(linux->uidMappings, linux->uidMappings_len, buf, sizeof(buf), "uidMappings",
                   err);
    if (r < 0)
        return r;
    r = write_proc_file(pid, "uid_map", buf, err);
    if (r < 0)
        return r;
    r = format_map(linux->gidMappings, linux->gidMappings_len, buf, sizeof(buf), "gidMappings",
                   err);
    if (r < 0)
        return r;
    return write_proc_file(pid, "gid_map", buf, err);
}

uint32_t berth_userns_host_id(const oci_id_mapping *maps, size_t len, uint32_t id)
{
    if (!maps)
        return id;
    for (size_t i = 0; i < len; i++)
        if (id >= maps[i].containerID && id - maps[i].containerID < maps[i].size)
            return maps[i].hostID + (id - maps[i].containerID);
    return (uint32_t)-1;
}

int berth_userns_become_root(berth_error_t *err)
{
    if (setresgid(0, 0, 0) < 0)
        return berth_error_errno(err, "setresgid(0) in the new user namespace");
    if (setresuid(0, 0, 0) < 0)
        return berth_error_errno(err, "setresuid(0) in the new user namespace");
    /* The uid change made us non-dumpable, which makes the files of /proc/self owned
     * by the host root and unwritable for us (timens_offsets,
     * oom_score_adj...). Nothing of the host is reachable from here. */
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
        return berth_error_errno(err, "prctl(PR_SET_DUMPABLE)");
    return 0;
}
