/* cmd-restore.c: `berth restore [options] ID` with runc's flags (and
 * -no-subreaper, as containerd sends it: cli_parse takes Go-style single
 * dashes). */
#include <string.h>

#include "cli-opts.h"
#include "cli.h"
#include "commands.h"
#include "criu/criu.h"

int cmd_restore(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("restore");
    struct berth_create_opts c = {0};
    struct berth_criu_opts o = {.criu = cli->criu, .status_fd = -1, .create = &c};
    const struct cli_opt opts[] = {
        CLI_OPTS_BUNDLE(c),
        CLI_OPTS_FOREGROUND(c),
        {"lsm-profile", 0, CLI_OPT_STRING, &o.lsm_profile, "TYPE:LABEL",
         "the LSM profile (apparmor:NAME or selinux:LABEL) of the restored processes"},
        {"lsm-mount-context", 0, CLI_OPT_STRING, &o.lsm_mount_context, "CONTEXT",
         "the SELinux mount context of the restored mounts"},
        {"tcp-close", 0, CLI_OPT_BOOL, &o.tcp_close, NULL, "close established tcp connections"},
        CLI_OPTS_CRIU(o),
    };
    berth_error_t err = NULL;
    char **args;
    int nargs, status = 0;
    int r;

    r = cli_args(cmd, opts, CLI_NOPTS(opts), argc, argv, 1, 1, &args, &nargs);
    if (r != CLI_GO)
        return r;
    c.id = args[0];
    if (berth_container_restore(&cli->ctx, &o, &status, &err) < 0)
        return cli_fail(cli, &err);
    return status;
}
