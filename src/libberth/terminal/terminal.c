/* terminal.c: the pty of process.terminal, handing its master out
 * (SCM_RIGHTS) and the foreground proxy of `run` (see terminal.h). */
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fd-pass.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* ---- the pty ------------------------------------------------------------ */

int berth_pty_open(const char *ptmx, int *ret_master, int *ret_slave, char **ret_name,
                   berth_error_t *err)
{
    _cleanup_close_ int master = -1, slave = -1;
    int unlock = 0;
    unsigned int n = 0;

    /* O_NOCTTY: the pty becomes a controlling tty only where we say so
     * (TIOCSCTTY on the slave), never by accident on open. */
    master = open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        return berth_error_errno(err, "open `%s`", ptmx);
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
        return berth_error_errno(err, "unlockpt `%s`", ptmx);
    if (ioctl(master, TIOCGPTN, &n) < 0)
        return berth_error_errno(err, "ptsname `%s`", ptmx);
    /* The peer of this very master, whatever is mounted at /dev/pts:
     * opening "/dev/pts/N" by name could reach another devpts instance. */
    slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0)
        return berth_error_errno(err, "open the pty slave of `%s`", ptmx);
    if (ret_name && asprintf(ret_name, "/dev/pts/%u", n) < 0) {
        *ret_name = NULL;
        return berth_error_make(err, ENOMEM, "pty name");
    }
    *ret_master = TAKE_FD(master);
    *ret_slave = TAKE_FD(slave);
    return 0;
}

void berth_pty_name(int master, char *buf, size_t size)
{
    unsigned int n = 0;

    if (ioctl(master, TIOCGPTN, &n) == 0)
        snprintf(buf, size, "/dev/pts/%u", n);
    else
        snprintf(buf, size, "pty");
}

int berth_terminal_set_size(int fd, const oci_console_size *size, berth_error_t *err)
{
    struct winsize ws = {0};

    if (!size)
        return 0;
    ws.ws_row = (unsigned short)size->height;
    ws.ws_col = (unsigned short)size->width;
    if (ioctl(fd, TIOCSWINSZ, &ws) < 0)
        return berth_error_errno(err, "set console size %ux%u", (unsigned)size->width,
                                 (unsigned)size->height);
    return 0;
}

/* Bind-mounts the slave onto /dev/console (created as an empty file when
 * missing), as runc does: programs that open /dev/console reach the
 * container's terminal, not the host's. Both ends go through fds so that
 * no symlink in the container's /dev can redirect the mount. */
