/* test-state.c: unit tests of the state concern: signal names, id
 * validation, the state store (round trip, atomic write, dir lifecycle,
 * lock) and status derivation against real processes. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/signals.h"
#include "state/state-json.h"
#include "state/state.h"
#include "container/status.h"

static char tmpdir[] = "/tmp/berth-test-state.XXXXXX";
static char root[64];

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(root, sizeof(root), "%s/root", tmpdir);
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(tmpdir, "/tmp/berth-test-state.XXXXXX");
}

/* Parses s and returns the signal, or -1 with the error checked. */
static int sig(const char *s)
{
    berth_error_t err = NULL;
    int signo = -1;

    if (berth_signal_parse(s, &signo, &err) < 0) {
        ck_assert_ptr_nonnull(err);
        ck_assert_ptr_nonnull(strstr(err->msg, "unknown signal"));
        berth_error_release(&err);
        return -1;
    }
    ck_assert_ptr_null(err);
    return signo;
}

START_TEST(test_signal_parse)
{
    ck_assert_int_eq(sig("TERM"), SIGTERM);
    ck_assert_int_eq(sig("SIGTERM"), SIGTERM);
    ck_assert_int_eq(sig("sigterm"), SIGTERM);
    ck_assert_int_eq(sig("15"), 15);
    ck_assert_int_eq(sig("9"), SIGKILL);
    ck_assert_int_eq(sig("KILL"), SIGKILL);
    ck_assert_int_eq(sig("SIGUSR1"), SIGUSR1);
    ck_assert_int_eq(sig("hup"), SIGHUP);
    ck_assert_int_eq(sig("CHLD"), SIGCHLD);
    ck_assert_int_eq(sig("CLD"), SIGCHLD);
    ck_assert_int_eq(sig("0"), 0);
    ck_assert_int_eq(sig("64"), 64);
    /* glibc's SIGRTMIN (34), which is what systemd means by RTMIN+3 */
    ck_assert_int_eq(sig("SIGRTMIN"), SIGRTMIN);
    ck_assert_int_eq(sig("SIGRTMIN+3"), SIGRTMIN + 3);
    ck_assert_int_eq(sig("RTMIN+3"), 37);
    ck_assert_int_eq(sig("RTMAX"), SIGRTMAX);
    ck_assert_int_eq(sig("SIGRTMAX-1"), SIGRTMAX - 1);
    ck_assert_int_eq(sig("RTMIN+30"), SIGRTMAX);

    ck_assert_int_eq(sig("65"), -1);
    ck_assert_int_eq(sig("-1"), -1);
    ck_assert_int_eq(sig(""), -1);
    ck_assert_int_eq(sig("SIG"), -1);
    ck_assert_int_eq(sig("TERMX"), -1);
    ck_assert_int_eq(sig("15x"), -1);
    ck_assert_int_eq(sig("RTMIN+31"), -1);
    ck_assert_int_eq(sig("RTMIN-1"), -1);
    ck_assert_int_eq(sig("RTMAX+1"), -1);
    ck_assert_int_eq(sig("RTMIN+"), -1);
    ck_assert_int_eq(sig("99999999999999999999"), -1);
}
END_TEST

static bool id_ok(const char *id)
{
    berth_error_t err = NULL;
    int r = berth_id_validate(id, &err);

    ck_assert_int_eq(r < 0, err != NULL);
    if (err)
        ck_assert_ptr_nonnull(strstr(err->msg, "invalid container ID format"));
    berth_error_release(&err);
    return r == 0;
}

START_TEST(test_id_validate)
{
    char long_id[BERTH_ID_MAX + 2];

    ck_assert(id_ok("a"));
    ck_assert(id_ok("0"));
    ck_assert(id_ok("A1_.+-z"));
    ck_assert(id_ok("a.."));
    /* runc's rule: any of the characters anywhere, "." and ".." aside */
    ck_assert(id_ok("..a"));
    ck_assert(id_ok(".hidden"));
    ck_assert(id_ok("-a"));
    ck_assert(id_ok("_a"));
    ck_assert(id_ok("..."));
    memset(long_id, 'x', BERTH_ID_MAX);
    long_id[BERTH_ID_MAX] = '\0';
    ck_assert(id_ok(long_id));

    long_id[BERTH_ID_MAX] = 'x';
    long_id[BERTH_ID_MAX + 1] = '\0';
    ck_assert(!id_ok(long_id));
    ck_assert(!id_ok(""));
    ck_assert(!id_ok(NULL));
    ck_assert(!id_ok("."));
    ck_assert(!id_ok(".."));
    ck_assert(!id_ok("a/b"));
    ck_assert(!id_ok("../etc"));
    ck_assert(!id_ok("/abs"));
    ck_assert(!id_ok("a b"));
    ck_assert(!id_ok("a\n"));
    ck_assert(!id_ok("a:b"));
    ck_assert(!id_ok("\xc3\xa9"));
}
END_TEST

