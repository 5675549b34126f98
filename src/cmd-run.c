/* cmd-run.c: `berth run [options] ID`: create + start; in the foreground
 * waits for the container process and exits with its status (128+signal
 * when it was killed), then deletes the container unless --keep. */
#include "cli.h"
#include "commands.h"
#include "container.h"

int cmd_run(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("run");
    struct berth_create_opts o = {0};
    const struct cli_opt opts[] = {
        {"bundle", 'b', CLI_OPT_STRING, &o.bundle, "DIR",
         "path to the root of the bundle directory, defaults to the current directory"},
        {"console-socket", 0, CLI_OPT_STRING, &o.console_socket, "PATH",
         "path to an AF_UNIX socket which will receive a file descriptor referencing the master "
         "end of the console's pseudoterminal"},
        {"detach", 'd', CLI_OPT_BOOL, &o.detach, NULL, "detach from the container's process"},
        {"keep", 0, CLI_OPT_BOOL, &o.keep, NULL, "do not delete the container after it exits"},
        {"pid-file", 0, CLI_OPT_STRING, &o.pid_file, "FILE",
         "specify the file to write the process id to"},
        {"no-subreaper", 0, CLI_OPT_BOOL, &o.no_subreaper, NULL,
         "disable the use of the subreaper used to reap reparented processes"},
        {"no-pivot", 0, CLI_OPT_BOOL, &o.no_pivot, NULL,
         "do not use pivot root to jail process inside rootfs"},
        {"no-new-keyring", 0, CLI_OPT_BOOL, &o.no_new_keyring, NULL,
         "do not create a new session keyring for the container"},
        {"preserve-fds", 0, CLI_OPT_INT, &o.preserve_fds, "N",
         "pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in "
         "total)"},
    };
    berth_error_t err = NULL;
    char **args;
    int nargs, status = 0;
    int r;

    r = cli_parse(cmd, opts, CLI_NOPTS(opts), argc, argv, &args, &nargs);
    if (r != 0)
        return r == 1 ? 0 : r;
    r = cli_nargs(cmd, nargs, 1, 1);
    if (r != 0)
        return r;
    o.id = args[0];
    if (berth_container_run(&cli->ctx, &o, &status, &err) < 0)
        return cli_fail(cli, &err);
    return status;
}
