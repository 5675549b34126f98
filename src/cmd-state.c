/* cmd-state.c: `berth state ID`: prints the state JSON (runtime.md "Query
 * State", plus runc's rootfs, created and owner). */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "container.h"

int cmd_state(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("state");
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
    if (berth_container_state(&cli->ctx, args[0], stdout, &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
