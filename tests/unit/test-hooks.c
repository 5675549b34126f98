/* test-hooks.c: unit tests of hooks.c (running real hook programs: stdin,
 * args, env, order, failures, timeouts, fd hygiene) and terminal.c (pty
 * allocation, fd passing, console socket, the init-side setup in a private
 * mount namespace with its own devpts, the blocking proxy). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "hooks/hooks.h"
#include "terminal/terminal.h"

static char tmpdir[] = "/tmp/berth-test-hooks.XXXXXX";

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(tmpdir, "/tmp/berth-test-hooks.XXXXXX");
}

static char *path_in(const char *name)
{
    char *p;

    ck_assert_int_ge(asprintf(&p, "%s/%s", tmpdir, name), 0);
    return p;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "re");
    char *buf = calloc(1, 1 << 21);
    size_t n;

    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, (1 << 21) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "we");

    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    ck_assert_int_eq(chmod(path, mode), 0);
}

/* A hook running `sh -c SCRIPT` with argv[0] = "hookname". */
static oci_hook sh_hook(const char *script)
{
    /* exactly args_len entries, no NULL terminator: like parsed configs */
    char **args = calloc(3, sizeof(char *));

    args[0] = strdup("hookname");
    args[1] = strdup("-c");
    args[2] = strdup(script);
    return (oci_hook){.path = strdup("/bin/sh"), .args = args, .args_len = 3};
}

static void hook_free(oci_hook *h)
{
    for (size_t i = 0; i < h->args_len; i++)
        free(h->args[i]);
    free(h->args);
    for (size_t i = 0; i < h->env_len; i++)
        free(h->env[i]);
    free(h->env);
    free(h->path);
}

static const char state_json[] = "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"creating\","
                                 "\"bundle\":\"/b\"}";

static int run1(oci_hook *h, berth_error_t *err)
{
    return berth_hooks_run_json(h, 1, "createRuntime", state_json, strlen(state_json), err);
}

START_TEST(test_kind_tables)
{
    ck_assert_str_eq(berth_hook_kind_name(BERTH_HOOK_PRESTART), "prestart");
    ck_assert_str_eq(berth_hook_kind_name(BERTH_HOOK_POSTSTOP), "poststop");
    ck_assert_str_eq(berth_hook_kind_status(BERTH_HOOK_PRESTART), "creating");
    ck_assert_str_eq(berth_hook_kind_status(BERTH_HOOK_CREATE_RUNTIME), "creating");
    ck_assert_str_eq(berth_hook_kind_status(BERTH_HOOK_CREATE_CONTAINER), "creating");
    ck_assert_str_eq(berth_hook_kind_status(BERTH_HOOK_START_CONTAINER), "created");
    ck_assert_str_eq(berth_hook_kind_status(BERTH_HOOK_POSTSTART), "running");
    ck_assert_str_eq(berth_hook_kind_status(BERTH_HOOK_POSTSTOP), "stopped");
}
END_TEST

START_TEST(test_hooks_get)
{
    oci_hook two[2] = {{.path = "/a"}, {.path = "/b"}};
    oci_hooks h = {.poststart = two, .poststart_len = 2};
    const oci_hook *list = (void *)1;

    ck_assert_uint_eq(berth_hooks_get(NULL, BERTH_HOOK_POSTSTART, &list), 0);
    ck_assert_ptr_null(list);
    ck_assert_uint_eq(berth_hooks_get(&h, BERTH_HOOK_POSTSTART, &list), 2);
    ck_assert_ptr_eq(list, two);
    ck_assert_uint_eq(berth_hooks_get(&h, BERTH_HOOK_POSTSTOP, &list), 0);
    ck_assert(berth_hooks_have(&h, BERTH_HOOK_POSTSTART));
    ck_assert(!berth_hooks_have(&h, BERTH_HOOK_PRESTART));
}
END_TEST

