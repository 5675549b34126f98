/* criu-run.c: running the criu binary: version, `criu check` (cached),
 * and one action (dump, pre-dump, restore) with its error taken from
 * criu's own log. */
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

/* Runs argv with stdin /dev/null and stdout+stderr into a pipe read to
 * *ret_out (may be NULL: output dropped). pre_exec runs in the child.
 * Returns the wait status, or <0 with *err when it could not be run
 * (-ENOENT: no such binary). */
int berth_criu_spawn(char *const argv[], char **ret_out, const struct berth_criu_hooks *h,
                     berth_error_t *err)
{
    int p[2], status;
    pid_t pid;
    char buf[4096];
    size_t len = 0;
    _cleanup_free_ char *out = NULL;
    ssize_t n;

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
    while ((n = read(p[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
        char *grown;
        if (n < 0)
            continue;
        grown = realloc(out, len + n + 1);
        if (!grown)
            break;
        out = grown;
        memcpy(out + len, buf, n);
        len += n;
        out[len] = '\0';
    }
    close(p[0]);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return berth_error_errno(err, "wait for %s", argv[0]);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        berth_error_make(err, 0, "criu not installed (`%s` not found)", argv[0]);
        return -ENOENT;
    }
    if (ret_out)
        *ret_out = out ? TAKE_PTR(out) : strdup("");
    return status;
}

char *berth_criu_version(const char *criu)
{
    char *argv[] = {(char *)berth_criu_bin(criu), (char *)"--version", NULL};
    _cleanup_free_ char *out = NULL;
    berth_error_t ignored = NULL;
    char *v, *e;
    int r = berth_criu_spawn(argv, &out, NULL, &ignored);

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
        int r = berth_criu_spawn(argv, &out, NULL, &e);

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

/* Runs one criu action; on failure the error carries criu's reason from
 * its log and names the log. */
int berth_criu_action(const char *what, char *const argv[], const char *log_path,
                      const struct berth_criu_hooks *h, berth_error_t *err)
{
    _cleanup_free_ char *out = NULL, *log = NULL, *why = NULL;
    _cleanup_fclose_ FILE *f = NULL;
    int r = berth_criu_spawn(argv, &out, h, err);

    if (r < 0)
        return r;
    if (r == 0)
        return 0;
    f = fopen(log_path, "re");
    if (f) {
        size_t cap = 0;
        ssize_t n = getdelim(&log, &cap, '\0', f);
        if (n < 0) {
            free(log);
            log = NULL;
        }
    }
    why = berth_criu_reason(log && *log ? log : out);
    return berth_error_make(err, 0, "criu %s failed (%s %d): %s (log: %s)", what,
                            WIFEXITED(r) ? "exit status" : "signal",
                            WIFEXITED(r) ? WEXITSTATUS(r) : WTERMSIG(r),
                            why ? why : "no reason logged", log_path);
}

void berth_argv_add(struct berth_argv *a, const char *fmt, ...)
{
    va_list ap;
    char *s = NULL, **grown;

    if (a->failed)
        return;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    grown = s ? realloc(a->v, (a->n + 2) * sizeof(*a->v)) : NULL;
    if (!grown) {
        free(s);
        a->failed = true;
        return;
    }
    a->v = grown;
    a->v[a->n++] = s;
    a->v[a->n] = NULL;
}

void berth_argv_free(struct berth_argv *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = 0;
}

void berth_criu_common_args(struct berth_argv *a, const struct berth_criu_opts *o)
{
    berth_argv_add(a, "--manage-cgroups=%s",
                   o->manage_cgroups_mode ? o->manage_cgroups_mode : "soft");
    if (o->tcp_established)
        berth_argv_add(a, "--tcp-established");
    if (o->ext_unix_sk)
        berth_argv_add(a, "--ext-unix-sk");
    if (o->shell_job)
        berth_argv_add(a, "--shell-job");
    if (o->file_locks)
        berth_argv_add(a, "--file-locks");
    if (o->auto_dedup)
        berth_argv_add(a, "--auto-dedup");
    if (o->lazy_pages)
        berth_argv_add(a, "--lazy-pages");
    if (o->link_remap)
        berth_argv_add(a, "--link-remap");
    if (o->status_fd >= 0)
        berth_argv_add(a, "--status-fd=%d", o->status_fd);
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