/* A state with every field set. */
static struct berth_container_state *sample_state(void)
{
    struct berth_container_state *s = calloc(1, sizeof(*s));

    s->id = strdup("c1");
    s->bundle = strdup("/b/dir");
    s->rootfs = strdup("/b/dir/rootfs");
    s->pid = 4242;
    s->start_time = 123456789012ULL;
    s->created = strdup("2026-11-28T01:02:03.123456789Z");
    s->owner = strdup("root");
    s->cgroup_path = strdup("/berth/c1");
    s->created_status = true;
    s->annotations_len = 2;
    s->annotations = calloc(2, sizeof(*s->annotations));
    s->annotations[0].key = strdup("org.example/key");
    s->annotations[0].value = strdup("value with \"quotes\" and \xc3\xa9");
    s->annotations[1].key = strdup("empty");
    s->annotations[1].value = strdup("");
    return s;
}

static int create_dir(const char *id)
{
    berth_error_t err = NULL;
    int fd = berth_state_dir_create(root, id, &err);

    ck_assert_msg(fd >= 0, "create: %s", err ? err->msg : "?");
    return fd;
}

static size_t count_entries(int dirfd)
{
    _cleanup_closedir_ DIR *d = fdopendir(dup(dirfd));
    struct dirent *de;
    size_t n = 0;

    ck_assert_ptr_nonnull(d);
    rewinddir(d); /* the dup shares the position of dirfd */
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    return n;
}

/* The cgroup record is a JSON object of state.json, through the same
 * encoder as the rest; the tab-separated text of older berth versions is
 * still read (their containers outlive an upgrade). */
