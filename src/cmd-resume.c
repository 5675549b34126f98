/* cmd-resume.c: `berth resume ID`: resumes the processes of a paused container. */
#include "cli.h"
#include "commands.h"
#include "container/container.h"

int cmd_resume(struct berth_cli *cli, int argc, char **argv)
{
    return cli_run_on_id(cli, "resume", berth_container_resume, argc, argv);
}
