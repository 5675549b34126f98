/* hooks.c: executing OCI hooks (see hooks.h for where each kind runs).
 *
 * One hook = one fork + execve, supervised through a pidfd: the state JSON
 * is written into the stdin pipe before the fork (so a hook that never reads
 * stdin cannot block us, and no SIGPIPE can hit berth), stdout and stderr
 * share one capture pipe whose tail is kept for the error message, and the
 * end of the hook is its exit, not EOF on the pipe (a hook may leave a
 * daemon holding the pipe open). Works the same in the `berth` process and
 * in the container init. */
#include "config.h"

#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "state/state.h"

#define OUTPUT_TAIL 512        /* bytes of hook output kept for the message */
#define STATE_MAX   (1U << 20) /* pipe-max-size default: 1 MiB */

static const char *const kind_names[] = {
    [BERTH_HOOK_PRESTART] = "prestart",
    [BERTH_HOOK_CREATE_RUNTIME] = "createRuntime",
    [BERTH_HOOK_CREATE_CONTAINER] = "createContainer",
    [BERTH_HOOK_START_CONTAINER] = "startContainer",
    [BERTH_HOOK_POSTSTART] = "poststart",
    [BERTH_HOOK_POSTSTOP] = "poststop",
};

/* runtime.md "State" statuses per lifecycle step; reasoning in hooks.h. */
static const char *const kind_status[] = {
    [BERTH_HOOK_PRESTART] = "creating",         [BERTH_HOOK_CREATE_RUNTIME] = "creating",
    [BERTH_HOOK_CREATE_CONTAINER] = "creating", [BERTH_HOOK_START_CONTAINER] = "created",
    [BERTH_HOOK_POSTSTART] = "running",         [BERTH_HOOK_POSTSTOP] = "stopped",
};

const char *berth_hook_kind_name(enum berth_hook_kind kind)
{
    return (unsigned)kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[kind] : "?";
}

const char *berth_hook_kind_status(enum berth_hook_kind kind)
{
    return (unsigned)kind < sizeof(kind_status) / sizeof(kind_status[0]) ? kind_status[kind]
                                                                         : "unknown";
}

size_t berth_hooks_get(const oci_hooks *h, enum berth_hook_kind kind, const oci_hook **ret)
{
    const oci_hook *list = NULL;
    size_t n = 0;

    if (h) {
        switch (kind) {
        case BERTH_HOOK_PRESTART:
            list = h->prestart, n = h->prestart_len;
            break;
        case BERTH_HOOK_CREATE_RUNTIME:
            list = h->createRuntime, n = h->createRuntime_len;
            break;
        case BERTH_HOOK_CREATE_CONTAINER:
            list = h->createContainer, n = h->createContainer_len;
            break;
        case BERTH_HOOK_START_CONTAINER:
            list = h->startContainer, n = h->startContainer_len;
            break;
        case BERTH_HOOK_POSTSTART:
            list = h->poststart, n = h->poststart_len;
            break;
        case BERTH_HOOK_POSTSTOP:
            list = h->poststop, n = h->poststop_len;
            break;
        }
    }
    *ret = n ? list : NULL;
    return list ? n : 0;
}

bool berth_hooks_have(const oci_hooks *h, enum berth_hook_kind kind)
{
    const oci_hook *list;

    return berth_hooks_get(h, kind, &list) > 0;
}

int berth_hook_state_json(const char *id, const char *status, pid_t pid, const char *bundle,
                          const oci_string_map *annotations, char **ret, size_t *ret_len,
                          berth_error_t *err)
{
    oci_state s = {
        .ociVersion = (char *)OCI_SPEC_VERSION,
        .id = (char *)id,
        .status = (char *)status,
        .pid = pid,
        .pid_present = pid > 0,
        .bundle = (char *)bundle,
    };
    size_t len = 0;
    char *json;

    if (annotations)
        s.annotations = *annotations;
    json = oci_emit(&oci_state_desc, &s, false, &len);
    if (!json)
        return berth_error_make(err, EINVAL, "hooks: serialize the state of %s", id);
    *ret = json;
    if (ret_len)
        *ret_len = len;
    return 0;
}

/* ---- one hook ----------------------------------------------------------- */

struct capture {
    char buf[OUTPUT_TAIL];
    size_t len; /* bytes in buf, the newest last */
};

static void capture_add(struct capture *c, const char *data, size_t n)
{
    if (n >= sizeof(c->buf)) {
        memcpy(c->buf, data + n - sizeof(c->buf), sizeof(c->buf));
        c->len = sizeof(c->buf);
        return;
    }
    if (c->len + n > sizeof(c->buf)) {
        size_t drop = c->len + n - sizeof(c->buf);
        memmove(c->buf, c->buf + drop, c->len - drop);
        c->len -= drop;
    }
    memcpy(c->buf + c->len, data, n);
    c->len += n;
}