START_TEST(test_state_cgroup_record)
{
    struct berth_cgroup_record_dir dirs[] = {
        {.controllers = "cpu,cpuacct",
         .mount = "/sys/fs/cgroup/cpu,cpuacct",
         .path = "/sys/fs/cgroup/cpu,cpuacct/machine.slice/p-x.scope"},
        {.v2 = true,
         .controllers = "hugetlb",
         .mount = "/sys/fs/cgroup/unified",
         .path = "/sys/fs/cgroup/unified/berth/c\t1",
         .created = "/sys/fs/cgroup/unified/berth",
         .devices = true,
         .freezer = true},
    };
    struct berth_cgroup_record rec = {
        .path = "/berth/c\t1", .dirs = dirs, .ndirs = 2, .unit = "p-x.scope", .unit_v2 = true};
    struct berth_container_state in = {.id = "c1", .cgroup = &rec}, *out = NULL;
    berth_error_t err = NULL;
    _cleanup_free_ char *json = NULL;

    ck_assert_int_eq(berth_state_json_encode(&in, &json, NULL, &err), 0);
    ck_assert_ptr_nonnull(strstr(json, "\"cgroup\":{"));
    ck_assert_ptr_nonnull(strstr(json, "\"hierarchy\":\"v2\""));
    ck_assert_ptr_null(strstr(json, "cgroupState"));
    /* defaults left out: v1, a path that is mount + the cgroup's path, a
     * created directory relative to its mount */
    ck_assert_ptr_null(strstr(json, "\"v1\""));
    ck_assert_ptr_nonnull(strstr(json, "\"path\":\"/sys/fs/cgroup/cpu,cpuacct/machine.slice"));
    ck_assert_ptr_null(strstr(json, "\"path\":\"/sys/fs/cgroup/unified"));
    ck_assert_ptr_nonnull(strstr(json, "\"created\":\"/berth\""));
    ck_assert_int_eq(berth_state_json_decode(json, &out, &err), 0);
    ck_assert_ptr_nonnull(out->cgroup);
    ck_assert_str_eq(out->cgroup->path, "/berth/c\t1");
    ck_assert_uint_eq(out->cgroup->ndirs, 2);
    ck_assert(!out->cgroup->dirs[0].v2 && out->cgroup->dirs[1].v2);
    ck_assert_ptr_null(out->cgroup->dirs[0].created);
    ck_assert_str_eq(out->cgroup->dirs[1].created, "/sys/fs/cgroup/unified/berth");
    ck_assert_str_eq(out->cgroup->dirs[1].path, dirs[1].path);
    ck_assert(out->cgroup->dirs[1].devices && out->cgroup->dirs[1].freezer);
    ck_assert(!out->cgroup->dirs[0].devices);
    ck_assert_str_eq(out->cgroup->unit, "p-x.scope");
    ck_assert(out->cgroup->unit_v2);
    berth_container_state_free(out);

    /* an id that starts with ".." is a name, not a climb */
    ck_assert_int_eq(
        berth_state_json_decode("{\"id\": \"..a\", \"cgroup\": {\"path\": \"/berth/..a\", "
                                "\"dirs\": [{\"controllers\": \"memory\", \"mount\": "
                                "\"/m\", \"created\": \"/berth/..a\"}]}}",
                                &out, &err),
        0);
    ck_assert_str_eq(out->cgroup->dirs[0].path, "/m/berth/..a");
    ck_assert_str_eq(out->cgroup->dirs[0].created, "/m/berth/..a");
    berth_container_state_free(out);

    /* the text record of the state.json of earlier berth builds */
    ck_assert_int_eq(
        berth_state_json_decode("{\"id\": \"old\", \"cgroupState\": "
                                "\"v1\\tmemory\\t/m\\t/m/berth/old\\t/m/berth\\t00\\n"
                                "v2\\thugetlb\\t/u\\t/u/berth/old\\t\\t11\\npath\\t/berth/old\\n"
                                "unit\\tberth-old.scope\\t0\\n\"}",
                                &out, &err),
        0);
    ck_assert_uint_eq(out->cgroup->ndirs, 2);
    ck_assert_str_eq(out->cgroup->dirs[0].created, "/m/berth");
    ck_assert_str_eq(out->cgroup->dirs[1].path, "/u/berth/old");
    ck_assert(out->cgroup->dirs[1].devices && out->cgroup->dirs[1].freezer);
    ck_assert_str_eq(out->cgroup->path, "/berth/old");
    ck_assert_str_eq(out->cgroup->unit, "berth-old.scope");
    ck_assert(!out->cgroup->unit_v2);
    berth_container_state_free(out);

    /* what a damaged file can hold is refused, with the field named */
    static const char *const bad[] = {
        "{\"id\": \"x\", \"cgroup\": []}",
        "{\"id\": \"x\", \"cgroup\": {\"path\": \"/p\", \"dirs\": []}}",
        "{\"id\": \"x\", \"cgroup\": {\"dirs\": [{\"hierarchy\": \"v3\", \"controllers\": \"\", "
        "\"mount\": \"/m\", \"path\": \"/m/p\"}]}}",
        "{\"id\": \"x\", \"cgroup\": {\"dirs\": [{\"hierarchy\": \"v1\", \"controllers\": "
        "\"memory\", "
        "\"mount\": \"/m\", \"path\": \"relative\"}]}}",
        "{\"id\": \"x\", \"cgroupState\": \"v1\\tmemory\\t/m\\trelative\\t\\t00\\n\"}",
        "{\"id\": \"x\", \"cgroupState\": \"\"}",
        "{\"id\": \"x\", \"cgroup\": {\"path\": \"/p\", \"dirs\": [{\"controllers\": \"memory\", "
        "\"mount\": \"/m\", \"created\": \"/../etc\"}]}}",
        "{\"id\": \"x\", \"cgroup\": {\"dirs\": [{\"controllers\": \"memory\", \"mount\": "
        "\"/m\"}]}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(berth_state_json_decode(bad[i], &out, &err) < 0, "accepted: %s", bad[i]);
        ck_assert_ptr_nonnull(strstr(err->msg, "cgroup"));
        berth_error_release(&err);
    }
}
END_TEST

