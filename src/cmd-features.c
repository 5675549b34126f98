/* cmd-features.c: `berth features`: prints the runtime-spec Features
 * structure (features.md) that engines read to learn what berth supports. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "container/berth-features.h"

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
    r = cli_nargs(cmd, nargs, 0, 0);
    if (r != 0)
        return r;
    if (berth_features_write(stdout, &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