START_TEST(test_state_json)
{
    char *keys[] = {"k"}, *values[] = {"v"};
    oci_string_map ann = {.keys = keys, .values = values, .len = 1};
    berth_error_t err = NULL;
    char *json = NULL;
    size_t len = 0;
    oci_state *s;

    ck_assert_int_eq(berth_hook_state_json("c1", "created", 42, "/bundle", &ann, &json, &len, &err),
                     0);
    ck_assert_uint_eq(len, strlen(json));
    s = oci_parse(&oci_state_desc, json, len, NULL);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s->ociVersion, OCI_SPEC_VERSION);
    ck_assert_str_eq(s->id, "c1");
    ck_assert_str_eq(s->status, "created");
    ck_assert(s->pid_present);
    ck_assert_int_eq(s->pid, 42);
    ck_assert_str_eq(s->bundle, "/bundle");
    ck_assert_uint_eq(s->annotations.len, 1);
    ck_assert_str_eq(s->annotations.values[0], "v");
    oci_state_free(s);
    free(json);

    /* no pid (poststop of a container that never had one) */
    ck_assert_int_eq(berth_hook_state_json("c1", "stopped", 0, "/b", NULL, &json, &len, &err), 0);
    ck_assert_ptr_null(strstr(json, "\"pid\""));
    free(json);
}
END_TEST

START_TEST(test_stdin_args_env)
{
    _cleanup_free_ char *out = path_in("out"), *script = NULL, *got = NULL;
    berth_error_t err = NULL;
    oci_hook h;

    ck_assert_int_ge(
        asprintf(&script, "{ cat; echo; echo \"argv0=$0 n=$# a1=$1\"; env; } > %s", out), 0);
    h = sh_hook(script);
    /* extra args after the script become $0.. in sh: "x" is $1 */
    h.args = realloc(h.args, 4 * sizeof(char *));
    h.args[3] = strdup("x");
    h.args_len = 4;
    ck_assert_int_eq(run1(&h, &err), 0);
    ck_assert_ptr_null(err);
    got = slurp(out);
    ck_assert_ptr_nonnull(strstr(got, state_json));
    /* sh -c: $0 is the next arg after the script, so argv[0] itself is
     * checked through /proc below; here the positional args */
    ck_assert_ptr_nonnull(strstr(got, "argv0=x n=0"));
    /* env absent = empty environment: only what sh sets itself */
    ck_assert_ptr_null(strstr(got, "HOME="));
    ck_assert_ptr_null(strstr(got, "TERM="));
    hook_free(&h);

    /* env exactly as given */
    free(got);
    free(script);
    ck_assert_int_ge(asprintf(&script, "env > %s", out), 0);
    h = sh_hook(script);
    h.env = calloc(2, sizeof(char *));
    h.env[0] = strdup("A=1");
    h.env[1] = strdup("B=two words");
    h.env_len = 2;
    ck_assert_int_eq(run1(&h, &err), 0);
    got = slurp(out);
    ck_assert_ptr_nonnull(strstr(got, "A=1\n"));
    ck_assert_ptr_nonnull(strstr(got, "B=two words\n"));
    ck_assert_ptr_null(strstr(got, "HOME="));
    hook_free(&h);
}
END_TEST

/* Absent args: argv = {path}, nothing else; given args: exactly those. A #!
 * script always gets the exec path as $0 from the kernel, so argv[0] itself
 * is checked with a binary in test_argv0_binary. */
