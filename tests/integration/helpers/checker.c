/* checker.c: a static helper copied into test rootfs as /bin/checker.
 *
 * It reports what the container process really sees, so integration tests
 * can assert outcomes instead of trusting the runtime's exit code. Build:
 *
 *     gcc -static -O2 -o checker checker.c
 *
 * No libraries beyond libc: capabilities, NoNewPrivs, Seccomp and Umask
 * are read from /proc/self/status.
 *
 * Usage: checker CMD [ARG] [CMD [ARG]]...   (commands run in order)
 *
 * Output is one `key=value` per line; the key never contains '=', so the
 * first '=' splits a line. Commands and their keys:
 *   pid              pid= ppid=
 *   hostname         hostname=
 *   domainname       domainname=
 *   ids              uid= gid= euid= egid= groups=G1,G2 (getgroups order,
 *                    empty when none) umask=0022
 *   cwd              cwd=
 *   env              env.NAME=VALUE per variable, in environ order
 *   rlimits          rlimit.RLIMIT_NOFILE=SOFT HARD ("unlimited" for
 *                    RLIM_INFINITY), one line per resource
 *   caps             CapInh= CapPrm= CapEff= CapBnd= CapAmb= (hex exactly as
 *                    in /proc/self/status), then CapXxx.names=CAP_A,CAP_B
 *   nnp              NoNewPrivs=0|1
 *   seccomp          Seccomp=0|1|2 [Seccomp_filters=N]
 *   oom              oom_score_adj=N
 *   ns               ns.NAME=INODE per /proc/self/ns entry, sorted by name
 *   mounts           mount=LINE per /proc/self/mountinfo line
 *   cgroup           cgroup=LINE per /proc/self/cgroup line
 *   label            label=CONTENT of /proc/self/attr/current (may be empty)
 *   ro PATH          probes a directory by creating a file in it (removed
 *                    again), any other file by opening it O_WRONLY: ro=1 on
 *                    EROFS, ro=0 on success,
 *                    else ro=error ro.errno=NAME ro.error=TEXT
 *   fds              fds=3,4 (open fds other than 0, 1, 2 and the one used
 *                    to list them) then fd.N=TARGET for each
 *   stat PATH        stat.type=reg|dir|chr|blk|fifo|sock|lnk stat.mode=0644
 *                    stat.major= stat.minor= stat.uid= stat.gid=
 *                    [stat.link=TARGET]; lstat(2), so links are not followed
 *   file PATH        file.PATH=its first line (sysctls under /proc/sys,
 *                    cgroup values), or file.PATH.error=ERRNONAME
 *   sched            sched.policy=N nice=N ioprio=CLASS/DATA
 *                    personality=0xHEX (scheduler, ioPriority, personality)
 *   syscall NR       calls syscall NR with all-zero arguments: syscall.NR=0 on
 *                    success, else syscall.NR=ERRNONAME (seccomp probes)
 *   sleep SECONDS    sleeps (fractions allowed), prints nothing
 *   exit N           flushes and exits with status N
 *   signal-wait [N]  blocks all signals, prints ready=1, then for each of N
 *                    (default 1) signals (SIGCHLD ignored) prints
 *                    signal=NUM signal.name=TERM
 *   all              pid hostname domainname ids cwd env rlimits caps nnp
 *                    seccomp oom ns mounts cgroup label fds
 *
 * A failing query prints KEY.error=TEXT and makes the exit status 1 (unless
 * an `exit` command comes later); unknown commands exit 2.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static bool failed;

static void report_error(const char *key, int err)
{
    printf("%s.error=%s\n", key, strerror(err));
    failed = true;
}

/* Returns the value of field NAME ("CapEff") of /proc/self/status, without
 * the tab, in a static buffer, or NULL when the field is absent. */
static const char *status_field(const char *name)
{
    static char value[256];
    char line[512];
    size_t len = strlen(name);
    const char *found = NULL;
    FILE *f = fopen("/proc/self/status", "re");

    if (f == NULL)
        return NULL;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, name, len) != 0 || line[len] != ':')
            continue;
        char *v = line + len + 1;
        v += strspn(v, " \t");
        v[strcspn(v, "\n")] = '\0';
        snprintf(value, sizeof(value), "%s", v);
        found = value;
        break;
    }
    fclose(f);
    return found;
}

