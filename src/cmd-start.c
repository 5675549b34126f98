/* cmd-start.c: `berth start ID`: runs the user process of a created
 * container (runtime.md "Start"). */
#include "cli.h"
#include "commands.h"
#include "container.h"

int cmd_start(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("start");
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
    if (berth_container_start(&cli->ctx, args[0], &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
