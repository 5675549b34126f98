/* cmd-spec.c: `berth spec [--bundle DIR] [--rootless]`: writes a default
 * config.json to start a bundle from. */
#include "cli.h"
#include "commands.h"
#include "spec/spec.h"

int cmd_spec(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("spec");
    const char *bundle = NULL;
    bool rootless = false;
    const struct cli_opt opts[] = {
        {"bundle", 'b', CLI_OPT_STRING, &bundle, "DIR",
         "path to the root of the bundle directory (default: current directory)"},
        {"rootless", 0, CLI_OPT_BOOL, &rootless, NULL,
         "generate a configuration for a rootless container"},
    };
    berth_error_t err = NULL;
    char **args;
    int nargs;
    int r;

    r = cli_args(cmd, opts, CLI_NOPTS(opts), argc, argv, 0, 0, &args, &nargs);
    if (r != CLI_GO)
        return r;
    if (berth_spec_create(bundle, rootless, &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
