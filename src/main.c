/* main.c: global options, the choice of command, and the exit status.
 *
 * Exit status: 0 success, 1 runtime error (logged via cli_fail), 2 usage
 * error (unknown command or flag, bad argument count or value).
 */
#include <alloca.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "cli-help.h"
#include "cli.h"
#include "commands.h"
#include "util/exe-seal.h"
#include "ns/ns.h"
#include "state/state.h"
#include "log.h"
#include "version.h"

struct globals {
    const char *root;
    const char *log_format;
    bool help;
    bool version;
};

/* The global command: flags end at the command name. */
static const struct cli_command global_cmd = {"", NULL, "", "", true};

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage(const char *fmt, ...)
{
    _cleanup_free_ char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    fprintf(stderr, "berth: %s\nRun 'berth --help' for usage.\n", msg ? msg : fmt);
    if (msg)
        log_usage_error(msg);
    return 2;
}

/* runc's shouldHonorXDGRuntimeDir: a user's state goes under
 * $XDG_RUNTIME_DIR; so does that of uid 0 in a user namespace (rootless
 * podman runs its runtime so) unless $USER says it is root's session. */
static bool honor_xdg(bool in_userns)
{
    const char *user = getenv("USER");

    if (geteuid() != 0)
        return true;
    return in_userns && (!user || strcmp(user, "root") != 0);
}

/* runc's default: /run/NAME for root, $XDG_RUNTIME_DIR/NAME when rootless
 * (podman passes XDG_RUNTIME_DIR but no --root to a rootless runtime). A
 * relative --root is made absolute, since state paths are stored and
 * compared. *ret_xdg: the root is the XDG one, which berth makes its own. */
static char *state_root(const char *given, bool in_userns, bool *ret_xdg)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    char *root = NULL, cwd[4096];

    *ret_xdg = false;
    if (!given && xdg && xdg[0] == '/' && honor_xdg(in_userns)) {
        *ret_xdg = true;
        if (asprintf(&root, "%s/berth", xdg) < 0)
            return NULL;
        return root;
    }
    if (!given)
        return strdup("/run/berth");
    if (given[0] == '/' || !getcwd(cwd, sizeof(cwd)))
        return strdup(given);
    if (asprintf(&root, "%s/%s", cwd, given) < 0)
        return NULL;
    return root;
}

/* runc's shouldUseRootlessCgroupManager: --rootless true or false as
 * given; auto: rootless unless berth is the host's root. */
static bool rootless_mode(const char *given, bool in_userns)
{
    if (given && strcmp(given, "auto") != 0)
        return strcmp(given, "true") == 0;
    return geteuid() != 0 || in_userns;
}

static int check_values(struct berth_cli *cli, const struct globals *g)
{
    if (strcmp(g->log_format, "text") != 0 && strcmp(g->log_format, "json") != 0)
        return usage("invalid --log-format \"%s\": expected text or json", g->log_format);
    cli->log_json = strcmp(g->log_format, "json") == 0;
    if (cli->rootless && strcmp(cli->rootless, "true") != 0 &&
        strcmp(cli->rootless, "false") != 0 && strcmp(cli->rootless, "auto") != 0)
        return usage("invalid --rootless \"%s\": expected true, false or auto", cli->rootless);
    return 0;
}

/* The systemd cgroup driver's helper (cgroup-systemd.c): $BERTH_SYSTEMD_HELPER,
 * else the installed one, else one beside the berth that was started (a
 * build tree). NULL when berth is built without it. */
static const char *systemd_helper(const char *argv0)
{
#ifdef HAVE_SYSTEMD
    static char beside[4096];
    const char *env = getenv("BERTH_SYSTEMD_HELPER"), *slash = strrchr(argv0, '/');

    if (env && *env)
        return env;
    if (access(BERTH_SYSTEMD_HELPER_PATH, X_OK) == 0 || !slash)
        return BERTH_SYSTEMD_HELPER_PATH;
    snprintf(beside, sizeof(beside), "%.*sberth-systemd", (int)(slash - argv0 + 1), argv0);
    return access(beside, X_OK) == 0 ? beside : BERTH_SYSTEMD_HELPER_PATH;
#else
    (void)argv0;
    return NULL;
#endif
}

/* CVE-2019-5736 (exe-seal.h): a command whose processes enter a container
 * runs from a handle on berth that cannot be written through. Returns 0
 * when it does already (ctx.exe_origin filled in), else re-executes and
 * returns only on error. Runs before the command touches anything: the
 * caller's fds survive the execve, berth's own are close-on-exec. */