START_TEST(test_state_round_trip)
{
    struct berth_container_state *in = sample_state(), *out = NULL;
    _cleanup_close_ int dirfd = create_dir("c1");
    berth_error_t err = NULL;
    struct stat st;

    ck_assert_int_eq(berth_state_write(dirfd, in, &err), 0);
    ck_assert_int_eq(berth_state_read(dirfd, &out, &err), 0);
    ck_assert_str_eq(out->id, in->id);
    ck_assert_str_eq(out->bundle, in->bundle);
    ck_assert_str_eq(out->rootfs, in->rootfs);
    ck_assert_int_eq(out->pid, in->pid);
    ck_assert_uint_eq(out->start_time, in->start_time);
    ck_assert_str_eq(out->created, in->created);
    ck_assert_str_eq(out->owner, in->owner);
    ck_assert_str_eq(out->cgroup_path, in->cgroup_path);
    ck_assert(out->created_status);
    ck_assert_uint_eq(out->annotations_len, 2);
    ck_assert_str_eq(out->annotations[0].key, "org.example/key");
    ck_assert_str_eq(out->annotations[0].value, in->annotations[0].value);
    ck_assert_str_eq(out->annotations[1].value, "");
    /* lock + state.json, no temp file */
    ck_assert_uint_eq(count_entries(dirfd), 2);
    ck_assert_int_eq(fstatat(dirfd, "state.json", &st, 0), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);

    /* a rewrite replaces the document */
    in->created_status = false;
    in->pid = 7;
    berth_container_state_free(out);
    ck_assert_int_eq(berth_state_write(dirfd, in, &err), 0);
    ck_assert_int_eq(berth_state_read(dirfd, &out, &err), 0);
    ck_assert(!out->created_status);
    ck_assert_int_eq(out->pid, 7);
    ck_assert_uint_eq(count_entries(dirfd), 2);
    berth_container_state_free(out);

    /* Larger than the 4 KiB the reader and the JSON engine keep on the
     * stack (a state with big annotations): read whole, through the heap. */
    for (size_t size = 4000; size <= 20000; size += 8000) {
        char *big = malloc(size + 1);
        memset(big, 'x', size);
        big[size] = '\0';
        free(in->annotations[1].value);
        in->annotations[1].value = big;
        ck_assert_int_eq(berth_state_write(dirfd, in, &err), 0);
        ck_assert_int_eq(berth_state_read(dirfd, &out, &err), 0);
        ck_assert_uint_eq(strlen(out->annotations[1].value), size);
        ck_assert_str_eq(out->annotations[1].value, big);
        ck_assert_str_eq(out->id, "c1");
        berth_container_state_free(out);
    }
    berth_container_state_free(in);
}
END_TEST

START_TEST(test_state_write_failure_leaves_no_temp)
{
    struct berth_container_state *in = sample_state();
    _cleanup_close_ int dirfd = create_dir("c1");
    berth_error_t err = NULL;

    /* rename() of a file over a non-empty directory fails after the temp
     * file has been written: it must be unlinked again. */
    ck_assert_int_eq(mkdirat(dirfd, "state.json", 0700), 0);
    ck_assert_int_eq(close(openat(dirfd, "state.json/x", O_CREAT | O_WRONLY, 0600)), 0);
    ck_assert_int_lt(berth_state_write(dirfd, in, &err), 0);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err->msg, "write state.json"));
    berth_error_release(&err);
    ck_assert_uint_eq(count_entries(dirfd), 2); /* lock + the directory */
    berth_container_state_free(in);
}
END_TEST

START_TEST(test_state_read_errors)
{
    _cleanup_close_ int dirfd = create_dir("c1");
    struct berth_container_state *out = NULL;
    berth_error_t err = NULL;
    int fd;

    ck_assert_int_eq(berth_state_read(dirfd, &out, &err), -ENOENT);
    berth_error_release(&err);

    fd = openat(dirfd, "state.json", O_CREAT | O_WRONLY, 0600);
    ck_assert_int_eq(write(fd, "{\"pid\": 1", 9), 9);
    close(fd);
    ck_assert_int_eq(berth_state_read(dirfd, &out, &err), -EINVAL);
    ck_assert_ptr_nonnull(strstr(err->msg, "parse state.json"));
    berth_error_release(&err);

    fd = openat(dirfd, "state.json", O_TRUNC | O_WRONLY);
    ck_assert_int_eq(write(fd, "{\"pid\": 1}", 10), 10);
    close(fd);
    ck_assert_int_eq(berth_state_read(dirfd, &out, &err), -EINVAL);
    ck_assert_ptr_nonnull(strstr(err->msg, "`id` is missing"));
    berth_error_release(&err);

    fd = openat(dirfd, "state.json", O_TRUNC | O_WRONLY);
    ck_assert_int_eq(write(fd, "{\"id\": \"c1\", \"pid\": -4}", 23), 23);
    close(fd);
    ck_assert_int_eq(berth_state_read(dirfd, &out, &err), -EINVAL);
    berth_error_release(&err);
    ck_assert_ptr_null(out);
}
END_TEST

