/* cmd-ps.c: `berth ps [--format table|json] ID [ps options]`: the processes
 * of the container. json prints the pid array (containerd reads it); table
 * runs ps(1) with the given options (default -ef) and keeps its header and
 * the rows whose PID is in the container's cgroup, as runc does. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "cli.h"
#include "oci.h"
#include "commands.h"
#include "container/container.h"

static bool has_pid(const pid_t *pids, size_t n, long pid)
{
    for (size_t i = 0; i < n; i++)
        if (pids[i] == pid)
            return true;
    return false;
}

/* The 0-based column of "PID" in ps's header. */
static int pid_column(const char *header)
{
    _cleanup_free_ char *copy = strdup(header);
    char *save = NULL;
    int col = 0;

    if (!copy)
        return -1;
    for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save), col++)
        if (strcmp(t, "PID") == 0)
            return col;
    return -1;
}

static long field(const char *line, int col)
{
    _cleanup_free_ char *copy = strdup(line);
    char *save = NULL, *t;

    if (!copy)
        return -1;
    t = strtok_r(copy, " \t\n", &save);
    for (int i = 0; t && i < col; i++)
        t = strtok_r(NULL, " \t\n", &save);
    return t ? strtol(t, NULL, 10) : -1;
}

static int ps_table(char **psargs, int npsargs, const pid_t *pids, size_t n)
{
    _cleanup_free_ char *line = NULL;
    char **argv = calloc((size_t)npsargs + 3, sizeof(*argv));
    size_t cap = 0;
    int fds[2], status, col = -1;
    bool first = true;
    FILE *f;
    pid_t child;

    if (!argv || pipe2(fds, O_CLOEXEC) < 0) {
        free(argv);
        fprintf(stderr, "berth ps: %s\n", strerror(errno));
        return 1;
    }
    argv[0] = "ps";
    if (npsargs == 0)
        argv[1] = "-ef";
    for (int i = 0; i < npsargs; i++)
        argv[i + 1] = psargs[i];
    child = fork();
    if (child == 0) {
        dup2(fds[1], 1);
        execvp("ps", argv);
        _exit(127);
    }
    free(argv);
    close(fds[1]);
    f = fdopen(fds[0], "r");
    while (f && getline(&line, &cap, f) > 0) {
        if (first) {
            col = pid_column(line);
            fputs(line, stdout);
            first = false;
            continue;
        }
        if (col >= 0 && has_pid(pids, n, field(line, col)))
            fputs(line, stdout);
    }
    if (f)
        fclose(f);
    if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0 || col < 0) {
        fprintf(stderr, "berth ps: ps(1) failed or printed no PID column\n");
        return 1;
    }
    return 0;
}

/* The pid array containerd reads; runc encodes an empty list (a stopped
 * container) as null. pid_t is the C int the engine's OCI_INT reads. */
static int print_pids_json(const pid_t *pids, size_t n)
{
    static const struct oci_field elem = {"", OCI_INT, OCI_ARRAY, 0, 0, NULL, 0, NULL, NULL};
    _Static_assert(sizeof(pid_t) == sizeof(int), "pid_t is an int");
    char *json = oci_emit_array(&elem, pids, n, 0, true, NULL);
    int r = 0;

    if (!json || printf("%s\n", json) < 0 || fflush(stdout) != 0) {
        fprintf(stderr, "berth ps: write the pid list: %s\n", strerror(json ? errno : ENOMEM));
        r = 1;
    }
    free(json);
    return r;
}

int cmd_ps(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("ps");
    const char *format = "table";
    const struct cli_opt opts[] = {
        {"format", 'f', CLI_OPT_STRING, &format, "FORMAT", "select one of: table or json"},
    };
    _cleanup_free_ pid_t *pids = NULL;
    berth_error_t err = NULL;
    size_t n = 0;
    char **args;
    int nargs;
    int r;

    r = cli_args(cmd, opts, CLI_NOPTS(opts), argc, argv, 1, -1, &args, &nargs);
    if (r != CLI_GO)
        return r;
    /* `ps ID -- -o pid`: the separator that keeps ps(1)'s options from
     * being read as ours is not one of them (runc >= 1.4 drops it too). */
    if (nargs > 1 && strcmp(args[1], "--") == 0) {
        memmove(&args[1], &args[2], (size_t)(nargs - 2) * sizeof(*args));
        nargs--;
    }
    if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0) {
        fprintf(stderr, "berth ps: invalid format option `%s`: use table or json\n", format);
        return 2;
    }
    if (strcmp(format, "json") == 0 && nargs > 1) {
        fprintf(stderr, "berth ps: ps options cannot be used with --format json\n");
        return 2;
    }
    if (berth_container_ps(&cli->ctx, args[0], &pids, &n, &err) < 0)
        return cli_fail(cli, &err);
    if (strcmp(format, "json") == 0)
        return print_pids_json(pids, n);
    return ps_table(args + 1, nargs - 1, pids, n);
}