static void print_status_field(const char *name, bool required)
{
    const char *v = status_field(name);

    if (v != NULL)
        printf("%s=%s\n", name, v);
    else if (required)
        report_error(name, ENOENT);
}

/* Prints every line of FILE as KEY=LINE. */
static void print_lines(const char *key, const char *file)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    FILE *f = fopen(file, "re");

    if (f == NULL) {
        report_error(key, errno);
        return;
    }
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        printf("%s=%s\n", key, line);
    }
    free(line);
    fclose(f);
}

static void cmd_pid(void)
{
    printf("pid=%d\nppid=%d\n", (int)getpid(), (int)getppid());
}

static void cmd_uname(bool domain)
{
    struct utsname u;

    if (uname(&u) < 0) {
        report_error(domain ? "domainname" : "hostname", errno);
        return;
    }
    if (domain)
        printf("domainname=%s\n", u.domainname);
    else
        printf("hostname=%s\n", u.nodename);
}

static void cmd_ids(void)
{
    gid_t groups[NGROUPS_MAX];
    int n = getgroups(NGROUPS_MAX, groups);
    const char *um = status_field("Umask");

    printf("uid=%u\ngid=%u\neuid=%u\negid=%u\n", getuid(), getgid(), geteuid(), getegid());
    if (n < 0) {
        report_error("groups", errno);
    } else {
        printf("groups=");
        for (int i = 0; i < n; i++)
            printf("%s%u", i ? "," : "", groups[i]);
        printf("\n");
    }
    if (um != NULL) {
        printf("umask=%s\n", um);
    } else {
        /* Kernels before 4.7 have no Umask field: read it the racy way,
         * which is fine in a single-threaded helper. */
        mode_t m = umask(0);
        umask(m);
        printf("umask=%04o\n", (unsigned)m);
    }
}

static void cmd_cwd(void)
{
    char buf[PATH_MAX];

    if (getcwd(buf, sizeof(buf)) == NULL)
        report_error("cwd", errno);
    else
        printf("cwd=%s\n", buf);
}

static void cmd_env(void)
{
    for (char **e = environ; *e != NULL; e++) {
        if (strchr(*e, '=') != NULL)
            printf("env.%s\n", *e);
        else
            printf("env.%s=\n", *e);
    }
}

