/* cmd-create.c: `berth create [options] ID` (runtime.md "Create"): sets the
 * container up and leaves its init waiting for `berth start`. Flags and
 * help texts follow runc's create. */
#include "cli-opts.h"
#include "cli.h"
#include "commands.h"
#include "container/container.h"

int cmd_create(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("create");
    struct berth_create_opts o = {0};
    const struct cli_opt opts[] = {
        CLI_OPTS_BUNDLE(o),
        CLI_OPTS_NEW_INIT(o),
    };
    berth_error_t err = NULL;
    char **args;
    int nargs;
    int r;

    r = cli_args(cmd, opts, CLI_NOPTS(opts), argc, argv, 1, 1, &args, &nargs);
    if (r != CLI_GO)
        return r;
    o.id = args[0];
    if (berth_container_create(&cli->ctx, &o, &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
