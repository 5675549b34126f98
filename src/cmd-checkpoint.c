/* cmd-checkpoint.c: `berth checkpoint [options] ID` with runc's flags
 * (engines send them; podman probes `checkpoint --help`). */
#include "cli-opts.h"
#include "cli.h"
#include "commands.h"
#include "criu/criu.h"

int cmd_checkpoint(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("checkpoint");
    struct berth_criu_opts o = {.criu = cli->criu, .status_fd = -1};
    const struct cli_opt opts[] = {
        CLI_OPTS_CRIU(o),
        {"leave-running", 0, CLI_OPT_BOOL, &o.leave_running, NULL,
         "leave the process running after checkpointing"},
        {"pre-dump", 0, CLI_OPT_BOOL, &o.pre_dump, NULL,
         "dump container's memory information only, leave the container running after this"},
    };
    berth_error_t err = NULL;
    char **args;
    int nargs;
    int r;

    r = cli_args(cmd, opts, CLI_NOPTS(opts), argc, argv, 1, 1, &args, &nargs);
    if (r != CLI_GO)
        return r;
    if (berth_container_checkpoint(&cli->ctx, args[0], &o, &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
