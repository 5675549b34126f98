/* criu-internal.h: shared by criu-run.c, criu-images.c, criu-dump.c,
 * criu-restore.c. */
#ifndef BERTH_CRIU_INTERNAL_H
#define BERTH_CRIU_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "criu.h"
#include "oci-types.h"

/* The documents berth writes beside criu's images (criu-images.c): each a
 * JSON array, read and written through the model. */
enum berth_criu_doc {
    BERTH_CRIU_DESCRIPTORS, /* char *[3]: the init's fds 0-2, as runc writes them */
    BERTH_CRIU_EXTERNALS,   /* struct berth_criu_external: mounts criu takes as external */
};
struct berth_criu_external {
    char *destination; /* the mount point in the container */
    char *source;      /* the host path restore binds there */
};
/* source of the container's own cgroup2 dir in BERTH_CRIU_EXTERNALS */
#define BERTH_CRIU_CGROUP2 "cgroup2:"

int berth_criu_doc_write(const char *img, enum berth_criu_doc doc, const void *values, size_t n,
                         berth_error_t *err);
/* An absent document is no error: 0 elements (an image criu made alone). */
int berth_criu_doc_read(const char *img, enum berth_criu_doc doc, void **ret_values, size_t *ret_n,
                        berth_error_t *err);
void berth_criu_doc_free(enum berth_criu_doc doc, void *values, size_t n);

const char *berth_criu_bin(const char *criu);
/* What a caller does around criu's process: pre_exec in the forked child
 * before the exec; spawned in the parent once the child exists (a child
 * that needs it done waits for it; when spawned fails the child is killed
 * and reaped, and its error returned). Either may be NULL. */
struct berth_criu_hooks {
    void (*pre_exec)(void *data);
    int (*spawned)(void *data, pid_t pid, berth_error_t *err);
    void *data;
};

int berth_criu_start(char *const argv[], const struct berth_criu_hooks *h, int keep_fd,
                     pid_t *ret_pid, int *ret_out, berth_error_t *err);
/* What the child printed (criu's stderr before its log is open, and
 * berth's own child errors). */
struct berth_criu_output {
    char *text;
    size_t len;
};
int berth_criu_output_read(struct berth_criu_output *o, int fd);
int berth_criu_wait(pid_t pid, const char *bin, berth_error_t *err);
/* criu's first "Error (file:line): ..." line of text, else its last line. */
char *berth_criu_reason(const char *text);

/* A protobuf message being written (criu-pb.c); on allocation failure
 * `failed` is set and the caller reports ENOMEM once. */