/* Reads what is there (fd is non-blocking); false on EOF or error. */
static bool capture_read(struct capture *c, int fd)
{
    char tmp[4096];
    ssize_t n = read(fd, tmp, sizeof(tmp));

    if (n > 0) {
        capture_add(c, tmp, (size_t)n);
        return true;
    }
    return n < 0 && (errno == EAGAIN || errno == EINTR);
}

/* The tail as one printable line: controls become spaces, trailing blanks
 * go. */
static void capture_text(const struct capture *c, char *out, size_t size)
{
    size_t n = c->len < size - 1 ? c->len : size - 1;
    const char *src = c->buf + c->len - n;

    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ? ' ' : src[i];
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The stdin pipe, filled before the hook exists. */
static int make_stdin(const char *state, size_t len, int *ret_read, berth_error_t *err)
{
    _cleanup_close_ int rd = -1, wr = -1;
    int fds[2];

    if (len > STATE_MAX)
        return berth_error_make(err, E2BIG, "state is %zu bytes", len);
    if (pipe2(fds, O_CLOEXEC) < 0)
        return berth_error_errno(err, "pipe");
    rd = fds[0], wr = fds[1];
    if (len > 65536 && fcntl(wr, F_SETPIPE_SZ, (int)len) < 0)
        return berth_error_errno(err, "grow the stdin pipe to %zu bytes", len);
    for (size_t off = 0; off < len;) {
        ssize_t n = write(wr, state + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return berth_error_errno(err, "write the state to the stdin pipe");
        off += (size_t)n;
    }
    *ret_read = TAKE_FD(rd);
    return 0;
}

/* In the forked child: never returns. Reports an exec failure's errno
 * through errfd (close-on-exec, so a successful exec closes it silently). */
static _Noreturn void hook_child(const char *path, char **argv, char **envp, int in, int out,
                                 int errfd)
{
    sigset_t none;
    int e;

    /* berth may block or ignore signals (run forwards them); the hook
     * must start with defaults. */
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            (void)signal(sig, SIG_DFL);
    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL);
    /* A process group of its own, so that a timeout kills whatever the
     * hook started too (a `sh -c` hook's children). */
    (void)setpgid(0, 0);

    /* berth may run with stdio closed, so the pipes can sit on 0-2: move
     * all three above 2 first, or one dup2 would clobber another. */
    in = fcntl(in, F_DUPFD_CLOEXEC, 3);
    out = fcntl(out, F_DUPFD_CLOEXEC, 3);
    errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 3);
    if (in < 0 || out < 0 || errfd < 0)
        _exit(127);
    if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0)
        goto fail;
    /* Nothing of berth's (sync socket, fifo, preserved fds) reaches the
     * hook: only stdio and the error pipe, which is close-on-exec. */
    if (errfd != 3) {
        if (dup3(errfd, 3, O_CLOEXEC) < 0)
            goto fail;
        errfd = 3;
    } else if (fcntl(errfd, F_SETFD, FD_CLOEXEC) < 0) {
        goto fail;
    }
    if (syscall(SYS_close_range, 4, ~0U, 0) < 0)
        (void)syscall(SYS_close_range, 4, ~0U, CLOSE_RANGE_CLOEXEC);

    execve(path, argv, envp);
fail:
    e = errno;
    if (write(errfd, &e, sizeof(e)) < 0) {
        /* nothing left to report with */
    }
    _exit(127);
}

struct hook_run {
    pid_t pid;
    int pidfd;
    int out;   /* read end of the capture pipe, non-blocking */
    int errfd; /* read end of the exec-error pipe */
    struct capture cap;
};

/* A NULL-terminated copy of the pointers (parsed arrays carry a length,
 * execve wants the terminator); built before fork, the strings are shared. */
static char **strv_view(char **v, size_t n, const char *first_default)
{
    char **out = calloc(n + 2, sizeof(char *));

    if (!out)
        return NULL;
    if (n == 0 && first_default)
        out[0] = (char *)first_default;
    for (size_t i = 0; i < n; i++)
        out[i] = v[i];
    return out;
}

