/* cmd-features.c: `berth features`: prints the runtime-spec Features
 * structure (features.md) that engines read to learn what berth supports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "container/container.h"
#include "oci.h"

/* Indented JSON, as runc prints it. */
static int print_features(berth_error_t *err)
{
    oci_features *f = NULL;
    char *json;
    size_t len = 0;
    int r = berth_features_build(&f, err);

    if (r < 0)
        return r;
    json = oci_emit(&oci_features_desc, f, true, &len);
    oci_features_free(f);
    if (!json)
        return berth_error_make(err, ENOMEM, "emit features");
    if (fwrite(json, 1, len, stdout) != len || putchar('\n') == EOF || fflush(stdout) != 0)
        r = berth_error_errno(err, "write features");
    free(json);
    return r;
}

int cmd_features(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("features");
    berth_error_t err = NULL;
    char **args;
    int nargs;
    int r;

    r = cli_args(cmd, NULL, 0, argc, argv, 0, 0, &args, &nargs);
    if (r != CLI_GO)
        return r;
    if (print_features(&err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
