/* cmd-kill.c: `berth kill [--all] ID [SIGNAL]`: signals the container's
 * init (runtime.md "Kill"); SIGNAL is a name (TERM, SIGTERM, RTMIN+3) or a
 * number, SIGTERM by default. */
#include <signal.h>

#include "cli.h"
#include "commands.h"
#include "container/container.h"
#include "util/signals.h"

int cmd_kill(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("kill");
    bool all = false;
    const struct cli_opt opts[] = {
        {"all", 'a', CLI_OPT_BOOL, &all, NULL, "send the signal to all processes in the container"},
    };
    berth_error_t err = NULL;
    int signo = SIGTERM;
    char **args;
    int nargs;
    int r;

    r = cli_args(cmd, opts, CLI_NOPTS(opts), argc, argv, 1, 2, &args, &nargs);
    if (r != CLI_GO)
        return r;
    if (nargs == 2 && berth_signal_parse(args[1], &signo, &err) < 0)
        return cli_fail(cli, &err);
    if (berth_container_kill(&cli->ctx, args[0], signo, all, &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
