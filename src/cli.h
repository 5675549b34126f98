/* cli.h: the frame shared by the command files in src/cmd-*.c.
 *
 * Each command is `int cmd_NAME(struct berth_cli *cli, int argc, char **argv)`
 * with argv[0] the command name. It parses its own flags with cli_parse(),
 * calls exactly one library entry point and returns the process exit status:
 * 0 success, 1 runtime error (reported with cli_fail), 2 usage error.
 */
#ifndef BERTH_CLI_H
#define BERTH_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "util/context.h"
#include "util/error.h"

struct berth_cli {
    struct berth_context ctx;
    const char *log_path; /* --log FILE, NULL = stderr */
    bool log_json;        /* --log-format json */
    const char *rootless; /* --rootless value as given, NULL when absent */
    const char *criu;     /* --criu PATH, NULL = "criu" from $PATH */
};

enum cli_opt_kind {
    CLI_OPT_BOOL,   /* bool *; also accepts --flag=true|false */
    CLI_OPT_STRING, /* const char **; --flag VALUE or --flag=VALUE */
    CLI_OPT_INT,    /* int *, decimal, >= 0 */
    CLI_OPT_LIST,   /* struct cli_list *; repeatable, each use appends
                     * (runc's StringSlice flags: exec -e, -c, -g, --cgroup) */
};

/* The values of a CLI_OPT_LIST flag, pointing into argv; the caller frees
 * the array (cli_list_free). */
struct cli_list {
    char **v;
    size_t n;
};
void cli_list_free(struct cli_list *l);

struct cli_opt {
    const char *name; /* long name without dashes, e.g. "pid-file" */
    char short_name;  /* 0 when none */
    enum cli_opt_kind kind;
    void *target;
    const char *metavar; /* for help, NULL for bool */
    const char *help;
};

struct cli_command {
    const char *name;
    int (*fn)(struct berth_cli *cli, int argc, char **argv);
    const char *summary; /* one line for `berth --help` */
    const char *usage;   /* "[command options] <container-id>" */
    /* exec, ps: every argument after the first positional one belongs to the
     * command run in the container, so flag parsing stops there (runc's
     * SkipArgReorder). Also used for the global options. */
    bool stop_at_first_arg;
    /* create, run, restore: makes a container (and its cgroup) */
    bool creates;
    /* create, run, exec: its processes enter a container, so it runs from
     * a sealed handle on berth's binary (exe-seal.h) */
    bool enters_container;
    /* delete, update: act on a container's systemd unit (recorded in its
     * state) with or without --systemd-cgroup, so they need the driver's
     * helper whenever the container has a unit */
    bool acts_on_unit;
};

/* Parses flags of one command. Accepts --long, -long (Go style, as engines
 * send: `-no-subreaper`), -s, --long=value, and "--" ending flags; flags and
 * positional arguments may interleave. On success stores the positional
 * arguments in *ret_args and *ret_nargs (pointing into argv) and returns 0;
 * `--help`/`-h` prints the command help and returns 1 with *ret_nargs = -1;
 * on a usage error prints "berth CMD: ..." to stderr and returns 2. */
int cli_parse(const struct cli_command *cmd, const struct cli_opt *opts, size_t nopts, int argc,
              char **argv, char ***ret_args, int *ret_nargs);

/* cli_parse then cli_nargs, the opening of every command: returns CLI_GO
 * when the command goes on with *ret_args / *ret_nargs, else the exit
 * status to return (0 after --help, 2 on a usage error). */
#define CLI_GO (-1)
int cli_args(const struct cli_command *cmd, const struct cli_opt *opts, size_t nopts, int argc,
             char **argv, int min, int max, char ***ret_args, int *ret_nargs);

/* Checks the positional count; prints a usage error and returns 2 when
 * nargs is outside [min, max] (max < 0: unbounded), else 0. */
int cli_nargs(const struct cli_command *cmd, int nargs, int min, int max);

/* A command whose only argument is a container id and that has no flags
 * (start, pause, resume): parses, checks the one argument, calls fn and
 * reports its error. Returns the exit status. */
typedef int (*cli_id_fn)(const struct berth_context *ctx, const char *id, berth_error_t *err);
int cli_run_on_id(struct berth_cli *cli, const char *name, cli_id_fn fn, int argc, char **argv);

/* Logs err (text or JSON per --log-format, to --log or stderr), releases
 * it and returns 1. On a failing command exactly one error record is written. */
int cli_fail(struct berth_cli *cli, berth_error_t *err);

/* Logs a warning record (and is the ctx.warn callback). */
void cli_warn(void *cli, const char *msg);

/* Looks up a command by name (NULL when unknown). */
const struct cli_command *cli_command_find(const char *name);

#define CLI_NOPTS(a) (sizeof(a) / sizeof((a)[0]))

#endif
