/* cmd-create.c: `berth create [options] ID` (runtime.md "Create"): sets the
 * container up and leaves its init waiting for `berth start`. Flags and
 * help texts follow runc's create. */
#include "cli.h"
#include "commands.h"
#include "container.h"

int cmd_create(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("create");
    struct berth_create_opts o = {0};
    const struct cli_opt opts[] = {
        {"bundle", 'b', CLI_OPT_STRING, &o.bundle, "DIR",
         "path to the root of the bundle directory, defaults to the current directory"},
        {"console-socket", 0, CLI_OPT_STRING, &o.console_socket, "PATH",
         "path to an AF_UNIX socket which will receive a file descriptor referencing the master "
         "end of the console's pseudoterminal"},
        {"pid-file", 0, CLI_OPT_STRING, &o.pid_file, "FILE",
         "specify the file to write the process id to"},
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
    int nargs;
    int r;

    r = cli_parse(cmd, opts, CLI_NOPTS(opts), argc, argv, &args, &nargs);
    if (r != 0)
        return r == 1 ? 0 : r;
    r = cli_nargs(cmd, nargs, 1, 1);
    if (r != 0)
        return r;
    o.id = args[0];
    if (berth_container_create(&cli->ctx, &o, &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
