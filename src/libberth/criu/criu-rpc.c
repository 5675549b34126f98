/* criu-rpc.c: one request to `criu swrk`, criu's RPC over a socketpair,
 * the way runc drives criu. berth used criu's command line before; the
 * RPC is what carries criu's notifications, and one of them is the only
 * way to get a terminal container back: with orphan_pts_master criu opens
 * a new pty master for the restored slave and passes it over the socket
 * ("orphan-pts-master"), which restore hands to --console-socket.
 *
 * The conversation: criu_req{type, opts} goes out; criu answers each
 * action script with a criu_resp{NOTIFY, notify{script, pid}} (an fd
 * attached for orphan-pts-master) that waits for our criu_req{NOTIFY,
 * notify_success}; then the final criu_resp{type, success, ...} and criu
 * exits. Its output (before its log is open) is read meanwhile, so a
 * chatty criu never blocks on a full pipe. */
#include "criu-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ns/ns.h"
#include "util/cleanup.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* runc's --manage-cgroups-mode names and criu_cg_mode's values */
static const struct {
    const char *name;
    int mode;
} cg_modes[] = {{"ignore", 0}, {"soft", 3}, {"full", 4}, {"strict", 5}};

/* The boolean options of berth_criu_opts and the criu_opts field each
 * sets: one table for dump and restore. */
static const struct {
    size_t offset;
    enum berth_criu_field field;
} bool_opts[] = {
    {offsetof(struct berth_criu_opts, tcp_established), CRIU_OPT_TCP_ESTABLISHED},
    {offsetof(struct berth_criu_opts, ext_unix_sk), CRIU_OPT_EXT_UNIX_SK},
    {offsetof(struct berth_criu_opts, shell_job), CRIU_OPT_SHELL_JOB},
    {offsetof(struct berth_criu_opts, file_locks), CRIU_OPT_FILE_LOCKS},
    {offsetof(struct berth_criu_opts, auto_dedup), CRIU_OPT_AUTO_DEDUP},
    {offsetof(struct berth_criu_opts, lazy_pages), CRIU_OPT_LAZY_PAGES},
    {offsetof(struct berth_criu_opts, link_remap), CRIU_OPT_LINK_REMAP},
};

/* criu's own configuration file for this container, read after the RPC's
 * options so that it wins (criu >= 3.11): the annotation org.criu.config
 * (empty: none), as runc and crun; else berth's, else runc's (podman's
 * documentation tells users to write that one). criu ignores a file that
 * does not exist. */
static const char *config_file(const oci_config *c)
{
    for (size_t i = 0; c && i < c->annotations.len; i++)
        if (strcmp(c->annotations.keys[i], BERTH_CRIU_CONFIG_ANNOTATION) == 0)
            return c->annotations.values[i][0] ? c->annotations.values[i] : NULL;
    return access(BERTH_CRIU_CONFIG_FILE, F_OK) == 0 ? BERTH_CRIU_CONFIG_FILE
                                                     : "/etc/criu/runc.conf";
}

static int cg_mode(const struct berth_criu_opts *o, int *ret, berth_error_t *err)
{
    const char *mode = o->manage_cgroups_mode ? o->manage_cgroups_mode : "soft";

    for (size_t i = 0; i < N_OF(cg_modes); i++)
        if (strcmp(cg_modes[i].name, mode) == 0)
            return *ret = cg_modes[i].mode, 0;
    /* runc's wording */
    return berth_error_make(err, EINVAL, "invalid manage-cgroups-mode value: %s", mode);
}

/* runc names namespaces as config.json does; criu takes only net */
static int empty_ns(const struct berth_criu_opts *o, int *ret, berth_error_t *err)
{
    *ret = o->empty_ns
               ? berth_ns_type_flag(strcmp(o->empty_ns, "net") == 0 ? "network" : o->empty_ns)
               : 0;
    if (o->empty_ns && *ret == 0)
        return berth_error_make(err, EINVAL, "namespace %s is not supported", o->empty_ns);
    return 0;
}

int berth_criu_page_server(const char *s, struct berth_criu_page_server *ps, berth_error_t *err)
{
    const char *colon = strrchr(s, ':');
    char *end = NULL;
    long port;

    /* runc's checks and wording (Go's SplitHostPort: "[::1]:7") */
    ps->addr = s;
    ps->addr_len = colon ? (size_t)(colon - s) : 0;
    if (ps->addr_len >= 2 && s[0] == '[' && s[ps->addr_len - 1] == ']') {
        ps->addr++;
        ps->addr_len -= 2;
    }
    if (!colon || ps->addr_len == 0 || !colon[1])
        return berth_error_make(err, EINVAL,
                                "Use --page-server ADDRESS:PORT to specify page server");
    port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return berth_error_make(err, EINVAL, "Invalid port number");
    ps->port = (int)port;
    return 0;
}