START_TEST(test_argv0)
{
    _cleanup_free_ char *out = path_in("out"), *prog = path_in("prog.sh"), *text = NULL,
                        *got = NULL, *want = NULL;
    berth_error_t err = NULL;
    oci_hook h = {.path = prog};
    char *args[] = {"custom-name", "p1", "p 2", NULL};

    ck_assert_int_ge(asprintf(&text, "#!/bin/sh\necho \"$0|$#|$*\" > %s\n", out), 0);
    write_file(prog, text, 0755);
    ck_assert_int_eq(run1(&h, &err), 0);
    got = slurp(out);
    ck_assert_int_ge(asprintf(&want, "%s|0|\n", prog), 0);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    h.args = args;
    h.args_len = 3;
    ck_assert_int_eq(run1(&h, &err), 0);
    got = slurp(out);
    ck_assert_int_ge(asprintf(&want, "%s|2|p1 p 2\n", prog), 0);
    ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(test_argv0_binary)
{
    _cleanup_free_ char *out = path_in("out"), *script = NULL, *got = NULL;
    berth_error_t err = NULL;
    oci_hook h;

    /* a binary (sh itself) sees argv[0] as given: $0 of `sh -c` without
     * extra args is argv[0] */
    ck_assert_int_ge(asprintf(&script, "echo \"$0\" > %s", out), 0);
    h = sh_hook(script);
    ck_assert_int_eq(run1(&h, &err), 0);
    got = slurp(out);
    ck_assert_str_eq(got, "hookname\n");
    hook_free(&h);
}
END_TEST

START_TEST(test_order_and_stop)
{
    _cleanup_free_ char *out = path_in("order"), *s1 = NULL, *s3 = NULL, *got = NULL;
    berth_error_t err = NULL;
    oci_hook h[3];

    ck_assert_int_ge(asprintf(&s1, "echo one >> %s", out), 0);
    ck_assert_int_ge(asprintf(&s3, "echo three >> %s", out), 0);
    h[0] = sh_hook(s1);
    h[1] = sh_hook("echo some output; echo on stderr >&2; exit 3");
    h[2] = sh_hook(s3);
    ck_assert_int_lt(berth_hooks_run_json(h, 3, "prestart", state_json, strlen(state_json), &err),
                     0);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err->msg, "prestart hook #1 `/bin/sh`: exit status 3"));
    ck_assert_ptr_nonnull(strstr(err->msg, "some output on stderr"));
    berth_error_release(&err);
    got = slurp(out);
    ck_assert_str_eq(got, "one\n");
    for (int i = 0; i < 3; i++)
        hook_free(&h[i]);
}
END_TEST

static struct {
    int n;
    char last[512];
} warnings;

static void collect(void *data, const char *msg)
{
    (void)data;
    warnings.n++;
    snprintf(warnings.last, sizeof(warnings.last), "%s", msg);
}

START_TEST(test_run_warn_continues)
{
    _cleanup_free_ char *out = path_in("order"), *s1 = NULL, *got = NULL;
    struct berth_context ctx = {.warn = collect};
    oci_hook h[2];

    ck_assert_int_ge(asprintf(&s1, "echo ran >> %s", out), 0);
    h[0] = sh_hook("exit 1");
    h[1] = sh_hook(s1);
    warnings.n = 0;
    berth_hooks_run_warn(&ctx, h, 2, "poststop", state_json, strlen(state_json));
    ck_assert_int_eq(warnings.n, 1);
    ck_assert_ptr_nonnull(strstr(warnings.last, "poststop hook #0"));
    got = slurp(out);
    ck_assert_str_eq(got, "ran\n");
    hook_free(&h[0]);
    hook_free(&h[1]);
}
END_TEST

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(test_timeout_kills)
{
    _cleanup_free_ char *pidf = path_in("pid"), *script = NULL, *got = NULL;
    berth_error_t err = NULL;
    oci_hook h;
    double t0;

    ck_assert_int_ge(asprintf(&script, "echo $$ > %s; exec sleep 30", pidf), 0);
    h = sh_hook(script);
    h.timeout = 1;
    h.timeout_present = true;
    t0 = now_s();
    ck_assert_int_eq(run1(&h, &err), -ETIMEDOUT);
    ck_assert_double_lt(now_s() - t0, 3.0);
    ck_assert_str_eq(err->msg, "createRuntime hook #0 `/bin/sh`: timed out after 1 s");
    berth_error_release(&err);
    got = slurp(pidf);
    /* killed and reaped: the pid is gone */
    ck_assert_int_eq(kill(atoi(got), 0), -1);
    ck_assert_int_eq(errno, ESRCH);
    hook_free(&h);
}
END_TEST

/* A timeout kills what the hook started, too (its process group). */
START_TEST(test_timeout_kills_group)
{
    _cleanup_free_ char *pidf = path_in("child"), *script = NULL, *got = NULL;
    berth_error_t err = NULL;
    oci_hook h;

    ck_assert_int_ge(asprintf(&script, "sleep 30 & echo $! > %s; wait", pidf), 0);
    h = sh_hook(script);
    h.timeout = 1;
    h.timeout_present = true;
    ck_assert_int_eq(run1(&h, &err), -ETIMEDOUT);
    berth_error_release(&err);
    got = slurp(pidf);
    for (int i = 0; i < 50 && kill(atoi(got), 0) == 0; i++)
        usleep(20000); /* killed; reaped by init once orphaned */
    {
        char path[64], st = 0;
        snprintf(path, sizeof(path), "/proc/%d/stat", atoi(got));
        FILE *f = fopen(path, "re");
        if (f) {
            ck_assert_int_eq(fscanf(f, "%*d %*s %c", &st), 1);
            fclose(f);
            ck_assert_msg(st == 'Z', "hook's child %s still running (%c)", got, st);
        }
    }
    hook_free(&h);
}
END_TEST