static const struct {
    int resource;
    const char *name;
} rlimits[] = {
    {RLIMIT_AS, "RLIMIT_AS"},
    {RLIMIT_CORE, "RLIMIT_CORE"},
    {RLIMIT_CPU, "RLIMIT_CPU"},
    {RLIMIT_DATA, "RLIMIT_DATA"},
    {RLIMIT_FSIZE, "RLIMIT_FSIZE"},
    {RLIMIT_LOCKS, "RLIMIT_LOCKS"},
    {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"},
    {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"},
    {RLIMIT_NICE, "RLIMIT_NICE"},
    {RLIMIT_NOFILE, "RLIMIT_NOFILE"},
    {RLIMIT_NPROC, "RLIMIT_NPROC"},
    {RLIMIT_RSS, "RLIMIT_RSS"},
    {RLIMIT_RTPRIO, "RLIMIT_RTPRIO"},
    {RLIMIT_RTTIME, "RLIMIT_RTTIME"},
    {RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"},
    {RLIMIT_STACK, "RLIMIT_STACK"},
};

static void print_rlim(rlim_t v)
{
    if (v == RLIM_INFINITY)
        printf("unlimited");
    else
        printf("%llu", (unsigned long long)v);
}

static void cmd_rlimits(void)
{
    for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++) {
        struct rlimit rl;

        if (getrlimit(rlimits[i].resource, &rl) < 0) {
            char key[64];
            snprintf(key, sizeof(key), "rlimit.%s", rlimits[i].name);
            report_error(key, errno);
            continue;
        }
        printf("rlimit.%s=", rlimits[i].name);
        print_rlim(rl.rlim_cur);
        printf(" ");
        print_rlim(rl.rlim_max);
        printf("\n");
    }
}

/* Capability numbers from linux/capability.h; index = bit number. */
static const char *const cap_names[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

static void cmd_caps(void)
{
    static const char *const sets[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"};
    const size_t nsets = sizeof(sets) / sizeof(sets[0]);
    const size_t ncaps = sizeof(cap_names) / sizeof(cap_names[0]);
    unsigned long long mask[5];
    bool have[5];

    for (size_t s = 0; s < nsets; s++) {
        const char *v = status_field(sets[s]);

        have[s] = v != NULL;
        if (!have[s]) {
            report_error(sets[s], ENOENT);
            continue;
        }
        printf("%s=%s\n", sets[s], v);
        mask[s] = strtoull(v, NULL, 16);
    }
    for (size_t s = 0; s < nsets; s++) {
        if (!have[s])
            continue;
        bool first = true;
        printf("%s.names=", sets[s]);
        for (size_t bit = 0; bit < 64; bit++) {
            if (!(mask[s] & (1ULL << bit)))
                continue;
            if (bit < ncaps)
                printf("%s%s", first ? "" : ",", cap_names[bit]);
            else
                printf("%sCAP_%zu", first ? "" : ",", bit);
            first = false;
        }
        printf("\n");
    }
}

static void cmd_oom(void)
{
    char buf[64];
    FILE *f = fopen("/proc/self/oom_score_adj", "re");

    if (f == NULL) {
        report_error("oom_score_adj", errno);
        return;
    }
    if (fgets(buf, sizeof(buf), f) == NULL) {
        report_error("oom_score_adj", EIO);
    } else {
        buf[strcspn(buf, "\n")] = '\0';
        printf("oom_score_adj=%s\n", buf);
    }
    fclose(f);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void cmd_ns(void)
{
    char *names[64];
    size_t n = 0;
    struct dirent *de;
    DIR *d = opendir("/proc/self/ns");

    if (d == NULL) {
        report_error("ns", errno);
        return;
    }
    while ((de = readdir(d)) != NULL && n < 64) {
        if (de->d_name[0] != '.')
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), compare_names);
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        struct stat st;

        snprintf(path, sizeof(path), "/proc/self/ns/%s", names[i]);
        if (stat(path, &st) < 0) {
            char key[128];
            snprintf(key, sizeof(key), "ns.%s", names[i]);
            report_error(key, errno);
        } else {
            printf("ns.%s=%llu\n", names[i], (unsigned long long)st.st_ino);
        }
        free(names[i]);
    }
}

static void cmd_label(void)
{
    char buf[4096];
    ssize_t n;
    int fd = open("/proc/self/attr/current", O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        /* No LSM attribute interface: there is no label to see. */
        printf("label=\n");
        return;
    }
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n < 0) {
        /* EINVAL: no LSM provides a label. */
        if (errno == EINVAL) {
            printf("label=\n");
            return;
        }
        report_error("label", errno);
        return;
    }
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    printf("label=%s\n", buf);
}

static void cmd_ro(const char *target)
{
    char path[PATH_MAX];
    int fd;

    struct stat st;
    bool is_dir = stat(target, &st) < 0 || S_ISDIR(st.st_mode);

    /* A directory is probed by creating (and removing) a file in it; any
     * other existing file by opening it for writing, without truncating. */
    if (is_dir) {
        snprintf(path, sizeof(path), "%s/.checker-ro-%d", target, (int)getpid());
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    } else {
        fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    }
    if (fd >= 0) {
        close(fd);
        if (is_dir)
            unlink(path);
        printf("ro=0\n");
    } else if (errno == EROFS) {
        printf("ro=1\n");
    } else {
        const char *name = strerrorname_np(errno);
        printf("ro=error\nro.errno=%s\nro.error=%s\n", name ? name : "?", strerror(errno));
    }
}

static void cmd_fds(void)
{
    int fds[1024];
    size_t n = 0;
    struct dirent *de;
    DIR *d = opendir("/proc/self/fd");

    if (d == NULL) {
        report_error("fds", errno);
        return;
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        int fd = atoi(de->d_name);
        if (fd > 2 && fd != dirfd(d) && n < 1024)
            fds[n++] = fd;
    }
    closedir(d);
    printf("fds=");
    for (size_t i = 0; i < n; i++)
        printf("%s%d", i ? "," : "", fds[i]);
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        char path[64], target[PATH_MAX];
        ssize_t len;

        snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[i]);
        len = readlink(path, target, sizeof(target) - 1);
        if (len < 0)
            snprintf(target, sizeof(target), "?");
        else
            target[len] = '\0';
        printf("fd.%d=%s\n", fds[i], target);
    }
}

