/* commands.h: one entry point per berth command (src/cmd-*.c) and the
 * command table that main.c dispatches on (src/commands.c). */
#ifndef BERTH_COMMANDS_H
#define BERTH_COMMANDS_H

#include <stddef.h>

#include "cli.h"

int cmd_create(struct berth_cli *cli, int argc, char **argv);
int cmd_start(struct berth_cli *cli, int argc, char **argv);
int cmd_state(struct berth_cli *cli, int argc, char **argv);
int cmd_kill(struct berth_cli *cli, int argc, char **argv);
int cmd_delete(struct berth_cli *cli, int argc, char **argv);
int cmd_run(struct berth_cli *cli, int argc, char **argv);
int cmd_list(struct berth_cli *cli, int argc, char **argv);
int cmd_exec(struct berth_cli *cli, int argc, char **argv);
int cmd_ps(struct berth_cli *cli, int argc, char **argv);
int cmd_pause(struct berth_cli *cli, int argc, char **argv);
int cmd_resume(struct berth_cli *cli, int argc, char **argv);
int cmd_update(struct berth_cli *cli, int argc, char **argv);
int cmd_events(struct berth_cli *cli, int argc, char **argv);
int cmd_checkpoint(struct berth_cli *cli, int argc, char **argv);
int cmd_restore(struct berth_cli *cli, int argc, char **argv);
int cmd_validate(struct berth_cli *cli, int argc, char **argv);
int cmd_spec(struct berth_cli *cli, int argc, char **argv);
int cmd_features(struct berth_cli *cli, int argc, char **argv);

/* The command table, in the order `berth --help` lists it. */
extern const struct cli_command cli_commands[];
extern const size_t cli_ncommands;

#endif