/* berth started with stdio closed: the pipes land on 0-2, the hook must
 * still get the state on stdin and its output captured. */
START_TEST(test_closed_stdio)
{
    _cleanup_free_ char *out = path_in("out"), *script = NULL;
    pid_t pid;
    int st;

    ck_assert_int_ge(asprintf(&script, "cat > %s; echo failing-output; exit 9", out), 0);
    pid = fork();
    if (pid == 0) {
        berth_error_t err = NULL;
        oci_hook h = sh_hook(script);
        close(0);
        close(1);
        close(2);
        if (run1(&h, &err) == 0 || !strstr(err->msg, "exit status 9: failing-output"))
            _exit(1);
        _exit(0);
    }
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
    {
        _cleanup_free_ char *got = slurp(out);
        ck_assert_str_eq(got, state_json);
    }
}
END_TEST

START_TEST(test_exec_failure)
{
    berth_error_t err = NULL;
    oci_hook h = {.path = "/nonexistent/hook"};

    ck_assert_int_eq(run1(&h, &err), -ENOENT);
    ck_assert_str_eq(err->msg,
                     "createRuntime hook #0 `/nonexistent/hook`: exec: No such file or directory");
    berth_error_release(&err);
    h.path = "relative";
    ck_assert_int_eq(run1(&h, &err), -EINVAL);
    berth_error_release(&err);
}
END_TEST

START_TEST(test_signal_death)
{
    berth_error_t err = NULL;
    oci_hook h = sh_hook("kill -9 $$");

    ck_assert_int_lt(run1(&h, &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "killed by signal 9"));
    berth_error_release(&err);
    hook_free(&h);
}
END_TEST

/* The end of a hook is its exit, not EOF on its output. */
START_TEST(test_background_child_does_not_block)
{
    berth_error_t err = NULL;
    oci_hook h = sh_hook("sleep 3 & echo started");
    double t0 = now_s();

    ck_assert_int_eq(run1(&h, &err), 0);
    ck_assert_double_lt(now_s() - t0, 2.0);
    hook_free(&h);
}
END_TEST

START_TEST(test_no_fd_leak)
{
    _cleanup_free_ char *out = path_in("fds"), *script = NULL, *got = NULL;
    berth_error_t err = NULL;
    int leak = open("/dev/null", O_RDONLY); /* not O_CLOEXEC on purpose */
    oci_hook h;

    ck_assert_int_ge(leak, 3);
    ck_assert_int_ge(asprintf(&script, "ls /proc/$$/fd > %s", out), 0);
    h = sh_hook(script);
    ck_assert_int_eq(run1(&h, &err), 0);
    got = slurp(out);
    /* 0-2 only (dash keeps a private fd 10 of its own) */
    ck_assert_msg(strcmp(got, "0\n1\n2\n") == 0 || strcmp(got, "0\n1\n10\n2\n") == 0,
                  "hook fds: %s", got);
    close(leak);
    hook_free(&h);
}
END_TEST

/* A state bigger than a default pipe (64 KiB) still arrives whole. */
START_TEST(test_big_state)
{
    _cleanup_free_ char *out = path_in("n"), *script = NULL, *got = NULL, *big = malloc(300000);
    berth_error_t err = NULL;
    oci_hook h;

    memset(big, 'x', 299999);
    big[299999] = '\0';
    ck_assert_int_ge(asprintf(&script, "wc -c > %s", out), 0);
    h = sh_hook(script);
    ck_assert_int_eq(berth_hooks_run_json(&h, 1, "poststop", big, strlen(big), &err), 0);
    got = slurp(out);
    ck_assert_int_eq(atoi(got), 299999);
    hook_free(&h);
}
END_TEST

