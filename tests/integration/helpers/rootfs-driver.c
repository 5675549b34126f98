/* rootfs-driver.c: drives the rootfs core (rootfs.h) without `berth create`,
 * for tests/integration/test-rootfs.sh.
 *
 *   rootfs-driver [--no-pivot] [--userns] BUNDLE CMD [ARG...]
 *
 * Reads BUNDLE/config.json, unshares a mount and pid namespace (plus the
 * network/cgroup/ipc/uts namespaces the config lists without a path; with
 * --userns first a user namespace mapping root to host root), forks, and in
 * the child (pid 1 of the new pid namespace) runs prepare -> pivot ->
 * finalize and execs CMD inside the container rootfs. Exits with the child's
 * status. (The console is init's: test-terminal.sh checks it in real
 * containers.) A rootfs failure prints "rootfs-driver: MESSAGE" and exits
 * 125.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rootfs/rootfs.h"

static int ns_flags(const oci_config *cfg)
{
    static const struct {
        const char *type;
        int flag;
    } map[] = {{"network", CLONE_NEWNET},
               {"cgroup", CLONE_NEWCGROUP},
               {"ipc", CLONE_NEWIPC},
               {"uts", CLONE_NEWUTS}};
    int flags = CLONE_NEWNS | CLONE_NEWPID;

    for (size_t i = 0; cfg->linux && i < cfg->linux->namespaces_len; i++)
        for (size_t j = 0; j < sizeof(map) / sizeof(map[0]); j++)
            if (!cfg->linux->namespaces[i].path &&
                strcmp(cfg->linux->namespaces[i].type, map[j].type) == 0)
                flags |= map[j].flag;
    return flags;
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);

    if (fd < 0 || write(fd, text, strlen(text)) < 0) {
        perror(path);
        exit(125);
    }
    close(fd);
}

/* A user namespace whose root is host root (a single mapping 0 -> 0, all a process can map for
 * itself), enough to make mknod of devices refused (the "userns" path binds them). */
static void enter_userns(void)
{
    if (unshare(CLONE_NEWUSER) < 0) {
        perror("unshare(CLONE_NEWUSER)");
        exit(125);
    }
    write_file("/proc/self/setgroups", "deny");
    write_file("/proc/self/uid_map", "0 0 1\n");
    write_file("/proc/self/gid_map", "0 0 1\n");
}

static int run_child(struct berth_rootfs *r, char **cmd)
{
    berth_error_t err = NULL;

    if (berth_rootfs_prepare(r, &err) < 0 || berth_rootfs_pivot(r, &err) < 0 ||
        berth_rootfs_finalize(r, &err) < 0) {
        fprintf(stderr, "rootfs-driver: %s\n", err->msg);
        return 125;
    }
    execv(cmd[0], cmd);
    fprintf(stderr, "rootfs-driver: exec %s: %s\n", cmd[0], strerror(errno));
    return 127;
}

int main(int argc, char **argv)
{
    struct berth_rootfs r = {0};
    struct oci_diags diags = {0};
    berth_error_t err = NULL;
    char path[PATH_MAX + 16], bundle[PATH_MAX], buf[512], *rootfs = NULL;
    bool userns = false;
    oci_config *cfg;
    int i = 1, status;
    pid_t pid;

    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--no-pivot") == 0)
            r.no_pivot = true;
        else if (strcmp(argv[i], "--userns") == 0)
            userns = true;
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: %s [--no-pivot] [--userns] BUNDLE CMD [ARG...]\n", argv[0]);
        return 2;
    }
    if (!realpath(argv[i], bundle)) {
        perror(argv[i]);
        return 125;
    }
    snprintf(path, sizeof(path), "%s/config.json", bundle);
    cfg = oci_config_parse_file(path, &diags);
    if (!cfg) {
        fprintf(stderr, "rootfs-driver: %s\n", oci_diags_first_error(&diags, buf, sizeof(buf)));
        return 125;
    }
    if (berth_rootfs_resolve_path(cfg, bundle, &rootfs, &err) < 0) {
        fprintf(stderr, "rootfs-driver: %s\n", err->msg);
        return 125;
    }
    r = (struct berth_rootfs){cfg, rootfs, bundle, r.no_pivot, userns};
    if (userns)
        enter_userns();
    if (unshare(ns_flags(cfg)) < 0) {
        perror("unshare");
        return 125;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        perror("fork");
        return 125;
    }
    if (pid == 0)
        _exit(run_child(&r, argv + i + 1));
    if (waitpid(pid, &status, 0) < 0) {
        perror("waitpid");
        return 125;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