int berth_criu_opts_check(const struct berth_criu_opts *o, berth_error_t *err)
{
    struct berth_criu_page_server ps;
    int ignored, r;

    if ((r = cg_mode(o, &ignored, err)) < 0 || (r = empty_ns(o, &ignored, err)) < 0)
        return r;
    return o->page_server ? berth_criu_page_server(o->page_server, &ps, err) : 0;
}

int berth_criu_common_opts(struct berth_pb *b, const struct berth_criu_opts *o,
                           const oci_config *config, const char *log_file, berth_error_t *err)
{
    const char *conf = config_file(config);
    int mode, ns, r;

    if ((r = cg_mode(o, &mode, err)) < 0 || (r = empty_ns(o, &ns, err)) < 0)
        return r;
    berth_pb_string(b, CRIU_OPT_LOG_FILE, log_file);
    berth_pb_int(b, CRIU_OPT_LOG_LEVEL, 4);
    berth_pb_int(b, CRIU_OPT_MANAGE_CGROUPS_MODE, mode);
    /* every action script comes to us (status-ready, orphan-pts-master) */
    berth_pb_int(b, CRIU_OPT_NOTIFY_SCRIPTS, 1);
    /* a slave whose master is outside the tree (the engine holds it) is
     * dumped, and restored with a new master sent to us: runc sets it for
     * both */
    berth_pb_int(b, CRIU_OPT_ORPHAN_PTS_MASTER, 1);
    if (conf)
        berth_pb_string(b, CRIU_OPT_CONFIG_FILE, conf);
    for (size_t i = 0; i < N_OF(bool_opts); i++)
        if (*(const bool *)((const char *)o + bool_opts[i].offset))
            berth_pb_int(b, bool_opts[i].field, 1);
    if (ns)
        berth_pb_int(b, CRIU_OPT_EMPTY_NS, ns);
    return 0;
}

struct session {
    const struct berth_criu_call *c;
    int sock;
    struct berth_criu_output out;
    int out_fd;
    bool answered;
    struct berth_criu_resp resp;
    berth_error_t notify_err; /* the first failed notification's */
};

static int send_msg(int sock, const struct berth_pb *b, berth_error_t *err)
{
    if (b->failed)
        return berth_error_make(err, ENOMEM, "criu request");
    if (send(sock, b->buf, b->len, MSG_NOSIGNAL) != (ssize_t)b->len)
        return berth_error_errno(err, "send to criu");
    return 0;
}

static int send_request(struct session *s, berth_error_t *err)
{
    _cleanup_(berth_pb_free) struct berth_pb req = {0};

    berth_pb_int(&req, 1, s->c->type);
    berth_pb_message(&req, 2, s->c->opts);
    return send_msg(s->sock, &req, err);
}

/* One notification: ours to act on, then the answer criu waits for. */
static int answer_notify(struct session *s, int fd, berth_error_t *err)
{
    _cleanup_(berth_pb_free) struct berth_pb req = {0};
    const struct berth_criu_call *c = s->c;
    berth_error_t e = NULL;
    int r = 0;

    if (strcmp(s->resp.script, "status-ready") == 0 && c->status_fd >= 0) {
        /* lazy pages: the page server is up (runc writes the same byte) */
        if (write(c->status_fd, "", 1) != 1)
            r = berth_error_errno(&e, "write to --status-fd");
    }
    if (r >= 0 && c->notify)
        r = c->notify(c->hooks ? c->hooks->data : NULL, s->resp.script, s->resp.pid, fd, &e);
    else
        safe_close(fd);
    if (r < 0 && !s->notify_err)
        s->notify_err = e;
    else
        berth_error_release(&e);
    berth_pb_int(&req, 1, BERTH_CRIU_REQ_NOTIFY);
    berth_pb_int(&req, 3, r >= 0);
    return send_msg(s->sock, &req, err);
}