/* start/delete: hooks come from the state dir's config.json copy. */
START_TEST(test_load_config_poststop)
{
    _cleanup_free_ char *cfg = path_in("config.json"), *out = path_in("ps"), *text = NULL,
                        *got = NULL;
    struct berth_context ctx = {.warn = collect};
    berth_error_t err = NULL;
    oci_config *c = NULL;
    int dirfd;

    ck_assert_int_ge(asprintf(&text,
                              "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"rootfs\"},"
                              "\"annotations\":{\"a\":\"b\"},\"hooks\":{\"poststop\":["
                              "{\"path\":\"/bin/false\"},"
                              "{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"cat > %s\"]}]}}",
                              out),
                     0);
    write_file(cfg, text, 0600);
    dirfd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ck_assert_int_eq(berth_hooks_load_config(dirfd, &c, &err), 0);
    ck_assert_uint_eq(c->hooks->poststop_len, 2);
    warnings.n = 0;
    berth_hooks_run_poststop(&ctx, c, "c9", 0, "/bundle");
    ck_assert_msg(warnings.n == 1, "%d warnings, last: %s", warnings.n, warnings.last);
    got = slurp(out);
    ck_assert_str_eq(got, "{\"ociVersion\":\"" OCI_SPEC_VERSION "\",\"id\":\"c9\","
                          "\"status\":\"stopped\",\"bundle\":\"/bundle\","
                          "\"annotations\":{\"a\":\"b\"}}");
    oci_config_free(c);
    write_file(cfg, "{", 0600);
    ck_assert_int_lt(berth_hooks_load_config(dirfd, &c, &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "config.json copy"));
    berth_error_release(&err);
    close(dirfd);
}
END_TEST

/* ---- terminal ----------------------------------------------------------- */

