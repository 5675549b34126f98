/* cmd-run.c: `berth run [options] ID`: create + start; in the foreground
 * waits for the container process and exits with its status (128+signal
 * when it was killed), then deletes the container unless --keep. */
#include "cli-opts.h"
#include "cli.h"
#include "commands.h"
#include "container/container.h"

int cmd_run(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("run");
    struct berth_create_opts o = {0};
    const struct cli_opt opts[] = {
        CLI_OPTS_BUNDLE(o),
        CLI_OPTS_NEW_INIT(o),
        CLI_OPTS_FOREGROUND(o),
        {"keep", 0, CLI_OPT_BOOL, &o.keep, NULL, "do not delete the container after it exits"},
    };
    berth_error_t err = NULL;
    char **args;
    int nargs, status = 0;
    int r;

    r = cli_args(cmd, opts, CLI_NOPTS(opts), argc, argv, 1, 1, &args, &nargs);
    if (r != CLI_GO)
        return r;
    o.id = args[0];
    if (berth_container_run(&cli->ctx, &o, &status, &err) < 0)
        return cli_fail(cli, &err);
    return status;
}
