/* criu.h: checkpoint and restore of a container with CRIU.
 *
 * Debian ships no libcriu, so berth runs `criu swrk` and speaks criu's RPC
 * itself (criu-rpc.c, criu-pb.c): one request per dump or restore, each of
 * criu's notifications answered (runc does the same through go-criu). What
 * is kept next to criu's images (in --image-path):
 *   descriptors.json     the init's fds 0, 1, 2 at dump time: "pipe:[INO]",
 *                        "file[MNT:INO]" for a file from outside the
 *                        container (dumped as external), both re-bound to
 *                        restore's own stdio (inherit_fd), or a pty slave's
 *                        path (criu restores it with a new master)
 *   berth-external.json  the mounts criu cannot dump by itself (binds from
 *                        outside the container): external mnt[KEY] at dump,
 *                        mnt[KEY]:PATH at restore
 */
#ifndef BERTH_CRIU_H
#define BERTH_CRIU_H

#include <stdbool.h>

#include "util/context.h"
#include "util/error.h"

/* runc's checkpoint/restore flags (engines send them). */
struct berth_criu_opts {
    const char *criu; /* binary; NULL = "criu" from $PATH */
    const char *image_path;
    const char *work_path;
    const char *parent_path;
    const char *manage_cgroups_mode; /* soft|full|strict|ignore, NULL = soft */
    const char *empty_ns;
    const char *page_server;
    int status_fd; /* -1 = none */
    bool leave_running;
    bool tcp_established;
    bool tcp_skip_in_flight;
    bool ext_unix_sk;
    bool shell_job;
    bool file_locks;
    bool pre_dump;
    bool auto_dedup;
    bool lazy_pages;
    bool link_remap;
    /* restore only */
    const struct berth_create_opts *create; /* id, bundle, pid file, detach */
    const char *lsm_profile;
    const char *lsm_mount_context;
    bool tcp_close;
};

/* The annotation naming criu's configuration file for a container (runc's
 * and crun's), and berth's default one. */
#define BERTH_CRIU_CONFIG_ANNOTATION "org.criu.config"
#define BERTH_CRIU_CONFIG_FILE       "/etc/criu/berth.conf"

/* `criu --version` ("3.17.1"); NULL when criu cannot be run. */
char *berth_criu_version(const char *criu);

/* `criu check`, run once per berth process (the result is cached). Fails
 * with "criu not installed" or "criu cannot run on this kernel: <criu's own
 * message>". */
int berth_criu_check(const char *criu, berth_error_t *err);

int berth_container_checkpoint(const struct berth_context *ctx, const char *id,
                               const struct berth_criu_opts *o, berth_error_t *err);

/* Restores into a new container `o->create->id`; without --detach waits for
 * it like `run` and returns its exit status in *ret_status. */
int berth_container_restore(const struct berth_context *ctx, const struct berth_criu_opts *o,
                            int *ret_status, berth_error_t *err);

#endif
