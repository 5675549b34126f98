/* userns.c: writing uid/gid maps of a new user namespace. */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/run.h"

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

/* newuidmap/newgidmap PID ID HOSTID SIZE...: the setuid helpers of shadow
 * (Debian's uidmap) that map the ranges /etc/subuid and /etc/subgid grant
 * the user, as runc and crun use them. */
static int map_with_tool(const char *tool, pid_t pid, const oci_id_mapping *maps, size_t n,
                         const char *what, berth_error_t *err)
{
    const char *file = strcmp(tool, "newuidmap") == 0 ? "/etc/subuid" : "/etc/subgid";
    _cleanup_free_ char **argv = calloc(2 + 3 * n + 1, sizeof(char *));
    _cleanup_free_ char *nums = calloc(2 + 3 * n, 16);
    char msg[512];
    int status = 0, r;

    if (!argv || !nums)
        return berth_error_make(err, ENOMEM, "%s", what);
    argv[0] = (char *)tool;
    argv[1] = nums;
    snprintf(nums, 16, "%d", (int)pid);
    for (size_t i = 0; i < n; i++) {
        uint32_t v[3] = {maps[i].containerID, maps[i].hostID, maps[i].size};

        for (int k = 0; k < 3; k++) {
            char *slot = nums + 16 * (1 + 3 * i + k);

            snprintf(slot, 16, "%u", v[k]);
            argv[2 + 3 * i + k] = slot;
        }
    }
    r = berth_run_capture(argv, true, NULL, &(struct berth_run_buf){msg, sizeof(msg)}, &status,
                          err);
    if (r == -ENOENT) {
        berth_error_release(err);
        return berth_error_make(err, EPERM,
                                "%s: mapping ids other than your own needs %s (package uidmap) "
                                "and a range for the user in %s",
                                what, tool, file);
    }
    if (r < 0)
        return berth_error_wrap(err, "%s", what);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    return berth_error_make(err, EPERM, "%s: %s failed (%s): the ranges the user may map are in %s",
                            what, tool, msg[0] ? msg : "no message", file);
}

/* One map: written by us when we may (root, or an unprivileged user's own
 * id), else through the setuid helper, as runc's nsexec does. */
static int write_map(pid_t pid, const char *name, const char *tool, const oci_id_mapping *maps,
                     size_t n, const char *what, berth_error_t *err)
{
    char buf[4096];
    int r = format_map(maps, n, buf, sizeof(buf), what, err);

    if (r < 0)
        return r;
    r = write_proc_file(pid, name, buf, err);
    if (r != -EPERM || geteuid() == 0)
        return r;
    berth_error_release(err);
    return map_with_tool(tool, pid, maps, n, what, err);
}

/* runc's requiresRootOrMappingTool, negated: the gid map is the caller's
 * own gid alone, which an unprivileged user may write once setgroups is
 * denied (user_namespaces(7)); any other map goes through newgidmap, which
 * needs setgroups left alone. */
static bool own_gid_only(const oci_linux *linux)
{
    return linux->gidMappings_len == 1 && linux->gidMappings[0].containerID == 0 &&
           linux->gidMappings[0].hostID == (uint32_t)getegid() && linux->gidMappings[0].size == 1;
}

int berth_userns_write_maps(pid_t pid, const oci_linux *linux, berth_error_t *err)
{
    int r;

    /* root in the parent namespace need not deny setgroups, and then the
     * container may still call setgroups (additionalGids) */
    if (geteuid() != 0 && own_gid_only(linux)) {
        r = write_proc_file(pid, "setgroups", "deny", err);
        if (r < 0)
            return r;
    }
    r = write_map(pid, "uid_map", "newuidmap", linux->uidMappings, linux->uidMappings_len,
                  "uidMappings", err);
    if (r < 0)
        return r;
    return write_map(pid, "gid_map", "newgidmap", linux->gidMappings, linux->gidMappings_len,
                     "gidMappings", err);
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

/* include/linux/proc_ns.h: the initial user namespace's inode number,
 * fixed since Linux 3.8 */
#define PROC_USER_INIT_INO 0xEFFFFFFDU

bool berth_userns_nested(void)
{
    struct stat st;

    /* every berth command asks: one stat(2), not uid_map's open/read/close
     * (moby's RunningInUserNS reads uid_map; the answer is the same) */
    return stat("/proc/self/ns/user", &st) == 0 && st.st_ino != PROC_USER_INIT_INO;
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