static int hook_spawn(const oci_hook *h, int in, struct hook_run *r, berth_error_t *err)
{
    _cleanup_close_ int out_w = -1, err_w = -1;
    /* config.md "POSIX-platform Hooks": args and env with execv semantics;
     * absent args mean argv = {path} (as Go's exec.Cmd, i.e. runc), absent
     * env the empty environment. */
    _cleanup_free_ char **argv = strv_view(h->args, h->args_len, h->path);
    _cleanup_free_ char **envp = strv_view(h->env, h->env_len, NULL);
    int fds[2];

    if (!argv || !envp)
        return berth_error_make(err, ENOMEM, "hook arguments");

    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
        return berth_error_errno(err, "pipe");
    r->out = fds[0], out_w = fds[1];
    /* The write end is blocking in the hook: only our end is O_NONBLOCK. */
    if (fcntl(out_w, F_SETFL, 0) < 0)
        return berth_error_errno(err, "fcntl");
    if (pipe2(fds, O_CLOEXEC) < 0)
        return berth_error_errno(err, "pipe");
    r->errfd = fds[0], err_w = fds[1];

    r->pid = fork();
    if (r->pid < 0)
        return berth_error_errno(err, "fork");
    if (r->pid == 0)
        hook_child(h->path, argv, envp, in, out_w, err_w);
    (void)setpgid(r->pid, r->pid); /* also here: no race with the kill */
    r->pidfd = (int)syscall(SYS_pidfd_open, r->pid, 0);
    if (r->pidfd < 0) {
        int e = errno;
        kill(r->pid, SIGKILL);
        (void)waitpid(r->pid, NULL, 0);
        r->pid = 0;
        return berth_error_make(err, e, "pidfd_open");
    }
    return 0;
}

/* Waits for the hook to exit, collecting output; kills it at the deadline.
 * Returns 1 when it exited, 0 when it timed out (and was killed). */
static int hook_wait(struct hook_run *r, int timeout_s, int *ret_status, berth_error_t *err)
{
    int64_t deadline = timeout_s > 0 ? now_ms() + (int64_t)timeout_s * 1000 : -1;
    bool out_open = true, timed_out = false;

    for (;;) {
        struct pollfd p[2] = {{.fd = r->pidfd, .events = POLLIN},
                              {.fd = out_open ? r->out : -1, .events = POLLIN}};
        int ms = -1;

        if (deadline >= 0) {
            int64_t left = deadline - now_ms();
            ms = left > 0 ? (int)(left > 60000 ? 60000 : left) : 0;
        }
        int n = poll(p, 2, ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return berth_error_errno(err, "poll");
        if (p[1].revents)
            out_open = capture_read(&r->cap, r->out);
        if (p[0].revents)
            break;
        if (deadline >= 0 && now_ms() >= deadline) {
            /* config.md: timeout is "the number of seconds before aborting
             * the hook". */
            (void)syscall(SYS_pidfd_send_signal, r->pidfd, SIGKILL, NULL, 0);
            /* The group is still the hook's: its leader is not reaped yet,
             * so the pgid cannot have been reused. */
            (void)kill(-r->pid, SIGKILL);
            timed_out = true;
            break;
        }
    }
    while (out_open && capture_read(&r->cap, r->out)) {
        struct pollfd p = {.fd = r->out, .events = POLLIN};
        if (poll(&p, 1, 0) <= 0)
            break; /* whatever a leftover daemon writes later is not ours */
    }
    while (waitpid(r->pid, ret_status, 0) < 0) {
        if (errno != EINTR)
            return berth_error_errno(err, "waitpid %d", (int)r->pid);
    }
    r->pid = 0;
    return timed_out ? 0 : 1;
}

static void hook_run_release(struct hook_run *r)
{
    if (r->pid > 0) {
        kill(r->pid, SIGKILL);
        (void)waitpid(r->pid, NULL, 0);
    }
    safe_close(r->pidfd);
    safe_close(r->out);
    safe_close(r->errfd);
}

static int hook_run_one(const oci_hook *h, const char *label, const char *state, size_t len,
                        berth_error_t *err)
{
    _cleanup_(hook_run_release) struct hook_run r = {.pidfd = -1, .out = -1, .errfd = -1};
    _cleanup_close_ int in = -1;
    char tail[OUTPUT_TAIL + 1];
    int status = 0, exec_errno = 0, rc;

    if (!h->path || h->path[0] != '/')
        return berth_error_make(err, EINVAL, "%s: path must be absolute", label);
    rc = make_stdin(state, len, &in, err);
    if (rc < 0)
        return berth_error_wrap(err, "%s", label);
    rc = hook_spawn(h, in, &r, err);
    if (rc < 0)
        return berth_error_wrap(err, "%s", label);
    in = safe_close(in);
    rc = hook_wait(&r, h->timeout_present ? h->timeout : 0, &status, err);
    if (rc < 0)
        return berth_error_wrap(err, "%s", label);
    capture_text(&r.cap, tail, sizeof(tail));
    if (rc == 0) {
        berth_error_make(err, 0, "%s: timed out after %d s", label, h->timeout);
        (*err)->status = ETIMEDOUT;
        return -ETIMEDOUT;
    }
    if (read(r.errfd, &exec_errno, sizeof(exec_errno)) == sizeof(exec_errno) && exec_errno)
        return berth_error_make(err, exec_errno, "%s: exec", label);
    if (WIFSIGNALED(status))
        return berth_error_make(err, EIO, "%s: killed by signal %d%s%s", label, WTERMSIG(status),
                                tail[0] ? ": " : "", tail);
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        rc = berth_error_make(err, 0, "%s: exit status %d%s%s", label, WEXITSTATUS(status),
                              tail[0] ? ": " : "", tail);
        (*err)->status = EIO;
        return -EIO;
    }
    return 0;
}

