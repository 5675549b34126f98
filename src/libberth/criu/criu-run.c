/* criu-run.c: running the criu binary: started with its output in a pipe,
 * waited for; `criu --version`, `criu check` (cached), and criu's reason
 * picked from its log. */
#include "criu-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"

const char *berth_criu_bin(const char *criu)
{
    return criu && *criu ? criu : "criu";
}

/* Forks argv with stdin /dev/null and stdout+stderr into a pipe, whose
 * read end is *ret_out (O_CLOEXEC). keep_fd (>= 0) is inherited by the
 * exec'd program; pre_exec runs in the child before the exec, spawned in
 * the parent (when it fails the child is killed and reaped, and its error
 * returned). */
int berth_criu_start(char *const argv[], const struct berth_criu_hooks *h, int keep_fd,
                     pid_t *ret_pid, int *ret_out, berth_error_t *err)
{
    int p[2], status;
    pid_t pid;

    if (pipe2(p, O_CLOEXEC) < 0)
        return berth_error_errno(err, "pipe");
    pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return berth_error_errno(err, "fork");
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        if (null < 0 || dup2(null, 0) < 0 || dup2(p[1], 1) < 0 || dup2(p[1], 2) < 0)
            _exit(126);
        if (h && h->pre_exec)
            h->pre_exec(h->data);
        if (keep_fd >= 0 && fcntl(keep_fd, F_SETFD, 0) < 0)
            _exit(126);
        execvp(argv[0], argv);
        _exit(errno == ENOENT ? 127 : 126);
    }
    close(p[1]);
    if (h && h->spawned) {
        int r = h->spawned(h->data, pid, err);

        if (r < 0) {
            close(p[0]);
            (void)kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return r;
        }
    }
    *ret_pid = pid;
    *ret_out = p[0];
    return 0;
}

/* One read of the child's output into o: 1 data, 0 EOF (or no memory:
 * output is advisory), -1 nothing yet. */
int berth_criu_output_read(struct berth_criu_output *o, int fd)
{
    char buf[4096], *grown;
    ssize_t n = read(fd, buf, sizeof(buf));

    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? -1 : 0;
    if (n == 0)
        return 0;
    grown = realloc(o->text, o->len + n + 1);
    if (!grown)
        return 0;
    o->text = grown;
    memcpy(o->text + o->len, buf, n);
    o->len += n;
    o->text[o->len] = '\0';
    return 1;
}

/* The wait status of pid; -127 when the exec found no such binary (error
 * set). */
int berth_criu_wait(pid_t pid, const char *bin, berth_error_t *err)
{
    int status;

    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return berth_error_errno(err, "wait for %s", bin);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        berth_error_make(err, 0, "criu not installed (`%s` not found)", bin);
        return -ENOENT;
    }
    return status;
}

/* Runs argv to its end; its output in *ret_out. The wait status, or <0
 * with *err when it could not be run (-ENOENT: no such binary). */
static int run_to_end(char *const argv[], char **ret_out, berth_error_t *err)
{
    struct berth_criu_output out = {0};
    pid_t pid;
    int fd, r;

    r = berth_criu_start(argv, NULL, -1, &pid, &fd, err);
    if (r < 0)
        return r;
    while (berth_criu_output_read(&out, fd) != 0)
        ;
    close(fd);
    r = berth_criu_wait(pid, argv[0], err);
    if (r < 0) {
        free(out.text);
        return r;
    }
    *ret_out = out.text ? out.text : strdup("");
    return r;
}

char *berth_criu_version(const char *criu)
{
    char *argv[] = {(char *)berth_criu_bin(criu), (char *)"--version", NULL};
    _cleanup_free_ char *out = NULL;
    berth_error_t ignored = NULL;
    char *v, *e;
    int r = run_to_end(argv, &out, &ignored);

    berth_error_release(&ignored);
    if (r != 0 || !out || !(v = strstr(out, "Version:")))
        return NULL;
    v += strlen("Version:");
    v += strspn(v, " \t");
    e = v + strcspn(v, "\n");
    return strndup(v, e - v);
}

/* criu's own reason: its first error line ("Error (file:line): text",
 * after a timestamp in logs); the later ones are callers giving up. Else
 * the last non-empty line. */
char *berth_criu_reason(const char *text)
{
    const char *p, *end;

    if (!text)
        return NULL;
    for (p = text; (p = strstr(p, "Error (")) != NULL; p++) {
        const char *bol = p;
        while (bol > text && bol[-1] != '\n')
            bol--;
        if (p - bol < 20) /* at the start, or after "(00.123456) " */
            return strndup(p, strcspn(p, "\n"));
    }
    end = text + strlen(text);
    while (end > text && end[-1] == '\n')
        end--;
    p = end;
    while (p > text && p[-1] != '\n')
        p--;
    return strndup(p, end - p);
}

/* Cached per process: `criu check` takes a while under emulation and
 * every checkpoint/restore asks. */
static int check_result = 1; /* 1 = not run yet */
static char *check_reason;

int berth_criu_check(const char *criu, berth_error_t *err)
{
    char *argv[] = {(char *)berth_criu_bin(criu), (char *)"check", NULL};

    if (check_result == 1) {
        _cleanup_free_ char *out = NULL;
        berth_error_t e = NULL;
        int r = run_to_end(argv, &out, &e);

        if (r < 0) {
            check_result = r;
            check_reason = strdup(e->msg);
            berth_error_release(&e);
        } else if (r != 0) {
            _cleanup_free_ char *why = berth_criu_reason(out);
            check_result = -EOPNOTSUPP;
            if (asprintf(&check_reason, "criu cannot run on this kernel: %s",
                         why && *why ? why : "`criu check` failed") < 0)
                check_reason = NULL;
        } else {
            check_result = 0;
        }
    }
    if (check_result < 0) {
        berth_error_make(err, 0, "%s", check_reason ? check_reason : "criu cannot run");
        return check_result;
    }
    return 0;
}

int berth_criu_mkdirs(const char *path, berth_error_t *err)
{
    _cleanup_free_ char *p = strdup(path);

    if (!p)
        return berth_error_make(err, ENOMEM, "mkdir `%s`", path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) < 0 && errno != EEXIST)
            return berth_error_errno(err, "mkdir `%s`", p);
        *s = '/';
    }
    if (mkdir(p, 0700) < 0 && errno != EEXIST)
        return berth_error_errno(err, "mkdir `%s`", p);
    return 0;
}