static int ensure_sealed_exe(struct berth_cli *cli, char **argv, berth_error_t *err)
{
    const char *came_from = getenv(BERTH_EXE_ORIGIN_ENV), *method = NULL;
    char origin[64];
    int r, fd;

    r = berth_exe_prepare(cli->ctx.root, came_from, &cli->ctx.exe_origin, &fd, &method, err);
    /* Not passed on to hooks or anything berth runs. */
    (void)unsetenv(BERTH_EXE_ORIGIN_ENV);
    if (r < 0 || fd < 0)
        return r;
    cli_debug("re-executing from a sealed %s handle on its binary", method);
    berth_exe_id_format(&cli->ctx.exe_origin, origin, sizeof(origin));
    if (setenv(BERTH_EXE_ORIGIN_ENV, origin, 1) < 0)
        r = berth_error_errno(err, "setenv %s", BERTH_EXE_ORIGIN_ENV);
    else if (execveat(fd, "", argv, environ, AT_EMPTY_PATH) < 0)
        r = berth_error_errno(err, "re-execute berth from its sealed %s handle", method);
    (void)unsetenv(BERTH_EXE_ORIGIN_ENV);
    close(fd);
    return r;
}

/* `berth help [CMD]`. */
static int run_help(struct berth_cli *cli, int nargs, char **args, const struct cli_opt *opts,
                    size_t nopts)
{
    const struct cli_command *cmd;
    char *argv[3] = {NULL, "--help", NULL};

    if (nargs < 2) {
        cli_help_global(opts, nopts, stdout);
        return 0;
    }
    cmd = cli_command_find(args[1]);
    if (!cmd)
        return usage("no help topic for \"%s\"", args[1]);
    argv[0] = (char *)cmd->name;
    return cmd->fn(cli, 2, argv);
}

static int dispatch(struct berth_cli *cli, char **argv, int nargs, char **args,
                    const struct cli_opt *opts, size_t nopts)
{
    const struct cli_command *cmd;
    berth_error_t err = NULL;

    if (strcmp(args[0], "help") == 0)
        return run_help(cli, nargs, args, opts, nopts);
    cmd = cli_command_find(args[0]);
    if (!cmd)
        return usage("unknown command \"%s\"", args[0]);
    if (cli->ctx.systemd_cgroup || cmd->acts_on_unit)
        cli->ctx.systemd_helper = systemd_helper(argv[0]);
    cli->ctx.resctrl_root = getenv("BERTH_RESCTRL_ROOT");
    if (cmd->enters_container && ensure_sealed_exe(cli, argv, &err) < 0)
        return cli_fail(cli, &err);
    cli_debug("berth %s: %s, root %s", PACKAGE_VERSION, cmd->name, cli->ctx.root);
    return cmd->fn(cli, nargs, args);
}

int main(int argc, char **argv)
{
    struct berth_cli cli = {0};
    struct globals g = {.log_format = "text"};
    const struct cli_opt opts[] = {
        {"debug", 0, CLI_OPT_BOOL, &cli.ctx.debug, NULL, "enable debug logging"},
        {"log", 0, CLI_OPT_STRING, &cli.log_path, "FILE",
         "append log records to FILE (default: stderr)"},
        {"log-format", 0, CLI_OPT_STRING, &g.log_format, "FORMAT",
         "log record format: 'text' (default) or 'json'"},
        {"root", 0, CLI_OPT_STRING, &g.root, "DIR",
         "state directory, on a tmpfs (default: /run/berth; $XDG_RUNTIME_DIR/berth for non-root)"},
        {"criu", 0, CLI_OPT_STRING, &cli.criu, "PATH", "criu binary for checkpoint and restore"},
        {"systemd-cgroup", 0, CLI_OPT_BOOL, &cli.ctx.systemd_cgroup, NULL,
         "use the systemd cgroup driver: cgroupsPath is \"slice:prefix:name\""},
        {"rootless", 0, CLI_OPT_STRING, &cli.rootless, "true|false|auto",
         "ignore cgroup permission errors ('true', 'false', or 'auto')"},
        {"help", 'h', CLI_OPT_BOOL, &g.help, NULL, "show help"},
        {"version", 'v', CLI_OPT_BOOL, &g.version, NULL, "print the version"},
    };
    _cleanup_free_ char *root = NULL;
    berth_error_t err = NULL;
    bool xdg_root;
    char **args, **argv_orig;
    int nargs, r;

    /* cli_parse compacts argv in place; a re-execution needs it as given. */
    argv_orig = alloca((argc + 1) * sizeof(char *));
    memcpy(argv_orig, argv, (argc + 1) * sizeof(char *));

    r = cli_parse(&global_cmd, opts, CLI_NOPTS(opts), argc, argv, &args, &nargs);
    if (r != 0)
        return r;
    if (g.version) {
        berth_print_version(stdout);
        return 0;
    }
    if (g.help || nargs == 0) {
        cli_help_global(opts, CLI_NOPTS(opts), stdout);
        return 0;
    }
    r = check_values(&cli, &g);
    if (r != 0)
        return r;
    cli.ctx.in_userns = berth_userns_nested();
    root = state_root(g.root, cli.ctx.in_userns, &xdg_root);
    if (!root)
        return berth_error_make(&err, ENOMEM, "state root"), cli_fail(&cli, &err);
    cli.ctx.root = root;
    cli.ctx.rootless = rootless_mode(cli.rootless, cli.ctx.in_userns);
    if (log_init(&cli, &err) < 0 || (xdg_root && berth_state_root_own(root, &err) < 0))
        return cli_fail(&cli, &err);
    return dispatch(&cli, argv_orig, nargs, args, opts, CLI_NOPTS(opts));
}