START_TEST(test_pty_open_size)
{
    berth_error_t err = NULL;
    int master = -1, slave = -1;
    char *name = NULL;
    oci_console_size cs = {.height = 33, .width = 111};
    struct winsize ws;
    char buf[16];

    ck_assert_int_eq(berth_pty_open("/dev/ptmx", &master, &slave, &name, &err), 0);
    ck_assert(isatty(slave));
    ck_assert_int_eq(strncmp(name, "/dev/pts/", 9), 0);
    ck_assert_str_eq(ttyname(slave), name);
    ck_assert_int_eq(fcntl(master, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    ck_assert_int_eq(fcntl(slave, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    ck_assert_int_eq(berth_terminal_set_size(master, &cs, &err), 0);
    ck_assert_int_eq(ioctl(slave, TIOCGWINSZ, &ws), 0);
    ck_assert_int_eq(ws.ws_row, 33);
    ck_assert_int_eq(ws.ws_col, 111);
    ck_assert_int_eq(write(slave, "hi", 2), 2);
    ck_assert_int_eq(read(master, buf, sizeof(buf)), 2);
    ck_assert_int_eq(memcmp(buf, "hi", 2), 0);
    free(name);
    close(master);
    close(slave);
}
END_TEST

START_TEST(test_send_recv_fd)
{
    berth_error_t err = NULL;
    int sv[2], fd = -1, pfd[2];
    char *name = NULL, c = 0;

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    ck_assert_int_eq(pipe(pfd), 0);
    ck_assert_int_eq(berth_terminal_send_fd(sv[0], pfd[1], "/dev/pts/7", &err), 0);
    ck_assert_int_eq(berth_terminal_recv_fd(sv[1], &fd, &name, &err), 0);
    ck_assert_str_eq(name, "/dev/pts/7");
    ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    ck_assert_int_eq(write(fd, "z", 1), 1);
    ck_assert_int_eq(read(pfd[0], &c, 1), 1);
    ck_assert_int_eq(c, 'z');
    /* a message without an fd */
    ck_assert_int_eq(send(sv[0], "x", 1, 0), 1);
    ck_assert_int_eq(berth_terminal_recv_fd(sv[1], &fd, NULL, &err), -ENOMSG);
    berth_error_release(&err);
    free(name);
    close(sv[0]);
    close(sv[1]);
}
END_TEST

/* --console-socket with a path longer than sun_path. */
START_TEST(test_console_socket_long_path)
{
    berth_error_t err = NULL;
    char dir[400], path[512];
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int lfd, dfd, conn, fd = -1, pid, st;
    char *name = NULL;

    snprintf(dir, sizeof(dir), "%s/%0150d", tmpdir, 0);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    snprintf(path, sizeof(path), "%s/console.sock", dir);
    dfd = open(dir, O_PATH | O_DIRECTORY);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/console.sock", dfd);
    lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(listen(lfd, 1), 0);
    pid = fork();
    if (pid == 0) {
        int p[2];
        berth_error_t e = NULL;
        int sock = berth_console_socket_connect(path, &e);
        if (pipe(p) < 0 || sock < 0 || berth_terminal_send_fd(sock, p[0], "/dev/pts/3", &e) < 0)
            _exit(1);
        _exit(0);
    }
    conn = accept(lfd, NULL, NULL);
    ck_assert_int_ge(conn, 0);
    ck_assert_int_eq(berth_terminal_recv_fd(conn, &fd, &name, &err), 0);
    ck_assert_str_eq(name, "/dev/pts/3");
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_int_eq(st, 0);
    /* a missing socket */
    ck_assert_int_lt(berth_console_socket_connect("/nonexistent/sock", &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "connect to console socket `/nonexistent/sock`"));
    berth_error_release(&err);
    /* a peer that accepted and closed before the master came: the send
     * fails (EPIPE) instead of the master being dropped with the peer */
    {
        int sock = berth_console_socket_connect(path, &err), gone, p[2];

        ck_assert_int_ge(sock, 0);
        gone = accept(lfd, NULL, NULL);
        ck_assert_int_ge(gone, 0);
        close(gone);
        ck_assert_int_eq(pipe(p), 0);
        ck_assert_int_eq(berth_terminal_send_fd(sock, p[0], "/dev/pts/3", &err), -EPIPE);
        berth_error_release(&err);
        close(p[0]);
        close(p[1]);
        close(sock);
    }
    free(name);
    close(fd);
    close(conn);
    close(lfd);
    close(dfd);
}
END_TEST

/* The init side in a child with a private mount namespace, its own /dev
 * (tmpfs) and its own devpts instance, as in a container after pivot. */
static int init_side_child(int sock)
{
    oci_console_size cs = {.height = 24, .width = 132};
    oci_process p = {.terminal = true, .consoleSize = &cs};
    berth_error_t err = NULL;
    struct stat con, in;
    struct winsize ws;
    int master = -1;

    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("tmpfs", "/dev", "tmpfs", 0, "mode=755") < 0 || mkdir("/dev/pts", 0755) < 0 ||
        mount("devpts", "/dev/pts", "devpts", 0, "newinstance,ptmxmode=0666,mode=620") < 0 ||
        symlink("pts/ptmx", "/dev/ptmx") < 0)
        return 10;
    if (setsid() < 0)
        return 11;
    if (berth_terminal_setup_in_init(&p, true, 0, &master, &err) < 0) {
        dprintf(sock, "%s", err->msg);
        return 12;
    }
    if (!isatty(0) || !isatty(1) || !isatty(2))
        return 13;
    if (ioctl(0, TIOCGWINSZ, &ws) < 0 || ws.ws_row != 24 || ws.ws_col != 132)
        return 14;
    /* /dev/console is the pty, and the pty is of the new devpts (pts/0) */
    if (stat("/dev/console", &con) < 0 || fstat(0, &in) < 0 || con.st_rdev != in.st_rdev)
        return 15;
    if (strcmp(ttyname(0), "/dev/pts/0") != 0)
        return 16;
    /* it is our controlling terminal */
    if (tcgetsid(0) != getsid(0))
        return 17;
    if (berth_terminal_send_fd(sock, master, NULL, &err) < 0)
        return 18;
    if (write(1, "from-init\n", 10) != 10)
        return 19;
    return 0;
}

START_TEST(test_setup_in_init)
{
    berth_error_t err = NULL;
    int sv[2], master = -1, st;
    char buf[256] = {0};
    ssize_t n, got = 0;
    pid_t pid;

    if (geteuid() != 0) {
        fprintf(stderr, "# skip test_setup_in_init: needs root (mount namespace, devpts)\n");
        return;
    }
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    pid = fork();
    if (pid == 0) {
        close(sv[0]);
        _exit(init_side_child(sv[1]));
    }
    close(sv[1]);
    if (berth_terminal_recv_fd(sv[0], &master, NULL, &err) < 0) {
        waitpid(pid, &st, 0);
        ck_abort_msg("no master (child status %d): %s", WEXITSTATUS(st), err ? err->msg : "");
    }
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", WEXITSTATUS(st));
    /* what the init wrote on its stdout arrives on the master (ONLCR) */
    while (got < (ssize_t)sizeof(buf) - 1 &&
           (n = read(master, buf + got, sizeof(buf) - 1 - got)) > 0)
        got += n;
    ck_assert_str_eq(buf, "from-init\r\n");
    close(master);
    close(sv[0]);
}
END_TEST

/* The blocking proxy with berth's stdin/stdout on pipes: input reaches
 * the pty, output comes back, stdin EOF becomes VEOF. */
START_TEST(test_proxy_pipes)
{
    berth_error_t err = NULL;
    int master, slave, in[2], out[2], saved_in, saved_out, pidfd, st;
    char buf[4096] = {0};
    ssize_t n, got = 0;
    pid_t pid;

    ck_assert_int_eq(berth_pty_open("/dev/ptmx", &master, &slave, NULL, &err), 0);
    pid = fork();
    if (pid == 0) {
        /* "container": cat on the pty until EOF */
        setsid();
        dup2(slave, 0);
        dup2(slave, 1);
        dup2(slave, 2);
        ioctl(0, TIOCSCTTY, 0);
        execl("/bin/cat", "cat", NULL);
        _exit(127);
    }
    close(slave);
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    ck_assert_int_ge(pidfd, 0);
    ck_assert_int_eq(pipe(in), 0);
    ck_assert_int_eq(pipe(out), 0);
    ck_assert_int_eq(write(in[1], "ping\n", 5), 5);
    close(in[1]);
    saved_in = dup(0);
    saved_out = dup(1);
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]);
    close(out[1]);
    ck_assert_int_eq(berth_terminal_proxy(master, pidfd, &err), 0);
    dup2(saved_in, 0);
    dup2(saved_out, 1);
    close(saved_in);
    close(saved_out);
    while ((n = read(out[0], buf + got, sizeof(buf) - 1 - got)) > 0)
        got += n;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0); /* cat saw EOF */
    /* echo of the input plus cat's output */
    ck_assert_ptr_nonnull(strstr(buf, "ping\r\nping\r\n"));
    close(out[0]);
    close(pidfd);
}
END_TEST