static int mount_console(int slave, berth_error_t *err)
{
    _cleanup_close_ int target = -1;
    char src[64], dst[64];
    struct stat st;

    if (lstat("/dev/console", &st) == 0 && S_ISLNK(st.st_mode))
        return berth_error_make(err, ELOOP, "/dev/console is a symlink");
    target = open("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (target < 0 && errno == ENOENT) {
        int fd = open("/dev/console", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            return berth_error_errno(err, "create /dev/console");
        close(fd);
        target = open("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    }
    if (target < 0)
        return berth_error_errno(err, "open /dev/console");
    snprintf(src, sizeof(src), "/proc/self/fd/%d", slave);
    snprintf(dst, sizeof(dst), "/proc/self/fd/%d", target);
    if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
        return berth_error_errno(err, "bind mount the pty onto /dev/console");
    return 0;
}

int berth_terminal_setup_in_init(const oci_process *p, bool with_console, uid_t uid,
                                 int *ret_master, berth_error_t *err)
{
    _cleanup_close_ int master = -1, slave = -1;
    int r;

    /* After pivot_root "/dev/ptmx" is the container's: its own devpts
     * instance (newinstance), so the pty number and the pty itself are
     * invisible to the host's /dev/pts. */
    r = berth_pty_open("/dev/ptmx", &master, &slave, NULL, err);
    if (r < 0)
        return berth_error_wrap(err, "terminal");
    /* config.md "Process": consoleSize only with terminal (the caller
     * calls us only then). */
    r = berth_terminal_set_size(slave, p ? p->consoleSize : NULL, err);
    if (r < 0)
        return berth_error_wrap(err, "terminal");
    /* The process user must be able to reopen its tty (/dev/tty, ttyname);
     * best effort: in a user namespace the uid may not be mapped yet. */
    if (uid != (uid_t)-1)
        (void)fchown(slave, uid, (gid_t)-1);
    if (with_console) {
        r = mount_console(slave, err);
        if (r < 0)
            return berth_error_wrap(err, "terminal");
    }
    /* stdio, then the controlling tty (we are a session leader without
     * one: init.c calls setsid first). */
    for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0)
            return berth_error_errno(err, "terminal: dup2 the pty onto fd %d", fd);
    if (ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
        return berth_error_errno(err, "terminal: TIOCSCTTY");
    *ret_master = TAKE_FD(master);
    return 0;
}

/* ---- passing the master ------------------------------------------------- */

int berth_terminal_send_fd(int sock, int fd, const char *name, berth_error_t *err)
{
    return berth_fds_send(sock, name && name[0] ? name : "pty", &fd, 1, "the pty master", err);
}

int berth_terminal_send_master(int sock, int master, const char *path, berth_error_t *err)
{
    char name[64];

    berth_pty_name(master, name, sizeof(name));
    if (berth_terminal_send_fd(sock, master, name, err) < 0)
        return berth_error_wrap(err, "console socket `%s`", path);
    return 0;
}

int berth_terminal_check_socket(bool terminal, bool detached, const char *console_socket,
                                berth_error_t *err)
{
    /* runc's wording (its setupIO) */
    if (terminal && detached && !console_socket)
        return berth_error_make(err, 0,
                                "cannot allocate tty if berth will detach without setting "
                                "console socket");
    if (!terminal && console_socket)
        return berth_error_make(err, 0,
                                "cannot use console socket if berth will not allocate tty "
                                "(process.terminal is false)");
    return 0;
}

int berth_terminal_recv_fd(int sock, int *ret_fd, char **ret_name, berth_error_t *err)
{
    char data[4096];
    int fd = -1;
    int r = berth_fds_recv(sock, data, sizeof(data), &fd, 1, "the pty master", err);

    if (r < 0)
        return r;
    if (ret_name) {
        *ret_name = strdup(data);
        if (!*ret_name) {
            close(fd);
            return berth_error_make(err, ENOMEM, "receive the pty master");
        }
    }
    *ret_fd = fd;
    return 0;
}

int berth_console_socket_connect(const char *path, berth_error_t *err)
{
    _cleanup_close_ int sock = -1, dirfd = -1;
    _cleanup_free_ char *dir = NULL;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    const char *target = path;
    char via[PATH_MAX];

    /* sun_path holds 108 bytes; a longer path is reached through an
     * O_PATH fd of its directory. */
    if (strlen(path) >= sizeof(sa.sun_path)) {
        const char *slash = strrchr(path, '/');
        dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
        if (!dir)
            return berth_error_make(err, ENOMEM, "console socket");
        dirfd = open(dir[0] ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
            return berth_error_errno(err, "open console socket directory `%s`", dir);
        snprintf(via, sizeof(via), "/proc/self/fd/%d/%s", dirfd, slash ? slash + 1 : path);
        target = via;
        if (strlen(target) >= sizeof(sa.sun_path))
            return berth_error_make(err, ENAMETOOLONG, "console socket `%s`", path);
    }
    memcpy(sa.sun_path, target, strlen(target) + 1);
    sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return berth_error_errno(err, "socket");
    if (connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        return berth_error_errno(err, "connect to console socket `%s`", path);
    return TAKE_FD(sock);
}

/* ---- foreground proxy --------------------------------------------------- */

struct berth_terminal_proxy {
    int master;
    int stop[2]; /* finish() -> thread: drain and quit */
    bool raw;    /* stdin was a tty and is in raw mode */
    struct termios saved;
    struct winsize ws; /* last size copied */
    int drain_ms;
    pthread_mutex_t lock;
    pthread_t thread;
};

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            (void)poll(&p, 1, 1000);
            continue;
        }
        if (w <= 0)
            return false;
        buf += w, n -= (size_t)w;
    }
    return true;
}

void berth_terminal_proxy_winch(struct berth_terminal_proxy *p)
{
    struct winsize ws;

    if (!p || !p->raw || ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0)
        return;
    pthread_mutex_lock(&p->lock);
    if (ws.ws_row != p->ws.ws_row || ws.ws_col != p->ws.ws_col) {
        /* The kernel sends SIGWINCH to the container's foreground group. */
        if (ioctl(p->master, TIOCSWINSZ, &ws) == 0)
            p->ws = ws;
    }
    pthread_mutex_unlock(&p->lock);
}

/* Copies what is readable now; false on EOF or error (EIO on the master:
 * every slave fd is closed, i.e. the container is gone). */
static bool pump(int from, int to)
{
    char buf[16384];
    ssize_t n = read(from, buf, sizeof(buf));

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0)
        return false;
    (void)write_all(to, buf, (size_t)n);
    return true;
}

static void *proxy_main(void *arg)
{
    struct berth_terminal_proxy *p = arg;
    bool in_open = true;
    int64_t drain_until = -1;

    for (;;) {
        struct pollfd fds[3] = {{.fd = p->master, .events = POLLIN},
                                {.fd = in_open ? STDIN_FILENO : -1, .events = POLLIN},
                                {.fd = drain_until < 0 ? p->stop[0] : -1, .events = POLLIN}};
        int timeout = 500; /* window size follow, also without SIGWINCH */

        if (drain_until >= 0) {
            int64_t left = drain_until - mono_ms();
            if (left <= 0)
                break;
            timeout = left < timeout ? (int)left : timeout;
        }
        int n = poll(fds, 3, timeout);
        if (n < 0 && errno != EINTR)
            break;
        if (n <= 0) {
            if (drain_until >= 0 && n == 0 && mono_ms() >= drain_until)
                break;
            berth_terminal_proxy_winch(p);
            continue;
        }
        if (fds[0].revents && !pump(p->master, STDOUT_FILENO))
            break;
        if (fds[1].revents && !pump(STDIN_FILENO, p->master)) {
            in_open = false;
            /* A pipe or file on berth's stdin ended: the container sees
             * end-of-file (VEOF) like after ^D on a terminal. */
            if (!p->raw)
                (void)write_all(p->master, "\004", 1);
        }
        if (fds[2].revents) {
            /* finish(): the container exited; take what is still queued,
             * but do not wait for ever on a leftover daemon's output. */
            drain_until = mono_ms() + p->drain_ms;
            in_open = false;
        }
    }
    return NULL;
}

int berth_terminal_proxy_start(int master, struct berth_terminal_proxy **ret, berth_error_t *err)
{
    struct berth_terminal_proxy *p = calloc(1, sizeof(*p));
    int r;

    if (!p) {
        close(master);
        return berth_error_make(err, ENOMEM, "terminal proxy");
    }
    p->master = master;
    p->stop[0] = p->stop[1] = -1;
    pthread_mutex_init(&p->lock, NULL);
    if (pipe2(p->stop, O_CLOEXEC) < 0) {
        r = berth_error_errno(err, "terminal proxy: pipe");
        goto fail;
    }
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &p->saved) == 0) {
        struct termios raw = p->saved;
        /* Raw: every key (^C too) goes to the container's terminal, which
         * does the line discipline itself, as runc does. */
        cfmakeraw(&raw);
        if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) < 0) {
            r = berth_error_errno(err, "terminal proxy: set raw mode");
            goto fail;
        }
        p->raw = true;
        berth_terminal_proxy_winch(p); /* berth's tty size replaces consoleSize */
    }
    r = -pthread_create(&p->thread, NULL, proxy_main, p);
    if (r < 0) {
        berth_error_make(err, -r, "terminal proxy: thread");
        goto fail;
    }
    *ret = p;
    return 0;
fail:
    if (p->raw)
        (void)tcsetattr(STDIN_FILENO, TCSANOW, &p->saved);
    safe_close(p->stop[0]);
    safe_close(p->stop[1]);
    close(master);
    free(p);
    return r;
}

void berth_terminal_proxy_finish(struct berth_terminal_proxy *p, int timeout_ms)
{
    if (!p)
        return;
    p->drain_ms = timeout_ms;
    (void)write_all(p->stop[1], "x", 1);
    pthread_join(p->thread, NULL);
    if (p->raw)
        (void)tcsetattr(STDIN_FILENO, TCSANOW, &p->saved);
    safe_close(p->stop[0]);
    safe_close(p->stop[1]);
    safe_close(p->master);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

int berth_terminal_proxy(int master, int pidfd, berth_error_t *err)
{
    struct berth_terminal_proxy *p = NULL;
    struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
    int r = berth_terminal_proxy_start(master, &p, err);

    if (r < 0)
        return r;
    while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
        ;
    berth_terminal_proxy_finish(p, 1000);
    return 0;
}
