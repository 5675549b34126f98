/* cmd-list.c: `berth list [--format table|json] [--quiet]`: the containers
 * under --root, formatted as runc prints them. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "container/container.h"

int cmd_list(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("list");
    const char *format = "table";
    bool quiet = false;
    const struct cli_opt opts[] = {
        {"format", 'f', CLI_OPT_STRING, &format, "table|json",
         "select one of: table or json (default: \"table\")"},
        {"quiet", 'q', CLI_OPT_BOOL, &quiet, NULL, "display only container IDs"},
    };
    berth_error_t err = NULL;
    char **args;
    int nargs;
    int r;

    r = cli_parse(cmd, opts, CLI_NOPTS(opts), argc, argv, &args, &nargs);
    if (r != 0)
        return r == 1 ? 0 : r;
    r = cli_nargs(cmd, nargs, 0, 0);
    if (r != 0)
        return r;
    if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0) {
        berth_error_make(&err, 0, "invalid format option %s: expected table or json", format);
        return cli_fail(cli, &err);
    }
    if (berth_container_list(&cli->ctx, stdout, strcmp(format, "json") == 0, quiet, &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
