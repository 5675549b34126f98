/* cmd-events.c: `berth events [--stats] [--interval 5s] ID`: container
 * statistics and OOM notifications as JSON lines, in runc's format. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "container/container.h"

/* Go durations as runc takes them: "5s", "500ms", "1m", "1.5s". */
static int parse_duration_ms(const char *s, int *ret)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || v <= 0)
        return -EINVAL;
    if (strcmp(end, "ms") == 0)
        ;
    else if (strcmp(end, "s") == 0)
        v *= 1000;
    else if (strcmp(end, "m") == 0)
        v *= 60000;
    else if (strcmp(end, "h") == 0)
        v *= 3600000;
    else
        return -EINVAL;
    if (v < 1 || v > 86400000)
        return -EINVAL;
    *ret = (int)v;
    return 0;
}

/* One record per line, flushed: engines read the stream as it comes. */
static int write_event(const char *json, size_t len, void *data, berth_error_t *err)
{
    FILE *out = data;

    if (fwrite(json, 1, len, out) != len || fputc('\n', out) == EOF || fflush(out) != 0)
        return berth_error_errno(err, "write events");
    return 0;
}

int cmd_events(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("events");
    bool stats = false;
    const char *interval = "5s";
    const struct cli_opt opts[] = {
        {"stats", 0, CLI_OPT_BOOL, &stats, NULL, "display the container's stats then exit"},
        {"interval", 0, CLI_OPT_STRING, &interval, "DURATION",
         "set the stats collection interval (default: 5s)"},
    };
    berth_error_t err = NULL;
    int interval_ms;
    char **args;
    int nargs;
    int r;

    r = cli_args(cmd, opts, CLI_NOPTS(opts), argc, argv, 1, 1, &args, &nargs);
    if (r != CLI_GO)
        return r;
    if (parse_duration_ms(interval, &interval_ms) < 0) {
        fprintf(stderr, "berth events: invalid --interval `%s` (e.g. 5s, 500ms)\n", interval);
        return 2;
    }
    if (berth_container_events(&cli->ctx, args[0], stats, interval_ms, write_event, stdout, &err) <
        0)
        return cli_fail(cli, &err);
    return 0;
}