static const char *file_type(mode_t m)
{
    switch (m & S_IFMT) {
    case S_IFREG:
        return "reg";
    case S_IFDIR:
        return "dir";
    case S_IFCHR:
        return "chr";
    case S_IFBLK:
        return "blk";
    case S_IFIFO:
        return "fifo";
    case S_IFSOCK:
        return "sock";
    case S_IFLNK:
        return "lnk";
    default:
        return "unknown";
    }
}

static void cmd_stat(const char *path)
{
    struct stat st;

    if (lstat(path, &st) < 0) {
        report_error("stat", errno);
        return;
    }
    printf("stat.type=%s\nstat.mode=%04o\n", file_type(st.st_mode), (unsigned)(st.st_mode & 07777));
    printf("stat.major=%u\nstat.minor=%u\n", major(st.st_rdev), minor(st.st_rdev));
    printf("stat.uid=%u\nstat.gid=%u\n", st.st_uid, st.st_gid);
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t len = readlink(path, target, sizeof(target) - 1);
        if (len >= 0) {
            target[len] = '\0';
            printf("stat.link=%s\n", target);
        }
    }
}

static void cmd_sleep(double seconds)
{
    struct timespec ts = {.tv_sec = (time_t)seconds};

    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static void on_signal(int sig)
{
    (void)sig;
}

static void cmd_signal_wait(long count)
{
    sigset_t all;
    struct sigaction sa = {.sa_handler = on_signal};

    /* A container's pid 1 only receives signals it handles (the kernel
     * drops default-action signals for a namespace init), and blocked
     * signals are always queued: install handlers and block everything. */
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    for (int s = 1; s < NSIG; s++) {
        if (s != SIGKILL && s != SIGSTOP)
            sigaction(s, &sa, NULL);
    }
    printf("ready=1\n");
    fflush(stdout);
    while (count > 0) {
        siginfo_t si;
        int sig = sigwaitinfo(&all, &si);

        if (sig < 0) {
            if (errno == EINTR)
                continue;
            report_error("signal", errno);
            return;
        }
        if (sig == SIGCHLD)
            continue;
        const char *name = sigabbrev_np(sig);
        printf("signal=%d\nsignal.name=%s\n", sig, name ? name : "?");
        fflush(stdout);
        count--;
    }
}

static bool parse_long(const char *s, long *ret)
{
    char *end;

    errno = 0;
    *ret = strtol(s, &end, 10);
    return errno == 0 && end != s && *end == '\0';
}

static void cmd_all(void)
{
    cmd_pid();
    cmd_uname(false);
    cmd_uname(true);
    cmd_ids();
    cmd_cwd();
    cmd_env();
    cmd_rlimits();
    cmd_caps();
    print_status_field("NoNewPrivs", true);
    print_status_field("Seccomp", true);
    print_status_field("Seccomp_filters", false);
    cmd_oom();
    cmd_ns();
    print_lines("mount", "/proc/self/mountinfo");
    print_lines("cgroup", "/proc/self/cgroup");
    cmd_label();
    cmd_fds();
}

static void cmd_file(const char *path)
{
    char line[4096] = "";
    FILE *f = fopen(path, "re");

    if (!f) {
        const char *name = strerrorname_np(errno);
        printf("file.%s.error=%s\n", path, name ? name : "?");
        failed = true;
        return;
    }
    if (!fgets(line, sizeof(line), f))
        line[0] = '\0';
    fclose(f);
    line[strcspn(line, "\n")] = '\0';
    printf("file.%s=%s\n", path, line);
}

static void cmd_sched(void)
{
    /* ioprio_get(IOPRIO_WHO_PROCESS, self): class in bits 13.., data below */
    long io = syscall(SYS_ioprio_get, 1, 0);

    errno = 0;
    printf("sched.policy=%d\n", sched_getscheduler(0));
    printf("nice=%d\n", getpriority(PRIO_PROCESS, 0));
    printf("ioprio=%ld/%ld\n", io < 0 ? -1 : io >> 13, io < 0 ? -1 : io & 0x1fff);
    printf("personality=0x%x\n", (unsigned)personality(0xffffffff));
}

static int usage(const char *msg)
{
    fprintf(stderr, "checker: %s\n", msg);
    fprintf(stderr, "usage: checker CMD [ARG]... (pid hostname domainname ids cwd env rlimits caps "
                    "nnp seccomp oom "
                    "ns mounts cgroup label fds sched all | ro PATH | file PATH | stat PATH | "
                    "syscall NR | sleep SEC | "
                    "exit N | "
                    "signal-wait [N])\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage("no command given");

    for (int i = 1; i < argc; i++) {
        const char *cmd = argv[i];
        const char *arg = i + 1 < argc ? argv[i + 1] : NULL;
        long num;

        if (strcmp(cmd, "pid") == 0) {
            cmd_pid();
        } else if (strcmp(cmd, "hostname") == 0) {
            cmd_uname(false);
        } else if (strcmp(cmd, "domainname") == 0) {
            cmd_uname(true);
        } else if (strcmp(cmd, "ids") == 0) {
            cmd_ids();
        } else if (strcmp(cmd, "cwd") == 0) {
            cmd_cwd();
        } else if (strcmp(cmd, "env") == 0) {
            cmd_env();
        } else if (strcmp(cmd, "rlimits") == 0) {
            cmd_rlimits();
        } else if (strcmp(cmd, "caps") == 0) {
            cmd_caps();
        } else if (strcmp(cmd, "nnp") == 0) {
            print_status_field("NoNewPrivs", true);
        } else if (strcmp(cmd, "seccomp") == 0) {
            print_status_field("Seccomp", true);
            print_status_field("Seccomp_filters", false);
        } else if (strcmp(cmd, "oom") == 0) {
            cmd_oom();
        } else if (strcmp(cmd, "ns") == 0) {
            cmd_ns();
        } else if (strcmp(cmd, "mounts") == 0) {
            print_lines("mount", "/proc/self/mountinfo");
        } else if (strcmp(cmd, "cgroup") == 0) {
            print_lines("cgroup", "/proc/self/cgroup");
        } else if (strcmp(cmd, "label") == 0) {
            cmd_label();
        } else if (strcmp(cmd, "fds") == 0) {
            cmd_fds();
        } else if (strcmp(cmd, "all") == 0) {
            cmd_all();
        } else if (strcmp(cmd, "ro") == 0 || strcmp(cmd, "stat") == 0) {
            if (arg == NULL)
                return usage("ro and stat need a PATH");
            if (cmd[0] == 'r')
                cmd_ro(arg);
            else
                cmd_stat(arg);
            i++;
        } else if (strcmp(cmd, "file") == 0) {
            if (arg == NULL)
                return usage("file needs a PATH");
            cmd_file(arg);
            i++;
        } else if (strcmp(cmd, "sched") == 0) {
            cmd_sched();
        } else if (strcmp(cmd, "syscall") == 0) {
            if (arg == NULL || !parse_long(arg, &num) || num < 0)
                return usage("syscall needs a number");
            errno = 0;
            if (syscall(num, 0L, 0L, 0L, 0L, 0L, 0L) < 0) {
                const char *name = strerrorname_np(errno);
                printf("syscall.%ld=%s\n", num, name ? name : "?");
            } else {
                printf("syscall.%ld=0\n", num);
            }
            i++;
        } else if (strcmp(cmd, "sleep") == 0) {
            char *end;
            double sec = arg ? strtod(arg, &end) : -1;
            if (arg == NULL || *end != '\0' || sec < 0)
                return usage("sleep needs a number of seconds");
            fflush(stdout);
            cmd_sleep(sec);
            i++;
        } else if (strcmp(cmd, "exit") == 0) {
            if (arg == NULL || !parse_long(arg, &num) || num < 0 || num > 255)
                return usage("exit needs a status 0-255");
            fflush(stdout);
            exit((int)num);
        } else if (strcmp(cmd, "signal-wait") == 0) {
            num = 1;
            if (arg != NULL && parse_long(arg, &num)) {
                i++;
                if (num < 1)
                    return usage("signal-wait needs a count >= 1");
            }
            cmd_signal_wait(num);
        } else {
            return usage("unknown command");
        }
        fflush(stdout);
    }
    return failed ? 1 : 0;
}
