/* cli-opts.h: option rows shared by several commands, so that a flag means
 * the same and reads the same everywhere (runc's texts). Each macro expands
 * to rows of a `struct cli_opt` table bound to the given options struct. */
#ifndef BERTH_CLI_OPTS_H
#define BERTH_CLI_OPTS_H

#include "cli.h"

/* create, run, restore: where the bundle is and what to hand back. */
#define CLI_OPTS_BUNDLE(c)                                                                         \
    {                                                                                              \
        "bundle",                                                                                  \
        'b',                                                                                       \
        CLI_OPT_STRING,                                                                            \
        &(c).bundle,                                                                               \
        "DIR",                                                                                     \
        "path to the root of the bundle directory, defaults to the current directory"},            \
        {"console-socket",                                                                         \
         0,                                                                                        \
         CLI_OPT_STRING,                                                                           \
         &(c).console_socket,                                                                      \
         "PATH",                                                                                   \
         "path to an AF_UNIX socket which will receive a file descriptor referencing the master "  \
         "end of the console's pseudoterminal"},                                                   \
        {"pid-file",    0,      CLI_OPT_STRING,                                                    \
         &(c).pid_file, "FILE", "specify the file to write the process id to"},                    \
    {                                                                                              \
        "no-pivot", 0, CLI_OPT_BOOL, &(c).no_pivot, NULL,                                          \
            "do not use pivot root to jail process inside rootfs"                                  \
    }

/* create, run: what a fresh init gets. */
#define CLI_OPTS_NEW_INIT(c)                                                                       \
    {"no-new-keyring",    0,    CLI_OPT_BOOL,                                                      \
     &(c).no_new_keyring, NULL, "do not create a new session keyring for the container"},          \
        {"pidfd-socket",                                                                           \
         0,                                                                                        \
         CLI_OPT_STRING,                                                                           \
         &(c).pidfd_socket,                                                                        \
         "PATH",                                                                                   \
         "path to an AF_UNIX socket which will receive a file descriptor referencing the init "    \
         "process"},                                                                               \
    {                                                                                              \
        "preserve-fds", 0, CLI_OPT_INT, &(c).preserve_fds, "N",                                    \
            "pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in "     \
            "total)"                                                                               \
    }

/* run, restore: a container berth waits for in the foreground. */
#define CLI_OPTS_FOREGROUND(c)                                                                     \
    {"detach", 'd', CLI_OPT_BOOL, &(c).detach, NULL, "detach from the container's process"},       \
    {                                                                                              \
        "no-subreaper", 0, CLI_OPT_BOOL, &(c).no_subreaper, NULL,                                  \
            "disable the use of the subreaper used to reap reparented processes"                   \
    }

/* checkpoint, restore: the criu options runc has (engines send them). */
#define CLI_OPTS_CRIU(o)                                                                            \
    {"image-path",    0,     CLI_OPT_STRING,                                                        \
     &(o).image_path, "DIR", "path for saving criu image files (default ./checkpoint)"},            \
        {"work-path",    0,     CLI_OPT_STRING,                                                     \
         &(o).work_path, "DIR", "path for saving work files and logs (default: the image path)"},   \
        {"parent-path",                                                                             \
         0,                                                                                         \
         CLI_OPT_STRING,                                                                            \
         &(o).parent_path,                                                                          \
         "DIR",                                                                                     \
         "path for previous criu image files in pre-dump, relative to the image path"},             \
        {"tcp-established",    0,    CLI_OPT_BOOL,                                                  \
         &(o).tcp_established, NULL, "allow open tcp connections"},                                 \
        {"tcp-skip-in-flight",    0,    CLI_OPT_BOOL,                                               \
         &(o).tcp_skip_in_flight, NULL, "skip in-flight tcp connections"},                          \
        {"ext-unix-sk", 0, CLI_OPT_BOOL, &(o).ext_unix_sk, NULL, "allow external unix sockets"},    \
        {"shell-job", 0, CLI_OPT_BOOL, &(o).shell_job, NULL, "allow shell jobs"},                   \
        {"file-locks", 0, CLI_OPT_BOOL, &(o).file_locks, NULL, "handle file locks, for safety"},    \
        {"manage-cgroups-mode",    0,      CLI_OPT_STRING,                                          \
         &(o).manage_cgroups_mode, "MODE", "cgroups mode: soft (default), full, strict or ignore"}, \
        {"empty-ns",    0,    CLI_OPT_STRING,                                                       \
         &(o).empty_ns, "NS", "create a namespace, but do not restore its properties"},             \
        {"auto-dedup",    0,    CLI_OPT_BOOL,                                                       \
         &(o).auto_dedup, NULL, "enable auto deduplication of memory images"},                      \
        {"lazy-pages",    0,    CLI_OPT_BOOL,                                                       \
         &(o).lazy_pages, NULL, "use userfaultfd to lazily restore memory pages"},                  \
        {"page-server",    0,         CLI_OPT_STRING,                                               \
         &(o).page_server, "IP:PORT", "address of the page server"},                                \
        {"status-fd",    0,    CLI_OPT_INT,                                                         \
         &(o).status_fd, "FD", "criu writes \\0 to this FD once ready"},                            \
    {                                                                                               \
        "link-remap", 0, CLI_OPT_BOOL, &(o).link_remap, NULL,                                       \
            "allow one to link unlinked files back when possible"                                   \
    }

#endif
