/* cmd-state.c: `berth state ID`: prints the state JSON (runtime.md "Query
 * State", plus runc's rootfs, created and owner). */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "container/container.h"

static int state_to_stdout(const struct berth_context *ctx, const char *id, berth_error_t *err)
{
    return berth_container_state(ctx, id, stdout, err);
}

int cmd_state(struct berth_cli *cli, int argc, char **argv)
{
    return cli_run_on_id(cli, "state", state_to_stdout, argc, argv);
}
