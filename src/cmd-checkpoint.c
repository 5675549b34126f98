/* cmd-checkpoint.c: `berth checkpoint [options] ID` with runc's flags
 * (engines send them; podman probes `checkpoint --help`). */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "criu.h"

static int valid_mode(const char *m)
{
    return !m || !strcmp(m, "soft") || !strcmp(m, "full") || !strcmp(m, "strict") ||
           !strcmp(m, "ignore");
}

int cmd_checkpoint(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("checkpoint");
    struct berth_criu_opts o = {.criu = cli->criu, .status_fd = -1};
    const struct cli_opt opts[] = {
        {"image-path", 0, CLI_OPT_STRING, &o.image_path, "DIR",
         "path for saving criu image files (default ./checkpoint)"},
        {"work-path", 0, CLI_OPT_STRING, &o.work_path, "DIR",
         "path for saving work files and logs (default: the image path)"},
        {"parent-path", 0, CLI_OPT_STRING, &o.parent_path, "DIR",
         "path for previous criu image files in pre-dump, relative to the image path"},
        {"tcp-established", 0, CLI_OPT_BOOL, &o.tcp_established, NULL,
         "allow open tcp connections"},
        {"tcp-skip-in-flight", 0, CLI_OPT_BOOL, &o.tcp_skip_in_flight, NULL,
         "skip in-flight tcp connections"},
        {"ext-unix-sk", 0, CLI_OPT_BOOL, &o.ext_unix_sk, NULL, "allow external unix sockets"},
        {"shell-job", 0, CLI_OPT_BOOL, &o.shell_job, NULL, "allow shell jobs"},
        {"file-locks", 0, CLI_OPT_BOOL, &o.file_locks, NULL, "handle file locks, for safety"},
        {"manage-cgroups-mode", 0, CLI_OPT_STRING, &o.manage_cgroups_mode, "MODE",
         "cgroups mode: soft (default), full, strict or ignore"},
        {"empty-ns", 0, CLI_OPT_STRING, &o.empty_ns, "NS",
         "create a namespace, but do not restore its properties"},
        {"auto-dedup", 0, CLI_OPT_BOOL, &o.auto_dedup, NULL,
         "enable auto deduplication of memory images"},
        {"lazy-pages", 0, CLI_OPT_BOOL, &o.lazy_pages, NULL,
         "use userfaultfd to lazily restore memory pages"},
        {"page-server", 0, CLI_OPT_STRING, &o.page_server, "IP:PORT", "address of the page server"},
        {"status-fd", 0, CLI_OPT_INT, &o.status_fd, "FD", "criu writes \\0 to this FD once ready"},
        {"link-remap", 0, CLI_OPT_BOOL, &o.link_remap, NULL,
         "allow one to link unlinked files back when possible"},
        {"leave-running", 0, CLI_OPT_BOOL, &o.leave_running, NULL,
         "leave the process running after checkpointing"},
        {"pre-dump", 0, CLI_OPT_BOOL, &o.pre_dump, NULL,
         "dump container's memory information only, leave the container running after this"},
    };
    berth_error_t err = NULL;
    char **args;
    int nargs;
    int r;

    r = cli_parse(cmd, opts, CLI_NOPTS(opts), argc, argv, &args, &nargs);
    if (r != 0)
        return r == 1 ? 0 : r;
    r = cli_nargs(cmd, nargs, 1, 1);
    if (r != 0)
        return r;
    if (!valid_mode(o.manage_cgroups_mode)) {
        berth_error_make(&err, EINVAL, "invalid manage-cgroups-mode value `%s`",
                         o.manage_cgroups_mode);
        return cli_fail(cli, &err);
    }
    if (berth_container_checkpoint(&cli->ctx, args[0], &o, &err) < 0)
        return cli_fail(cli, &err);
    return 0;
}
