/* cmd-pause.c: `berth pause ID`: suspends all processes of the container (cgroup freezer). */
#include "cli.h"
#include "commands.h"
#include "container-cgroup.h"

int cmd_pause(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("pause");
    berth_error_t err = NULL;
    char **args;
    int nargs;
    int r;

    r = cli_parse(cmd, NULL, 0, argc, argv, &args, &nargs);
    if (r != 0)
        return r == 1 ? 0 : r;
    r = cli_nargs(cmd, nargs, 1, 1);
    if (r != 0)
        return r;
    if (berth_container_pause(&cli->ctx, args[0], &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
