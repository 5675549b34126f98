/* cmd-delete.c: `berth delete [--force] ID`: removes a stopped container
 * (runtime.md "Delete"); --force kills a live one first and ignores an
 * unknown id. */
#include "cli.h"
#include "commands.h"
#include "container/container.h"

int cmd_delete(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("delete");
    bool force = false;
    const struct cli_opt opts[] = {
        {"force", 'f', CLI_OPT_BOOL, &force, NULL,
         "forcibly delete the container if it is still running (uses SIGKILL)"},
    };
    berth_error_t err = NULL;
    char **args;
    int nargs;
    int r;

    r = cli_args(cmd, opts, CLI_NOPTS(opts), argc, argv, 1, 1, &args, &nargs);
    if (r != CLI_GO)
        return r;
    if (berth_container_delete(&cli->ctx, args[0], force, &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
