/* cmd-state.c: `berth state ID`: prints the state JSON (runtime.md "Query
 * State", plus runc's rootfs, created and owner), pretty-printed as runc
 * prints it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "container/container.h"
#include "state/state.h"

static int print_state(const struct berth_context *ctx, const char *id, berth_error_t *err)
{
    struct berth_container_listing li = {0};
    char *json = NULL;
    int r;

    r = berth_container_state(ctx, id, &li, err);
    if (r >= 0)
        r = berth_state_json_public(li.views, li.n, false, &json, err);
    berth_container_listing_release(&li);
    if (r < 0)
        return r;
    if (printf("%s\n", json) < 0 || fflush(stdout) != 0)
        r = berth_error_errno(err, "write state");
    free(json);
    return r;
}

int cmd_state(struct berth_cli *cli, int argc, char **argv)
{
    return cli_run_on_id(cli, "state", print_state, argc, argv);
}
