/* commands.c: the command table. Adding a command means one row here, one
 * prototype in commands.h and one src/cmd-NAME.c file. The summaries and
 * usage lines follow runc's wording so `berth CMD --help` reads alike.
 * exec and ps stop parsing flags at the container id: what follows is the
 * command line of the process (runc does the same). */
#include "commands.h"

#include <string.h>

const struct cli_command cli_commands[] = {
    {"checkpoint", cmd_checkpoint, "checkpoint a running container",
     "[command options] <container-id>"},
    {"create", cmd_create, "create a container", "[command options] <container-id>",
     .creates = true, .enters_container = true},
    {"delete", cmd_delete,
     "delete any resources held by the container often used with detached container",
     "[command options] <container-id>", .acts_on_unit = true},
    {"events", cmd_events,
     "display container events such as OOM notifications, cpu, memory, and IO usage statistics",
     "[command options] <container-id>"},
    {"exec", cmd_exec, "execute new process inside the container",
     "[command options] <container-id> <command> [command options]  || -p process.json "
     "<container-id>",
     true, .enters_container = true},
    {"features", cmd_features, "show the enabled features", ""},
    {"kill", cmd_kill,
     "kill sends the specified signal (default: SIGTERM) to the container's init process",
     "[command options] <container-id> [signal]"},
    {"list", cmd_list, "lists containers started by berth with the given root",
     "[command options]"},
    {"pause", cmd_pause, "pause suspends all processes inside the container", "<container-id>"},
    {"ps", cmd_ps, "ps displays the processes running inside a container",
     "[command options] <container-id> [ps options]", true},
    {"restore", cmd_restore, "restore a container from a previous checkpoint",
     "[command options] <container-id>", .creates = true},
    {"resume", cmd_resume, "resumes all processes that have been previously paused",
     "<container-id>"},
    {"run", cmd_run, "create and run a container", "[command options] <container-id>",
     .creates = true, .enters_container = true},
    {"spec", cmd_spec, "create a new specification file", "[command options]"},
    {"start", cmd_start, "executes the user defined process in a created container",
     "<container-id>"},
    {"state", cmd_state, "output the state of a container", "<container-id>"},
    {"update", cmd_update, "update container resource constraints",
     "[command options] <container-id>", .acts_on_unit = true},
    {"validate", cmd_validate, "check a bundle's config.json against the runtime spec",
     "[command options]"},
};

const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);

const struct cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < cli_ncommands; i++)
        if (strcmp(cli_commands[i].name, name) == 0)
            return &cli_commands[i];
    return NULL;
}