static void hook_label(char *buf, size_t size, const char *which, size_t i, const oci_hook *h)
{
    snprintf(buf, size, "%s hook #%zu `%s`", which ? which : "", i, h->path ? h->path : "");
}

int berth_hooks_run_json(const oci_hook *hooks, size_t n, const char *which, const char *state,
                         size_t len, berth_error_t *err)
{
    /* config.md: "Hooks MUST be called in the listed order." */
    for (size_t i = 0; i < n; i++) {
        char label[256];
        int r;

        hook_label(label, sizeof(label), which, i, &hooks[i]);
        r = hook_run_one(&hooks[i], label, state, len, err);
        if (r < 0)
            return r;
    }
    return 0;
}

int berth_hooks_run_kind(const oci_hooks *hooks, enum berth_hook_kind kind, const char *id,
                         pid_t pid, const char *bundle, const oci_string_map *annotations,
                         berth_error_t *err)
{
    _cleanup_free_ char *json = NULL;
    const oci_hook *list;
    size_t n = berth_hooks_get(hooks, kind, &list), len = 0;
    int r;

    if (n == 0)
        return 0;
    r = berth_hook_state_json(id, berth_hook_kind_status(kind), pid, bundle, annotations, &json,
                              &len, err);
    if (r < 0)
        return r;
    return berth_hooks_run_json(list, n, berth_hook_kind_name(kind), json, len, err);
}

void berth_hooks_run_warn(const struct berth_context *ctx, const oci_hook *hooks, size_t n,
                          const char *which, const char *state, size_t len)
{
    /* runtime.md step 13: a failing poststop hook is a warning, "the
     * remaining hooks and lifecycle continue as if the hook had
     * succeeded". */
    for (size_t i = 0; i < n; i++) {
        berth_error_t err = NULL;
        char label[256];

        hook_label(label, sizeof(label), which, i, &hooks[i]);
        if (hook_run_one(&hooks[i], label, state, len, &err) < 0)
            berth_warn(ctx, "%s", err->msg);
        berth_error_release(&err);
    }
}

/* ---- lifecycle helpers -------------------------------------------------- */

int berth_hooks_run_create_runtime(const oci_config *c, const char *id, pid_t pid,
                                   const char *bundle, berth_error_t *err)
{
    const oci_string_map *ann = &c->annotations;
    int r;

    /* config.md "Prestart": "MUST be called before the createRuntime
     * hooks". */
    r = berth_hooks_run_kind(c->hooks, BERTH_HOOK_PRESTART, id, pid, bundle, ann, err);
    if (r < 0)
        return r;
    return berth_hooks_run_kind(c->hooks, BERTH_HOOK_CREATE_RUNTIME, id, pid, bundle, ann, err);
}

int berth_hooks_load_config(int dirfd, oci_config **ret, berth_error_t *err)
{
    _cleanup_free_ char *buf = NULL;
    struct oci_diags diags = {0};
    char msg[256];
    oci_config *c;
    int r;

    r = berth_state_read_file(dirfd, "config.json", &buf, err);
    if (r < 0)
        return r;
    c = oci_parse(&oci_config_desc, buf, strlen(buf), &diags);
    if (!c) {
        const char *why = oci_diags_first_error(&diags, msg, sizeof(msg));
        r = berth_error_make(err, EINVAL, "config.json copy: %s", why ? why : "invalid");
        oci_diags_clear(&diags);
        return r;
    }
    oci_diags_clear(&diags);
    *ret = c;
    return 0;
}

void berth_hooks_run_poststop(const struct berth_context *ctx, const oci_config *c, const char *id,
                              pid_t pid, const char *bundle)
{
    _cleanup_free_ char *json = NULL;
    const oci_hook *list;
    size_t n = berth_hooks_get(c ? c->hooks : NULL, BERTH_HOOK_POSTSTOP, &list), len = 0;
    berth_error_t err = NULL;

    if (n == 0)
        return;
    if (berth_hook_state_json(id, berth_hook_kind_status(BERTH_HOOK_POSTSTOP), pid, bundle,
                              &c->annotations, &json, &len, &err) < 0) {
        berth_warn(ctx, "poststop hooks of %s: %s", id, err->msg);
        berth_error_release(&err);
        return;
    }
    berth_hooks_run_warn(ctx, list, n, berth_hook_kind_name(BERTH_HOOK_POSTSTOP), json, len);
}
