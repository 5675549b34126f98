/* cmd-restore.c: `berth restore [options] ID` with runc's flags (and
 * -no-subreaper, as containerd sends it: cli_parse takes Go-style single
 * dashes). */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "criu.h"

int cmd_restore(struct berth_cli *cli, int argc, char **argv)
{
    const struct cli_command *cmd = cli_command_find("restore");
    struct berth_create_opts c = {0};
    struct berth_criu_opts o = {.criu = cli->criu, .status_fd = -1, .create = &c};
    const struct cli_opt opts[] = {
        {"bundle", 'b', CLI_OPT_STRING, &c.bundle, "DIR",
         "path to the root of the bundle directory, defaults to the current directory"},
        {"console-socket", 0, CLI_OPT_STRING, &c.console_socket, "PATH",
         "path to an AF_UNIX socket which will receive a file descriptor referencing the master "
         "end of the console's pseudoterminal"},
        {"detach", 'd', CLI_OPT_BOOL, &c.detach, NULL, "detach from the container's process"},
        {"pid-file", 0, CLI_OPT_STRING, &c.pid_file, "FILE",
         "specify the file to write the process id to"},
        {"no-subreaper", 0, CLI_OPT_BOOL, &c.no_subreaper, NULL,
         "disable the use of the subreaper used to reap reparented processes"},
        {"no-pivot", 0, CLI_OPT_BOOL, &c.no_pivot, NULL,
         "do not use pivot root to jail process inside rootfs"},
        {"lsm-profile", 0, CLI_OPT_STRING, &o.lsm_profile, "TYPE:LABEL",
         "the LSM profile (apparmor:NAME or selinux:LABEL) of the restored processes"},
        {"lsm-mount-context", 0, CLI_OPT_STRING, &o.lsm_mount_context, "CONTEXT",
         "the SELinux mount context of the restored mounts"},
        {"tcp-close", 0, CLI_OPT_BOOL, &o.tcp_close, NULL, "close established tcp connections"},
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
    };
    berth_error_t err = NULL;
    char **args;
    int nargs, status = 0;
    int r;

    r = cli_parse(cmd, opts, CLI_NOPTS(opts), argc, argv, &args, &nargs);
    if (r != 0)
        return r == 1 ? 0 : r;
    r = cli_nargs(cmd, nargs, 1, 1);
    if (r != 0)
        return r;
    c.id = args[0];
    if (c.console_socket) {
        berth_error_make(&err, ENOTSUP,
                         "restore: --console-socket: restoring a terminal is not supported");
        return cli_fail(cli, &err);
    }
    if (berth_container_restore(&cli->ctx, &o, &status, &err) < 0)
        return cli_fail(cli, &err);
    return status;
}