START_TEST(test_state_dir_lifecycle)
{
    _cleanup_strv_ char **ids = NULL;
    berth_error_t err = NULL;
    struct stat st;
    char path[256];
    int fd, rootfd = -2;

    /* missing root: empty list, no root fd, open says "does not exist" */
    ck_assert_int_eq(berth_state_list(root, &rootfd, &ids, &err), 0);
    ck_assert_ptr_null(ids[0]);
    ck_assert_int_eq(rootfd, -1);
    strv_free(TAKE_PTR(ids));
    ck_assert_int_eq(berth_state_dir_open(root, "nope", &err), -ENOENT);
    ck_assert_str_eq(err->msg, "container nope does not exist");
    berth_error_release(&err);

    close(create_dir("b"));
    close(create_dir("a"));
    ck_assert_int_eq(stat(root, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0700);
    snprintf(path, sizeof(path), "%s/a", root);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0700);

    ck_assert_int_eq(berth_state_dir_create(root, "a", &err), -EEXIST);
    ck_assert_str_eq(err->msg, "container with id a already exists");
    berth_error_release(&err);
    ck_assert_int_eq(berth_state_dir_create(root, "../a", &err), -EINVAL);
    berth_error_release(&err);
    ck_assert_int_eq(berth_state_dir_open(root, "a/../b", &err), -EINVAL);
    berth_error_release(&err);

    /* hidden and invalid names are not containers */
    snprintf(path, sizeof(path), "%s/.deleted~x", root);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    ck_assert_int_eq(berth_state_list(root, &rootfd, &ids, &err), 0);
    ck_assert_str_eq(ids[0], "a");
    ck_assert_str_eq(ids[1], "b");
    ck_assert_ptr_null(ids[2]);
    /* each listed id opens below the root's fd, with the same checks */
    ck_assert_int_ge(rootfd, 0);
    fd = berth_state_dir_openat(rootfd, root, "b", &err);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(berth_state_dir_openat(rootfd, root, "a/../b", &err), -EINVAL);
    berth_error_release(&err);
    ck_assert_int_eq(berth_state_dir_openat(rootfd, root, "gone", &err), -ENOENT);
    ck_assert_str_eq(err->msg, "container gone does not exist");
    berth_error_release(&err);
    rootfd = safe_close(rootfd);

    /* remove: the id is free again and nothing is left behind */
    fd = berth_state_dir_open(root, "a", &err);
    ck_assert_int_ge(fd, 0);
    ck_assert(!berth_state_dir_is_removed(fd));
    ck_assert_int_eq(mkdirat(fd, "sub", 0700), 0);
    ck_assert_int_eq(close(openat(fd, "sub/f", O_CREAT | O_WRONLY, 0600)), 0);
    ck_assert_int_eq(symlinkat("/etc/passwd", fd, "link"), 0);
    ck_assert_int_eq(berth_state_dir_remove(root, "a", &err), 0);
    ck_assert(berth_state_dir_is_removed(fd));
    ck_assert_int_eq(access("/etc/passwd", F_OK), 0); /* symlink not followed */
    close(fd);
    snprintf(path, sizeof(path), "%s/a", root);
    ck_assert_int_eq(access(path, F_OK), -1);
    close(create_dir("a"));

    /* a delete killed after hiding the dir left `.deleted~a`: the next
     * remove of an `a` finishes it first, and purge (delete --force of a
     * missing id) removes it too */
    snprintf(path, sizeof(path), "mkdir -p '%s/.deleted~a/sub' && touch '%s/.deleted~a/sub/f'",
             root, root);
    ck_assert_int_eq(system(path), 0);
    ck_assert_int_eq(berth_state_dir_remove(root, "a", &err), 0);
    snprintf(path, sizeof(path), "%s/.deleted~a", root);
    ck_assert_int_eq(access(path, F_OK), -1);
    snprintf(path, sizeof(path), "mkdir -p '%s/.deleted~a/sub' && touch '%s/.deleted~a/lock'", root,
             root);
    ck_assert_int_eq(system(path), 0);
    /* a create killed between its mkdir and its lock file left an empty
     * `e`; a lockless dir with something in it is not berth's to remove */
    snprintf(path, sizeof(path), "mkdir '%s/e' '%s/z' && touch '%s/z/keep'", root, root, root);
    ck_assert_int_eq(system(path), 0);
    berth_state_dir_purge(root, "a");
    berth_state_dir_purge(root, "e");
    berth_state_dir_purge(root, "z");
    berth_state_dir_purge(root, "../x");
    snprintf(path, sizeof(path), "%s/.deleted~a", root);
    ck_assert_int_eq(access(path, F_OK), -1);
    snprintf(path, sizeof(path), "%s/e", root);
    ck_assert_int_eq(access(path, F_OK), -1);
    snprintf(path, sizeof(path), "%s/z/keep", root);
    ck_assert_int_eq(access(path, F_OK), 0);
    snprintf(path, sizeof(path), "rm -rf '%s/z'", root);
    ck_assert_int_eq(system(path), 0);

    close(create_dir("a"));
    snprintf(path, sizeof(path), "rm -rf '%s/.deleted~x'; test $(ls -A '%s' | wc -l) = 2", root,
             root);
    ck_assert_int_eq(system(path), 0);
}
END_TEST

