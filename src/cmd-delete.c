/* cmd-delete.c: `berth delete` (stub: the command is not implemented yet). */
#include "cli.h"
#include "commands.h"

int cmd_delete(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("delete");
    berth_error_t err = NULL;
    char **args;
    int nargs;
    int r;

    r = cli_parse(cmd, NULL, 0, argc, argv, &args, &nargs);
    if (r != 0)
        return r == 1 ? 0 : r;
    berth_error_make(&err, 0, "delete: not implemented yet");
    return cli_fail(cli, &err);
}
