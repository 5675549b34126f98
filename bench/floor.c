/* floor.c: the least a container runtime can do for `run` of /bin/true.
 *
 * It is the "floor" of bench/: clone(2) into the same namespaces the
 * default `spec` config asks for (mount, pid, network, ipc, uts), make the
 * mount tree private, bind the rootfs onto itself, pivot_root(2) into it,
 * detach the old root, exec the process and wait for it. No config parsing,
 * no state, no cgroups, no /proc or /dev mounts, no capabilities, no
 * seccomp: a runtime cannot do less and still be a container runtime, so
 * the ratio runtime/floor says how much of a runtime's time is its own work.
 *
 * usage: floor ROOTFS [ARG...]     (default ARG: /bin/true)
 * exit status: the process's exit status (128+N for a signal).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
    perror(what);
    _exit(127);
}

static void child(const char *rootfs, char **argv)
{
    static char *const envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};

    /* Without this, the bind mount and pivot_root below would propagate
     * back into the host's shared mount tree. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        die("make / private");
    /* pivot_root needs the new root to be a mount point. */
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        die("bind rootfs");
    if (chdir(rootfs) < 0)
        die("chdir rootfs");
    /* pivot_root(".", ".") stacks the old root on top of the new one;
     * detaching "." then leaves only the new root (no temp directory). */
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        die("pivot_root");
    if (umount2(".", MNT_DETACH) < 0)
        die("detach old root");
    if (chdir("/") < 0)
        die("chdir /");
    execve(argv[0], argv, envp);
    die("execve");
}

int main(int argc, char **argv)
{
    static char *def[] = {"/bin/true", NULL};
    const int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
    int status;
    pid_t pid;

    if (argc < 2) {
        fprintf(stderr, "usage: %s ROOTFS [ARG...]\n", argv[0]);
        return 2;
    }
    /* The raw syscall with only SIGCHLD and namespace flags behaves like
     * fork(2): the child runs on a copy of our stack. */
    pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid < 0) {
        perror("clone");
        return 127;
    }
    if (pid == 0)
        child(argv[1], argc > 2 ? argv + 2 : def);
    if (waitpid(pid, &status, 0) < 0) {
        perror("waitpid");
        return 127;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
