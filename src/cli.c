/* cli.c: command-line flag parsing shared by main.c and every src/cmd-*.c.
 *
 * Engines are written in Go and send Go-style flags: `-no-subreaper`,
 * `-bundle X`, `--log-format=json`, `--rootless=false`. So one or two dashes
 * both introduce a long flag, a single character after one dash may also be
 * a short flag, and `=` attaches a value. Flags and positional arguments may
 * interleave (as urfave/cli reorders them for runc) unless the command sets
 * stop_at_first_arg; "--" ends the flags.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "cli-help.h"
#include "log.h"

/* Prints "berth CMD: <msg>" plus a hint to stderr and returns 2. */
static int usage_error(const struct cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
    const char *name = cmd->name && cmd->name[0] ? cmd->name : NULL;
    _cleanup_free_ char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    fprintf(stderr, "berth%s%s: %s\nRun 'berth%s%s --help' for usage.\n", name ? " " : "",
            name ? name : "", msg ? msg : fmt, name ? " " : "", name ? name : "");
    if (msg)
        log_usage_error(msg);
    return 2;
}

/* The values Go's strconv.ParseBool accepts, since engines format bools
 * with it (go-runc: "--rootless=" + strconv.FormatBool). */
static int parse_bool(const char *s, bool *ret)
{
    static const char *const yes[] = {"1", "t", "T", "true", "TRUE", "True"};
    static const char *const no[] = {"0", "f", "F", "false", "FALSE", "False"};

    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcmp(s, yes[i]) == 0) {
            *ret = true;
            return 0;
        }
        if (strcmp(s, no[i]) == 0) {
            *ret = false;
            return 0;
        }
    }
    return -EINVAL;
}

static int parse_int(const char *s, int *ret)
{
    char *end = NULL;
    long v;

    if (*s < '0' || *s > '9')
        return -EINVAL;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > INT_MAX)
        return -EINVAL;
    *ret = (int)v;
    return 0;
}

/* Finds the option named by `name` (the flag text without dashes and
 * without "=value"). One character after a single dash is tried as a short
 * flag first. */
static const struct cli_opt *find_opt(const struct cli_opt *opts, size_t nopts, const char *name,
                                      size_t len)
{
    for (size_t i = 0; i < nopts; i++)
        if (len == 1 && opts[i].short_name == name[0])
            return &opts[i];
    for (size_t i = 0; i < nopts; i++)
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
            return &opts[i];
    return NULL;
}

/* Stores `value` (NULL for a bare bool flag) into the option's target. */
static int store_value(const struct cli_command *cmd, const struct cli_opt *opt, const char *flag,
                       const char *value)
{
    switch (opt->kind) {
    case CLI_OPT_BOOL:
        if (!value) {
            *(bool *)opt->target = true;
            return 0;
        }
        if (parse_bool(value, (bool *)opt->target) < 0)
            return usage_error(cmd, "invalid boolean value \"%s\" for flag %s", value, flag);
        return 0;
    case CLI_OPT_STRING:
        *(const char **)opt->target = value;
        return 0;
    case CLI_OPT_INT:
        if (parse_int(value, (int *)opt->target) < 0)
            return usage_error(cmd, "invalid value \"%s\" for flag %s: expected a number >= 0",
                               value, flag);
        return 0;
    case CLI_OPT_LIST: {
        struct cli_list *l = opt->target;
        char **nv = realloc(l->v, (l->n + 1) * sizeof(char *));

        if (!nv)
            return usage_error(cmd, "%s: %s", flag, strerror(ENOMEM));
        nv[l->n++] = (char *)value;
        l->v = nv;
        return 0;
    }
    }
    return usage_error(cmd, "internal error: bad option kind for %s", flag);
}

static bool is_help(const char *name, size_t len)
{
    return (len == 1 && name[0] == 'h') || (len == 4 && strncmp(name, "help", 4) == 0);
}

/* Parses the flag at argv[*i], consuming its value argument if needed.
 * Returns 0, 1 (help requested) or 2 (usage error). */
static int parse_flag(const struct cli_command *cmd, const struct cli_opt *opts, size_t nopts,
                      int argc, char **argv, int *i)
{
    const char *flag = argv[*i];
    const char *name = flag + (flag[1] == '-' ? 2 : 1);
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const struct cli_opt *opt = find_opt(opts, nopts, name, len);
    const char *value = eq ? eq + 1 : NULL;

    if (!opt && is_help(name, len) && !eq) {
        cli_help_command(cmd, opts, nopts, stdout);
        return 1;
    }
    if (!opt)
        return usage_error(cmd, "flag provided but not defined: %.*s", (int)(name - flag + len),
                           flag);
    if (opt->kind != CLI_OPT_BOOL && !value) {
        /* podman probes `restore --lsm-mount-context` for this wording. */
        if (*i + 1 >= argc)
            return usage_error(cmd, "flag needs an argument: %s", flag);
        value = argv[++*i];
    }
    return store_value(cmd, opt, flag, value);
}

static bool looks_like_flag(const char *arg)
{
    return arg[0] == '-' && arg[1] != '\0' && !(arg[1] == '-' && arg[2] == '\0');
}

int cli_parse(const struct cli_command *cmd, const struct cli_opt *opts, size_t nopts, int argc,
              char **argv, char ***ret_args, int *ret_nargs)
{
    int nargs = 0;
    bool flags_done = false;

    /* Positional arguments are compacted to argv[1..]; slot 1+nargs is never
     * ahead of the argument being read, so nothing unread is overwritten. */
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int r;

        if (!flags_done && strcmp(arg, "--") == 0) {
            flags_done = true;
            continue;
        }
        if (flags_done || !looks_like_flag(arg)) {
            argv[1 + nargs++] = argv[i];
            if (cmd->stop_at_first_arg)
                flags_done = true;
            continue;
        }
        r = parse_flag(cmd, opts, nopts, argc, argv, &i);
        if (r == 1)
            *ret_nargs = -1;
        if (r != 0)
            return r;
    }
    *ret_args = argv + 1;
    *ret_nargs = nargs;
    return 0;
}

void cli_list_free(struct cli_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int cli_nargs(const struct cli_command *cmd, int nargs, int min, int max)
{
    if (nargs < min)
        return usage_error(cmd, "%s %d argument%s, got %d",
                           max == min ? "requires exactly" : "requires at least", min,
                           min == 1 ? "" : "s", nargs);
    if (max >= 0 && nargs > max)
        return usage_error(cmd, "%s %d argument%s, got %d",
                           max == min ? "requires exactly" : "accepts at most", max,
                           max == 1 ? "" : "s", nargs);
    return 0;
}

int cli_args(const struct cli_command *cmd, const struct cli_opt *opts, size_t nopts, int argc,
             char **argv, int min, int max, char ***ret_args, int *ret_nargs)
{
    int r = cli_parse(cmd, opts, nopts, argc, argv, ret_args, ret_nargs);

    if (r == 1)
        return 0; /* --help printed */
    if (r == 0)
        r = cli_nargs(cmd, *ret_nargs, min, max);
    return r == 0 ? CLI_GO : r;
}

int cli_run_on_id(struct berth_cli *cli, const char *name, cli_id_fn fn, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find(name);
    berth_error_t err = NULL;
    char **args;
    int nargs;
    int r;

    r = cli_args(cmd, NULL, 0, argc, argv, 1, 1, &args, &nargs);
    if (r != CLI_GO)
        return r;
    if (fn(&cli->ctx, args[0], &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
