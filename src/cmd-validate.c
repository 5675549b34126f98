/* cmd-validate.c: `berth validate [--bundle DIR] [--format text|json]
 * [--no-host-checks]`: checks a bundle's config.json against the runtime
 * spec (schema and semantic rules) and reports every problem with its JSON
 * pointer. Exit status 0 when there is no error (warnings allowed), 1 when
 * there is at least one, 2 on a usage error.
 *
 * The diagnostics are the command's output, so they go to stdout; only a
 * failure to run the check at all goes through cli_fail.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "oci.h"
#include "cgroup/cgroup.h"
#include "spec/spec.h"

static const char *level_name(enum oci_diag_level level)
{
    return level == OCI_DIAG_ERROR ? "error" : "warning";
}

/* [{"level", "pointer", "message"}, ...] through the JSON engine; a
 * message quoting a config value with invalid UTF-8 gets U+FFFD there. */
struct diag_json {
    char *level;
    char *pointer;
    char *message;
};
static const struct oci_field diag_fields[] = {
    OCI_STR(struct diag_json, level, 0),
    OCI_STR(struct diag_json, pointer, 0),
    OCI_STR(struct diag_json, message, 0),
};
static const struct oci_desc diag_desc = OCI_DESC(struct diag_json, diag_fields);

static int print_json(const struct oci_diags *d)
{
    static const struct oci_field elem = {"",         OCI_OBJECT, OCI_ARRAY, 0,   0,
                                          &diag_desc, 0,          NULL,      NULL};
    struct diag_json *v = calloc(d->len ? d->len : 1, sizeof(*v));
    char *json = NULL;
    int r = -1;

    for (size_t i = 0; v && i < d->len; i++)
        v[i] = (struct diag_json){(char *)level_name(d->items[i].level),
                                  d->items[i].pointer ? d->items[i].pointer : (char *)"",
                                  d->items[i].message ? d->items[i].message : (char *)""};
    errno = ENOMEM;
    if (v && (json = oci_emit_array(&elem, v, d->len, OCI_EMIT_PRETTY | OCI_EMIT_REPLACE_UTF8,
                                    false, NULL)))
        r = printf("%s\n", json) < 0 ? -1 : 0;
    free(json);
    free(v);
    return r;
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

    r = cli_args(cmd, opts, CLI_NOPTS(opts), argc, argv, 0, 0, &args, &nargs);
    if (r != CLI_GO)
        return r;
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
        fprintf(stderr, "berth validate: invalid --format \"%s\": expected text or json\n", format);
        return 2;
    }

    struct berth_validate_opts o = {.bundle_dir = bundle,
                                    .check_host = !no_host,
                                    .resctrl_root = cli->ctx.resctrl_root,
                                    .more = berth_cgroup_validate};
    r = berth_validate_bundle_opts(&o, &diags, NULL, &err);
    if (r < 0 && count_errors(&diags) == 0) {
        /* Not a finding about the config: the check itself could not run. */
        oci_diags_clear(&diags);
        return cli_fail(cli, &err);
    }
    if (strcmp(format, "json") != 0)
        print_text(&diags);
    else if (print_json(&diags) < 0)
        fprintf(stderr, "berth validate: write the JSON report: %s\n", strerror(errno));
    fflush(stdout);
    oci_diags_clear(&diags);
    berth_error_release(&err);
    return r < 0 ? 1 : 0;
}
