/* cmd-start.c: `berth start ID`: runs the user process of a created
 * container (runtime.md "Start"). */
#include "cli.h"
#include "commands.h"
#include "container/container.h"

int cmd_start(struct berth_cli *cli, int argc, char **argv)
{
    return cli_run_on_id(cli, "start", berth_container_start, argc, argv);
}
