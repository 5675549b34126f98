/* cmd-pause.c: `berth pause ID`: suspends all processes of the container (cgroup freezer). */
#include "cli.h"
#include "commands.h"
#include "container/container.h"

int cmd_pause(struct berth_cli *cli, int argc, char **argv)
{
    return cli_run_on_id(cli, "pause", berth_container_pause, argc, argv);
}
