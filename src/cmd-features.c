/* cmd-features.c: `berth features` (stub: the command is not implemented yet). */
#include "cli.h"
#include "commands.h"

int cmd_features(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("features");
    berth_error_t err = NULL;
    char **args;
    int nargs;
    int r;

    r = cli_parse(cmd, NULL, 0, argc, argv, &args, &nargs);
    if (r != 0)
        return r == 1 ? 0 : r;
    berth_error_make(&err, 0, "features: not implemented yet");
    return cli_fail(cli, &err);
}