/* Tries to take the lock from another process; returns true when it is
 * free. */
static bool lock_is_free(int dirfd)
{
    pid_t pid = fork();
    int status;

    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fd = openat(dirfd, "lock", O_RDWR);
        _exit(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : 1);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

START_TEST(test_state_lock)
{
    _cleanup_close_ int dirfd = create_dir("c1");
    berth_error_t err = NULL;
    int lockfd;

    ck_assert(lock_is_free(dirfd));
    lockfd = berth_state_lock(dirfd, &err);
    ck_assert_int_ge(lockfd, 0);
    ck_assert_int_eq(fcntl(lockfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    ck_assert(!lock_is_free(dirfd));
    close(lockfd);
    ck_assert(lock_is_free(dirfd));

    /* after a removal the lock is not re-created */
    ck_assert_int_eq(berth_state_dir_remove(root, "c1", &err), 0);
    ck_assert_int_eq(berth_state_lock(dirfd, &err), -ENOENT);
    berth_error_release(&err);
}
END_TEST

/* A child that just waits to be killed. */
static pid_t spawn_sleeper(void)
{
    pid_t pid = fork();

    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

START_TEST(test_status_derivation)
{
    _cleanup_close_ int dirfd = create_dir("c1");
    struct berth_container_state s = {.id = (char *)"c1"};
    berth_error_t err = NULL;
    struct berth_proc_stat ps;
    int status, pidfd;
    pid_t pid;

    ck_assert_int_eq(berth_state_status(dirfd, &s), BERTH_STATUS_CREATING);

    pid = spawn_sleeper();
    s.pid = pid;
    s.start_time = berth_proc_start_time(pid);
    ck_assert_uint_ne(s.start_time, 0);
    ck_assert_int_eq(berth_proc_stat_read(pid, &ps), 0);
    ck_assert_uint_eq(ps.start_time, s.start_time);

    ck_assert_int_eq(mkfifoat(dirfd, "exec.fifo", 0600), 0);
    ck_assert_int_eq(berth_state_status(dirfd, &s), BERTH_STATUS_CREATED);
    ck_assert_int_eq(unlinkat(dirfd, "exec.fifo", 0), 0);
    ck_assert_int_eq(berth_state_status(dirfd, &s), BERTH_STATUS_RUNNING);

    /* pid reuse: same pid, another start time -> not our init */
    s.start_time++;
    ck_assert_int_eq(berth_state_status(dirfd, &s), BERTH_STATUS_STOPPED);
    ck_assert_int_eq(berth_pidfd_open_verified(pid, s.start_time, &err), -ESRCH);
    berth_error_release(&err);
    s.start_time--;

    pidfd = berth_pidfd_open_verified(pid, s.start_time, &err);
    ck_assert_int_ge(pidfd, 0);
    ck_assert_int_eq(berth_pidfd_wait_exit(pidfd, 50, &err), -ETIMEDOUT);
    berth_error_release(&err);

    /* killed but not reaped: a zombie has exited, so stopped; the fifo a
     * dead init leaves behind does not make it created */
    ck_assert_int_eq(mkfifoat(dirfd, "exec.fifo", 0600), 0);
    ck_assert_int_eq(kill(pid, SIGKILL), 0);
    ck_assert_int_eq(berth_pidfd_wait_exit(pidfd, 5000, &err), 0);
    close(pidfd);
    ck_assert_int_eq(berth_proc_stat_read(pid, &ps), 0);
    ck_assert_int_eq(ps.state, 'Z');
    ck_assert_int_eq(berth_state_status(dirfd, &s), BERTH_STATUS_STOPPED);
    ck_assert_int_eq(berth_pidfd_open_verified(pid, s.start_time, &err), -ESRCH);
    berth_error_release(&err);

    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(berth_state_status(dirfd, &s), BERTH_STATUS_STOPPED);
    ck_assert_uint_eq(berth_proc_start_time(pid), 0);
}
END_TEST

START_TEST(test_status_predicates)
{
    ck_assert(berth_status_can_start(BERTH_STATUS_CREATED));
    ck_assert(!berth_status_can_start(BERTH_STATUS_RUNNING));
    ck_assert(!berth_status_can_start(BERTH_STATUS_STOPPED));
    ck_assert(!berth_status_can_start(BERTH_STATUS_CREATING));
    ck_assert(berth_status_can_kill(BERTH_STATUS_CREATED));
    ck_assert(berth_status_can_kill(BERTH_STATUS_RUNNING));
    ck_assert(!berth_status_can_kill(BERTH_STATUS_STOPPED));
    ck_assert(!berth_status_can_kill(BERTH_STATUS_CREATING));
    ck_assert(berth_status_can_delete(BERTH_STATUS_STOPPED));
    ck_assert(!berth_status_can_delete(BERTH_STATUS_CREATED));
    ck_assert(!berth_status_can_delete(BERTH_STATUS_RUNNING));
    ck_assert_str_eq(berth_status_name(BERTH_STATUS_CREATING), "creating");
    ck_assert_str_eq(berth_status_name(BERTH_STATUS_STOPPED), "stopped");
}
END_TEST

START_TEST(test_public_json)
{
    struct berth_container_state *s = sample_state();
    struct berth_state_view v[2] = {{s, BERTH_STATUS_RUNNING}, {s, BERTH_STATUS_STOPPED}};
    berth_error_t err = NULL;
    char *json = NULL;

    ck_assert_int_eq(berth_state_json_public(v, 1, false, &json, &err), 0);
    ck_assert_ptr_nonnull(strstr(json, "\"ociVersion\": \"1.3.0\""));
    ck_assert_ptr_nonnull(strstr(json, "\"status\": \"running\""));
    ck_assert_ptr_nonnull(strstr(json, "\"pid\": 4242"));
    ck_assert_ptr_nonnull(strstr(json, "\"org.example/key\""));
    /* private fields stay private */
    ck_assert_ptr_null(strstr(json, "startTime"));
    ck_assert_ptr_null(strstr(json, "cgroupPath"));
    free(json);

    ck_assert_int_eq(berth_state_json_public(v, 2, true, &json, &err), 0);
    ck_assert_int_eq(json[0], '[');
    ck_assert_ptr_null(strchr(json, '\n'));
    /* stopped: pid 0, as runc prints */
    ck_assert_ptr_nonnull(strstr(json, "\"pid\":0,\"status\":\"stopped\""));
    free(json);

    ck_assert_int_eq(berth_state_json_public(v, 0, true, &json, &err), 0);
    ck_assert_str_eq(json, "null");
    free(json);

    /* no annotations: the member is omitted */
    s->annotations_len = 0;
    ck_assert_int_eq(berth_state_json_public(v, 1, false, &json, &err), 0);
    ck_assert_ptr_null(strstr(json, "annotations"));
    free(json);
    s->annotations_len = 2;
    berth_container_state_free(s);
}
END_TEST

static Suite *state_suite(void)
{
    Suite *s = suite_create("state");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_signal_parse);
    tcase_add_test(tc, test_id_validate);
    tcase_add_test(tc, test_state_round_trip);
    tcase_add_test(tc, test_state_cgroup_record);
    tcase_add_test(tc, test_state_write_failure_leaves_no_temp);
    tcase_add_test(tc, test_state_read_errors);
    tcase_add_test(tc, test_state_dir_lifecycle);
    tcase_add_test(tc, test_state_lock);
    tcase_add_test(tc, test_status_derivation);
    tcase_add_test(tc, test_status_predicates);
    tcase_add_test(tc, test_public_json);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(state_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
