/* cmd-validate.c: `berth validate [--bundle DIR] [--format text|json]
 * [--no-host-checks]`: checks a bundle's config.json against the runtime
 * spec (schema and semantic rules) and reports every problem with its JSON
 * pointer. Exit status 0 when there is no error (warnings allowed), 1 when
 * there is at least one, 2 on a usage error.
 *
 * The diagnostics are the command's output, so they go to stdout; only a
 * failure to run the check at all goes through cli_fail.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "cgroup/cgroup.h"
#include "spec/validate.h"

static const char *level_name(enum oci_diag_level level)
{
    return level == OCI_DIAG_ERROR ? "error" : "warning";
}

/* JSON string with the escapes RFC 8259 requires. */
static void put_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c == '\n')
            fputs("\\n", f);
        else if (*c == '\t')
            fputs("\\t", f);
        else if (*c < 0x20)
            fprintf(f, "\\u%04x", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

static void print_json(const struct oci_diags *d)
{
    fputs("[", stdout);
    for (size_t i = 0; i < d->len; i++) {
        fputs(i ? ",\n  {\"level\": " : "\n  {\"level\": ", stdout);
        put_json_string(stdout, level_name(d->items[i].level));
        fputs(", \"pointer\": ", stdout);
        put_json_string(stdout, d->items[i].pointer);
        fputs(", \"message\": ", stdout);
        put_json_string(stdout, d->items[i].message);
        fputs("}", stdout);
    }
    fputs(d->len ? "\n]\n" : "]\n", stdout);
}

/* One diagnostic per line: control characters from config values are
 * shown escaped so that a value cannot forge or split lines. */
static void put_text(FILE *f, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        if (*c == '\n')
            fputs("\\n", f);
        else if (*c == '\t')
            fputs("\\t", f);
        else if (*c < 0x20 || *c == 0x7f)
            fprintf(f, "\\x%02x", *c);
        else
            fputc(*c, f);
    }
}

static size_t count_errors(const struct oci_diags *d)
{
    size_t n = 0;

    for (size_t i = 0; i < d->len; i++)
        n += d->items[i].level == OCI_DIAG_ERROR;
    return n;
}

static void print_text(const struct oci_diags *d)
{
    size_t nerr = 0, nwarn = 0;

    for (size_t i = 0; i < d->len; i++) {
        const struct oci_diag *g = &d->items[i];
        if (g->level == OCI_DIAG_ERROR)
            nerr++;
        else
            nwarn++;
        printf("%s: ", level_name(g->level));
        if (g->pointer && *g->pointer) {
            put_text(stdout, g->pointer);
            fputs(": ", stdout);
        }
        put_text(stdout, g->message);
        fputc('\n', stdout);
    }
    printf("%zu error%s, %zu warning%s\n", nerr, nerr == 1 ? "" : "s", nwarn,
           nwarn == 1 ? "" : "s");
}

int cmd_validate(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("validate");
    const char *bundle = NULL, *format = "text";
    bool no_host = false;
    const struct cli_opt opts[] = {
        {"bundle", 'b', CLI_OPT_STRING, &bundle, "DIR",
         "path to the root of the bundle directory (default: current directory)"},
        {"format", 'f', CLI_OPT_STRING, &format, "FORMAT", "output format: text or json"},
        {"no-host-checks", 0, CLI_OPT_BOOL, &no_host, NULL,
         "check the configuration only, not the host (rootfs, namespace paths, resctrl)"},
    };
    struct oci_diags diags = {0};
    berth_error_t err = NULL;
    char **args;
    int nargs, r;

    r = cli_parse(cmd, opts, CLI_NOPTS(opts), argc, argv, &args, &nargs);
    if (r != 0)
        return r == 1 ? 0 : r;
    r = cli_nargs(cmd, nargs, 0, 0);
    if (r != 0)
        return r;
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
        fprintf(stderr, "berth validate: invalid --format \"%s\": expected text or json\n", format);
        return 2;
    }

    struct berth_validate_opts o = {
        .bundle_dir = bundle, .check_host = !no_host, .more = berth_cgroup_validate};
    r = berth_validate_bundle_opts(&o, &diags, NULL, &err);
    if (r < 0 && count_errors(&diags) == 0) {
        /* Not a finding about the config: the check itself could not run. */
        oci_diags_clear(&diags);
        return cli_fail(cli, &err);
    }
    if (strcmp(format, "json") == 0)
        print_json(&diags);
    else
        print_text(&diags);
    fflush(stdout);
    oci_diags_clear(&diags);
    berth_error_release(&err);
    return r < 0 ? 1 : 0;
}
