/* cli-help.h: help text of berth and its commands. */
#ifndef BERTH_CLI_HELP_H
#define BERTH_CLI_HELP_H

#include <stdio.h>

#include "cli.h"

/* `berth CMD --help`: usage line, summary and the option table. */
void cli_help_command(const struct cli_command *cmd, const struct cli_opt *opts, size_t nopts,
                      FILE *out);

/* One aligned line per option, plus "--help, -h" unless opts declares it. */
void cli_help_options(const struct cli_opt *opts, size_t nopts, FILE *out);

/* `berth --help`: usage, the command table and the global options. */
void cli_help_global(const struct cli_opt *opts, size_t nopts, FILE *out);

#endif
