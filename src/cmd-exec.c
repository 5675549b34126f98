/* cmd-exec.c: `berth exec [flags] ID [COMMAND [ARGS...]]` or with
 * `--process FILE`: another process in an existing container (exec.h).
 * -e/--env, -c/--cap, -g/--additional-gids and --cgroup may be given
 * several times (runc's StringSlice flags: CLI_OPT_LIST). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "container/container.h"

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
    struct cli_list env = {0}, caps = {0}, gids = {0}, cgroups = {0};
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
        {"env", 'e', CLI_OPT_LIST, &env, "NAME=VALUE", "set an environment variable (repeat)"},
        {"user", 'u', CLI_OPT_STRING, &o.user, "UID[:GID]", "uid and gid of the process"},
        {"additional-gids", 'g', CLI_OPT_LIST, &gids, "GID",
         "additional group of the process (repeat)"},
        {"cap", 'c', CLI_OPT_LIST, &caps, "CAP", "add a capability (repeat)"},
        {"no-new-privs", 0, CLI_OPT_BOOL, &o.no_new_privs, NULL, "set no_new_privs"},
        {"apparmor", 0, CLI_OPT_STRING, &o.apparmor, "PROFILE", "AppArmor profile"},
        {"process-label", 0, CLI_OPT_STRING, &o.process_label, "LABEL", "SELinux label"},
        {"preserve-fds", 0, CLI_OPT_INT, &o.preserve_fds, "N",
         "pass N extra fds (3..3+N-1) to the process"},
        {"cgroup", 0, CLI_OPT_LIST, &cgroups, "[CTRL:]PATH",
         "run in this sub-cgroup of the container (repeat per controller)"},
        {"ignore-paused", 0, CLI_OPT_BOOL, &o.ignore_paused, NULL,
         "allow exec in a paused container"},
        {"pidfd-socket", 0, CLI_OPT_STRING, &o.pidfd_socket, "PATH",
         "unix socket that receives a pidfd of the process (SCM_RIGHTS)"},
    };

    r = cli_parse(cmd, opts, CLI_NOPTS(opts), argc, argv, &args, &nargs);
    if (r == 0)
        r = cli_nargs(cmd, nargs, o.process_file ? 1 : 2, o.process_file ? 1 : -1);
    if (r == 0) {
        o.id = args[0];
        o.args = args + 1;
        o.nargs = nargs - 1;
        o.env = env.v;
        o.nenv = env.n;
        o.caps = caps.v;
        o.ncaps = caps.n;
        o.additional_gids = gids.v;
        o.ngids = gids.n;
        if (cgroups.n)
            o.cgroup = cgroup = join(cgroups.v, cgroups.n);
        r = berth_container_exec(&cli->ctx, &o, &status, &err);
    } else if (r == 1) {
        r = 0; /* --help */
    }
    cli_list_free(&env);
    cli_list_free(&caps);
    cli_list_free(&gids);
    cli_list_free(&cgroups);
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
    return r > 0 ? r : status;
}
