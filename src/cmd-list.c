/* cmd-list.c: `berth list [--format table|json] [--quiet]`: the containers
 * under --root, formatted as runc prints them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "container/container.h"
#include "state/state.h"

/* runc prints with Go's tabwriter (minwidth 12, padding 3): each column as
 * wide as its widest cell plus 3, at least 12; the last one unpadded. */
#define TAB_MIN 12
#define TAB_PAD 3
#define NCOLS   6

static void row_cells(const struct berth_state_view *v, char pidbuf[32], const char *cells[NCOLS])
{
    bool live = v->status != BERTH_STATUS_STOPPED && v->status != BERTH_STATUS_CREATING;

    snprintf(pidbuf, 32, "%d", live ? (int)v->s->pid : 0);
    cells[0] = v->s->id;
    cells[1] = pidbuf;
    cells[2] = berth_status_name(v->status);
    cells[3] = v->s->bundle ? v->s->bundle : "";
    cells[4] = v->s->created ? v->s->created : "";
    cells[5] = v->s->owner ? v->s->owner : "";
}

static void print_row(FILE *out, const char *cells[NCOLS], const size_t width[NCOLS])
{
    for (int c = 0; c < NCOLS - 1; c++)
        fprintf(out, "%-*s", (int)width[c], cells[c]);
    fprintf(out, "%s\n", cells[NCOLS - 1]);
}

static void print_table(FILE *out, const struct berth_container_listing *li)
{
    static const char *header[NCOLS] = {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"};
    size_t width[NCOLS];
    char pidbuf[32];
    const char *cells[NCOLS];

    for (int c = 0; c < NCOLS; c++)
        width[c] = strlen(header[c]) + TAB_PAD;
    for (size_t i = 0; i < li->n; i++) {
        row_cells(&li->views[i], pidbuf, cells);
        for (int c = 0; c < NCOLS; c++)
            if (strlen(cells[c]) + TAB_PAD > width[c])
                width[c] = strlen(cells[c]) + TAB_PAD;
    }
    for (int c = 0; c < NCOLS; c++)
        if (width[c] < TAB_MIN)
            width[c] = TAB_MIN;
    print_row(out, header, width);
    for (size_t i = 0; i < li->n; i++) {
        row_cells(&li->views[i], pidbuf, cells);
        print_row(out, cells, width);
    }
}

static int print_list(const struct berth_container_listing *li, bool json, bool quiet,
                      berth_error_t *err)
{
    char *text = NULL;
    int r;

    if (quiet) {
        for (size_t i = 0; i < li->n; i++)
            printf("%s\n", li->views[i].s->id);
    } else if (json) {
        r = berth_state_json_public(li->views, li->n, true, &text, err);
        if (r < 0)
            return r;
        printf("%s\n", text);
        free(text);
    } else {
        print_table(stdout, li);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return berth_error_errno(err, "write container list");
    return 0;
}

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

    r = cli_args(cmd, opts, CLI_NOPTS(opts), argc, argv, 0, 0, &args, &nargs);
    if (r != CLI_GO)
        return r;
    if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0) {
        berth_error_make(&err, 0, "invalid format option %s: expected table or json", format);
        return cli_fail(cli, &err);
    }
    struct berth_container_listing li = {0};

    r = berth_container_list(&cli->ctx, &li, &err);
    if (r >= 0)
        r = print_list(&li, strcmp(format, "json") == 0, quiet, &err);
    berth_container_listing_release(&li);
    return r < 0 ? cli_fail(cli, &err) : 0;
}
