/* cli-help.c: formats the help of a command from its cli_command row and
 * option table, so help never drifts from what the parser accepts. */
#include "cli-help.h"

#include <string.h>

#include "commands.h"

/* "--name METAVAR, -s METAVAR" as printed in the left column. */
static int format_flag(const struct cli_opt *o, char *buf, size_t size)
{
    const char *mv = o->kind == CLI_OPT_BOOL ? NULL : (o->metavar ? o->metavar : "value");

    if (o->short_name && mv)
        return snprintf(buf, size, "--%s %s, -%c %s", o->name, mv, o->short_name, mv);
    if (o->short_name)
        return snprintf(buf, size, "--%s, -%c", o->name, o->short_name);
    if (mv)
        return snprintf(buf, size, "--%s %s", o->name, mv);
    return snprintf(buf, size, "--%s", o->name);
}

static bool declares_help(const struct cli_opt *opts, size_t nopts)
{
    for (size_t i = 0; i < nopts; i++)
        if (strcmp(opts[i].name, "help") == 0)
            return true;
    return false;
}

void cli_help_options(const struct cli_opt *opts, size_t nopts, FILE *out)
{
    static const struct cli_opt help = {"help", 'h', CLI_OPT_BOOL, NULL, NULL, "show help"};
    char buf[128];
    int width = 10;

    for (size_t i = 0; i < nopts; i++) {
        int n = format_flag(&opts[i], buf, sizeof(buf));
        if (n > width)
            width = n;
    }
    for (size_t i = 0; i <= nopts; i++) {
        const struct cli_opt *o = i < nopts ? &opts[i] : &help;
        if (i == nopts && declares_help(opts, nopts))
            break;
        format_flag(o, buf, sizeof(buf));
        fprintf(out, "   %-*s  %s\n", width, buf, o->help ? o->help : "");
    }
}

void cli_help_command(const struct cli_command *cmd, const struct cli_opt *opts, size_t nopts,
                      FILE *out)
{
    fprintf(out, "NAME:\n   berth %s - %s\n\n", cmd->name, cmd->summary);
    fprintf(out, "USAGE:\n   berth %s%s%s\n\n", cmd->name, cmd->usage[0] ? " " : "", cmd->usage);
    fprintf(out, "OPTIONS:\n");
    cli_help_options(opts, nopts, out);
}

void cli_help_global(const struct cli_opt *opts, size_t nopts, FILE *out)
{
    fputs("NAME:\n   berth - Open Container Initiative runtime\n\n"
          "berth runs containers packaged as OCI bundles: a directory holding a\n"
          "config.json (runtime-spec " OCI_SPEC_VERSION ") and a root filesystem.\n\n"
          "USAGE:\n   berth [global options] command [command options] [arguments...]\n\n"
          "COMMANDS:\n",
          out);
    for (size_t i = 0; i < cli_ncommands; i++)
        fprintf(out, "   %-11s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fprintf(out, "   %-11s %s\n", "help", "shows a list of commands or help for one command");
    fputs("\nGLOBAL OPTIONS:\n", out);
    cli_help_options(opts, nopts, out);
    fputs("\nRun 'berth help COMMAND' for the options of a command; see berth(8).\n", out);
}