/* A message from criu: 1 when it was the final answer, 0 to go on. */
static int receive(struct session *s, berth_error_t *err)
{
    _cleanup_free_ uint8_t *buf = malloc(65536);
    char control[CMSG_SPACE(sizeof(int) * 4)];
    struct iovec iov = {buf, 65536};
    struct msghdr mh = {.msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control,
                        .msg_controllen = sizeof(control)};
    int fd = -1;
    ssize_t n;

    if (!buf)
        return berth_error_make(err, ENOMEM, "criu answer");
    n = recvmsg(s->sock, &mh, MSG_CMSG_CLOEXEC);
    if (n < 0)
        return errno == EINTR ? 0 : berth_error_errno(err, "receive from criu");
    if (n == 0)
        return 1; /* criu is gone without an answer */
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        for (size_t i = 0; i < (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
            int got;
            memcpy(&got, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
            if (fd < 0)
                fd = got;
            else
                close(got);
        }
    }
    if (berth_criu_resp_parse(buf, n, &s->resp) < 0) {
        safe_close(fd);
        return berth_error_make(err, EBADMSG, "criu's answer");
    }
    if (s->resp.type == BERTH_CRIU_REQ_NOTIFY) {
        int r = answer_notify(s, fd, err);
        return r < 0 ? r : 0;
    }
    safe_close(fd);
    s->answered = true;
    return 1;
}

static int converse(struct session *s, berth_error_t *err)
{
    for (;;) {
        struct pollfd p[2] = {{s->sock, POLLIN, 0}, {s->out_fd, POLLIN, 0}};
        int r = poll(p, s->out_fd >= 0 ? 2 : 1, -1);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return berth_error_errno(err, "poll");
        if (s->out_fd >= 0 && p[1].revents && berth_criu_output_read(&s->out, s->out_fd) == 0)
            s->out_fd = safe_close(s->out_fd);
        if (p[0].revents && (r = receive(s, err)) != 0)
            return r < 0 ? r : 0;
    }
}

/* criu's reason: the first error of its log, else what it printed, else
 * its answer's message. */
static int failure(struct session *s, int status, berth_error_t *err)
{
    const struct berth_criu_call *c = s->c;
    _cleanup_free_ char *log = NULL, *why = NULL;
    _cleanup_fclose_ FILE *f = fopen(c->log_path, "re");
    char how[64] = "";

    if (f) {
        size_t cap = 0;
        if (getdelim(&log, &cap, '\0', f) < 0) {
            free(log);
            log = NULL;
        }
    }
    why = berth_criu_reason(log && *log ? log : s->out.text);
    if ((!why || !*why) && s->resp.errmsg[0]) {
        free(why);
        why = strdup(s->resp.errmsg);
    }
    if (!s->answered && status >= 0)
        snprintf(how, sizeof(how), " (%s %d)", WIFEXITED(status) ? "exit status" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    return berth_error_make(err, 0, "criu %s failed%s: %s (log: %s)", c->what, how,
                            why && *why ? why : "no reason logged", c->log_path);
}

int berth_criu_rpc(const char *criu, const struct berth_criu_call *c, pid_t *ret_pid,
                   berth_error_t *err)
{
    struct session s = {.c = c, .sock = -1, .out_fd = -1};
    const char *bin = berth_criu_bin(criu);
    char fdarg[16];
    char *argv[] = {(char *)bin, (char *)"swrk", fdarg, NULL};
    int sk[2], r, status;
    pid_t pid;

    /* SEQPACKET: one message per request and answer, as criu reads them */
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sk) < 0)
        return berth_error_errno(err, "socketpair for criu");
    snprintf(fdarg, sizeof(fdarg), "%d", sk[1]);
    r = berth_criu_start(argv, c->hooks, sk[1], &pid, &s.out_fd, err);
    close(sk[1]);
    s.sock = sk[0];
    if (r < 0) {
        close(sk[0]);
        return r;
    }
    r = send_request(&s, err);
    if (r == -EPIPE) /* criu (or our child before it) is gone: its output says why */
        r = (berth_error_release(err), 0);
    else if (r >= 0)
        r = converse(&s, err);
    /* criu exits after its answer; on our own error it must not go on */
    close(s.sock);
    if (r < 0)
        (void)kill(pid, SIGKILL);
    while (s.out_fd >= 0 && berth_criu_output_read(&s.out, s.out_fd) != 0)
        ;
    safe_close(s.out_fd);
    if (r < 0) {
        _cleanup_error_ berth_error_t ignored = NULL;
        status = berth_criu_wait(pid, bin, &ignored);
    } else {
        status = berth_criu_wait(pid, bin, err);
    }
    if (r >= 0 && status < 0)
        r = status;
    else if (r >= 0 && s.notify_err) {
        *err = s.notify_err;
        s.notify_err = NULL;
        r = berth_error_wrap(err, "criu %s", c->what);
    } else if (r >= 0 && (!s.answered || !s.resp.success || s.resp.type != (int)c->type))
        r = failure(&s, status, err);
    else if (r >= 0 && ret_pid)
        *ret_pid = s.resp.pid;
    berth_error_release(&s.notify_err);
    free(s.out.text);
    return r < 0 ? r : 0;
}
