/* cmd-exec.c: `berth exec [flags] ID [COMMAND [ARGS...]]` or with
 * `--process FILE`: another process in an existing container (exec.h).
 *
 * -e/--env, -c/--cap, -g/--additional-gids and --cgroup may be given
 * several times (runc's StringSlice flags); cli_parse keeps one value per
 * flag, so these are collected here first and taken out of argv. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "container/exec.h"

struct multi {
    char **env, **caps, **gids, **cgroups;
    size_t nenv, ncaps, ngids, ncgroups;
};

static int add(char ***v, size_t *n, char *value)
{
    char **nv = realloc(*v, (*n + 1) * sizeof(char *));

    if (!nv)
        return -1;
    nv[(*n)++] = value;
    *v = nv;
    return 0;
}

/* The list a repeatable flag name goes to, or NULL. */
static char ***multi_target(struct multi *m, const char *name, size_t len, size_t **ret_n)
{
#define IS(s) (strlen(s) == len && strncmp(name, s, len) == 0)
    if (IS("e") || IS("env"))
        return *ret_n = &m->nenv, &m->env;
    if (IS("c") || IS("cap"))
        return *ret_n = &m->ncaps, &m->caps;
    if (IS("g") || IS("additional-gids"))
        return *ret_n = &m->ngids, &m->gids;
    if (IS("cgroup"))
        return *ret_n = &m->ncgroups, &m->cgroups;
#undef IS
    return NULL;
}

static bool takes_value(const struct cli_opt *opts, size_t nopts, const char *name, size_t len)
{
    for (size_t i = 0; i < nopts; i++)
        if ((len == 1 && opts[i].short_name == name[0]) ||
            (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0))
            return opts[i].kind != CLI_OPT_BOOL;
    return false;
}

/* Moves the repeatable flags (up to the container id) out of argv into m;
 * returns the new argc, or -1 when a value is missing. */
static int collect_multi(const struct cli_opt *opts, size_t nopts, int argc, char **argv,
                         struct multi *m)
{
    int out = 1, i;

    for (i = 1; i < argc; i++) {
        const char *arg = argv[i], *name, *eq;
        size_t len, *n;
        char ***v;

        if (strcmp(arg, "--") == 0 || arg[0] != '-' || arg[1] == '\0')
            break;
        name = arg + (arg[1] == '-' ? 2 : 1);
        eq = strchr(name, '=');
        len = eq ? (size_t)(eq - name) : strlen(name);
        v = multi_target(m, name, len, &n);
        if (v) {
            char *value = eq ? (char *)eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!value || add(v, n, value) < 0)
                return -1;
            continue;
        }
        argv[out++] = argv[i];
        if (!eq && takes_value(opts, nopts, name, len) && i + 1 < argc)
            argv[out++] = argv[++i];
    }
    for (; i < argc; i++)
        argv[out++] = argv[i];
    argv[out] = NULL;
    return out;
}

static char *join(char **v, size_t n)
{
    size_t len = 1;
    char *s;

    for (size_t i = 0; i < n; i++)
        len += strlen(v[i]) + 1;
    s = calloc(1, len);
    for (size_t i = 0; s && i < n; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, v[i]);
    }
    return s;
}

int cmd_exec(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("exec");
    struct berth_exec_opts o = {0};
    struct multi m = {0};
    const char *unused = NULL;
    berth_error_t err = NULL;
    char *cgroup = NULL;
    int status = 0, nargs, r;
    char **args;
    const struct cli_opt opts[] = {
        {"process", 'p', CLI_OPT_STRING, &o.process_file, "FILE",
         "path to the process.json (a runtime-spec process object)"},
        {"tty", 't', CLI_OPT_BOOL, &o.tty, NULL, "allocate a pseudo-TTY"},
        {"console-socket", 0, CLI_OPT_STRING, &o.console_socket, "PATH",
         "unix socket that receives the pty master (SCM_RIGHTS)"},
        {"detach", 'd', CLI_OPT_BOOL, &o.detach, NULL, "detach from the process"},
        {"pid-file", 0, CLI_OPT_STRING, &o.pid_file, "FILE", "write the process id to FILE"},
        {"cwd", 0, CLI_OPT_STRING, &o.cwd, "DIR", "current working directory in the container"},
        {"env", 'e', CLI_OPT_STRING, &unused, "NAME=VALUE", "set an environment variable (repeat)"},
        {"user", 'u', CLI_OPT_STRING, &o.user, "UID[:GID]", "uid and gid of the process"},
        {"additional-gids", 'g', CLI_OPT_STRING, &unused, "GID",
         "additional group of the process (repeat)"},
        {"cap", 'c', CLI_OPT_STRING, &unused, "CAP", "add a capability (repeat)"},
        {"no-new-privs", 0, CLI_OPT_BOOL, &o.no_new_privs, NULL, "set no_new_privs"},
        {"apparmor", 0, CLI_OPT_STRING, &o.apparmor, "PROFILE", "AppArmor profile"},
        {"process-label", 0, CLI_OPT_STRING, &o.process_label, "LABEL", "SELinux label"},
        {"preserve-fds", 0, CLI_OPT_INT, &o.preserve_fds, "N",
         "pass N extra fds (3..3+N-1) to the process"},
        {"cgroup", 0, CLI_OPT_STRING, &unused, "[CTRL:]PATH",
         "run in this sub-cgroup of the container (repeat per controller)"},
        {"ignore-paused", 0, CLI_OPT_BOOL, &o.ignore_paused, NULL,
         "allow exec in a paused container"},
        {"pidfd-socket", 0, CLI_OPT_STRING, &o.pidfd_socket, "PATH",
         "unix socket that receives a pidfd of the process (SCM_RIGHTS)"},
    };

    argc = collect_multi(opts, CLI_NOPTS(opts), argc, argv, &m);
    if (argc < 0) {
        berth_error_make(&err, 0, "exec: a flag needs an argument");
        return cli_fail(cli, &err);
    }
    r = cli_parse(cmd, opts, CLI_NOPTS(opts), argc, argv, &args, &nargs);
    if (r != 0)
        return r == 1 ? 0 : r;
    r = cli_nargs(cmd, nargs, o.process_file ? 1 : 2, o.process_file ? 1 : -1);
    if (r != 0)
        return r;
    o.id = args[0];
    o.args = args + 1;
    o.nargs = nargs - 1;
    o.env = m.env;
    o.nenv = m.nenv;
    o.caps = m.caps;
    o.ncaps = m.ncaps;
    o.additional_gids = m.gids;
    o.ngids = m.ngids;
    if (m.ncgroups)
        o.cgroup = cgroup = join(m.cgroups, m.ncgroups);
    r = berth_container_exec(&cli->ctx, &o, &status, &err);
    free(m.env);
    free(m.caps);
    free(m.gids);
    free(m.cgroups);
    free(cgroup);
    /* runc's contract, which engines read: any failure to run the process
     * (no container, a paused or stopped one, a bad user, cwd or binary)
     * exits 255 with "exec failed: ...", so that it cannot be mistaken for
     * the exit status of the process itself. */
    if (r < 0) {
        berth_error_wrap(&err, "exec failed");
        cli_fail(cli, &err);
        return 255;
    }
    return status;
}