static Suite *hooks_suite(void)
{
    Suite *s = suite_create("hooks");
    TCase *tc = tcase_create("hooks");
    TCase *tt = tcase_create("terminal");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_kind_tables);
    tcase_add_test(tc, test_hooks_get);
    tcase_add_test(tc, test_state_json);
    tcase_add_test(tc, test_stdin_args_env);
    tcase_add_test(tc, test_argv0);
    tcase_add_test(tc, test_argv0_binary);
    tcase_add_test(tc, test_order_and_stop);
    tcase_add_test(tc, test_run_warn_continues);
    tcase_add_test(tc, test_timeout_kills);
    tcase_add_test(tc, test_timeout_kills_group);
    tcase_add_test(tc, test_exec_failure);
    tcase_add_test(tc, test_closed_stdio);
    tcase_add_test(tc, test_signal_death);
    tcase_add_test(tc, test_background_child_does_not_block);
    tcase_add_test(tc, test_no_fd_leak);
    tcase_add_test(tc, test_big_state);
    tcase_add_test(tc, test_load_config_poststop);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(tt, setup, teardown);
    tcase_set_timeout(tt, 30);
    tcase_add_test(tt, test_pty_open_size);
    tcase_add_test(tt, test_send_recv_fd);
    tcase_add_test(tt, test_console_socket_long_path);
    tcase_add_test(tt, test_setup_in_init);
    tcase_add_test(tt, test_proxy_pipes);
    suite_add_tcase(s, tt);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hooks_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