struct berth_pb {
    uint8_t *buf;
    size_t len, cap;
    bool failed;
};
void berth_pb_int(struct berth_pb *b, unsigned field, int64_t v);
void berth_pb_bytes(struct berth_pb *b, unsigned field, const void *p, size_t n);
void berth_pb_string(struct berth_pb *b, unsigned field, const char *s);
void berth_pb_stringf(struct berth_pb *b, unsigned field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void berth_pb_message(struct berth_pb *b, unsigned field, const struct berth_pb *sub);
void berth_pb_free(struct berth_pb *b);

/* criu's rpc.proto: the request types and the criu_opts fields berth
 * sets. Sub-messages: ps {address 1, port 2}, cgroup_root {ctrl 1,
 * path 2}, inherit_fd {key 1, fd 2}. */
enum berth_criu_req_type {
    BERTH_CRIU_REQ_DUMP = 1,
    BERTH_CRIU_REQ_RESTORE = 2,
    BERTH_CRIU_REQ_PRE_DUMP = 4,
    BERTH_CRIU_REQ_NOTIFY = 6,
};
enum berth_criu_field {
    CRIU_OPT_IMAGES_DIR_FD = 1,
    CRIU_OPT_PID = 2,
    CRIU_OPT_LEAVE_RUNNING = 3,
    CRIU_OPT_EXT_UNIX_SK = 4,
    CRIU_OPT_TCP_ESTABLISHED = 5,
    CRIU_OPT_SHELL_JOB = 7,
    CRIU_OPT_FILE_LOCKS = 8,
    CRIU_OPT_LOG_LEVEL = 9,
    CRIU_OPT_LOG_FILE = 10,
    CRIU_OPT_PS = 11,
    CRIU_OPT_NOTIFY_SCRIPTS = 12,
    CRIU_OPT_ROOT = 13,
    CRIU_OPT_PARENT_IMG = 14,
    CRIU_OPT_TRACK_MEM = 15,
    CRIU_OPT_AUTO_DEDUP = 16,
    CRIU_OPT_WORK_DIR_FD = 17,
    CRIU_OPT_LINK_REMAP = 18,
    CRIU_OPT_CG_ROOT = 25,
    CRIU_OPT_INHERIT_FD = 27,
    CRIU_OPT_MANAGE_CGROUPS_MODE = 34,
    CRIU_OPT_EXTERNAL = 37,
    CRIU_OPT_EMPTY_NS = 38,
    CRIU_OPT_TCP_SKIP_IN_FLIGHT = 46,
    CRIU_OPT_LAZY_PAGES = 48,
    CRIU_OPT_ORPHAN_PTS_MASTER = 50,
    CRIU_OPT_CONFIG_FILE = 51,
    CRIU_OPT_TCP_CLOSE = 52,
    CRIU_OPT_LSM_PROFILE = 53,
    CRIU_OPT_LSM_MOUNT_CONTEXT = 63,
};

/* The criu_resp fields berth reads: restore.pid or notify.pid in pid. */
struct berth_criu_resp {
    int type;
    bool success;
    int cr_errno;
    pid_t pid;
    char script[64];
    char errmsg[512];
};
/* 0, or -EBADMSG (malformed, or no type). */
int berth_criu_resp_parse(const void *buf, size_t len, struct berth_criu_resp *r);

/* One request to `criu swrk` (criu-rpc.c): criu is spawned with the hooks
 * (the socket to it inherited), `opts` is sent once `spawned` returned (it
 * may add to it), each notification is answered (notify, may be NULL,
 * sees every one; an error there fails the request), and criu's answer
 * decides: on failure the error carries criu's reason from log_path.
 * *ret_pid (may be NULL) gets the restored init. */
struct berth_criu_call {
    const char *what; /* "dump", "pre-dump", "restore": for messages */
    enum berth_criu_req_type type;
    struct berth_pb *opts;
    const char *log_path;
    int status_fd; /* written a \0 on criu's status-ready, -1 = none */
    const struct berth_criu_hooks *hooks;
    /* pid: notify.pid (the restored init at setup-namespaces); fd: the
     * one passed with the notification (orphan-pts-master), or -1, which
     * the callee takes. */
    int (*notify)(void *data, const char *script, pid_t pid, int fd, berth_error_t *err);
};
int berth_criu_rpc(const char *criu, const struct berth_criu_call *c, pid_t *ret_pid,
                   berth_error_t *err);

/* The options both dump and restore send (criu's log, notifications on,
 * runc's orphan-pts-master); -EINVAL for a --manage-cgroups-mode or
 * --empty-ns criu does not know. The images and work directories are
 * fds of ours (CRIU_OPT_IMAGES_DIR_FD, CRIU_OPT_WORK_DIR_FD): criu opens
 * /proc/<berth>/fd/N, so they must have been opened in criu's mount
 * namespace. */
/* runc's checks of the options (criuOptions), before anything runs:
 * --manage-cgroups-mode, --empty-ns, --page-server ADDRESS:PORT. */
int berth_criu_opts_check(const struct berth_criu_opts *o, berth_error_t *err);
struct berth_criu_page_server {
    const char *addr; /* not NUL-terminated: addr_len bytes */
    size_t addr_len;
    int port;
};
int berth_criu_page_server(const char *s, struct berth_criu_page_server *ps, berth_error_t *err);

int berth_criu_common_opts(struct berth_pb *b, const struct berth_criu_opts *o,
                           const oci_config *config, const char *log_file, berth_error_t *err);

/* mkdir -p with mode 0700 for the image/work directories. */
int berth_criu_mkdirs(const char *path, berth_error_t *err);

#endif
