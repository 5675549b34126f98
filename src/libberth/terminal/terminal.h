/* terminal.h: process.terminal (config.md "Process": "a pseudoterminal pair
 * is allocated for the process and the pseudoterminal pty is duplicated on
 * the process's standard streams").
 *
 * Flow:
 *   init, after pivot_root      berth_terminal_setup_in_init(): opens the
 *                               container's /dev/ptmx (its own devpts
 *                               instance), applies consoleSize, bind-mounts
 *                               the slave onto /dev/console, makes the slave
 *                               the controlling tty and stdio 0/1/2; returns
 *                               the master
 *   init -> parent              berth_terminal_send_fd() over a unix socket
 *   parent (create, exec)       berth_console_socket_connect(--console-socket)
 *                               first thing, berth_terminal_send_fd() last
 *   parent (run, no socket)     berth_terminal_proxy_start()/_finish(): raw
 *                               mode on berth's tty and a copy loop
 *
 * Over --console-socket the master goes as SCM_RIGHTS with the pty name as
 * the data bytes, as runc does and conmon/containerd expect.
 */
#ifndef BERTH_TERMINAL_H
#define BERTH_TERMINAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"
#include "oci-types.h"

/* Opens a new pty from `ptmx` (e.g. "/dev/ptmx"); both fds O_CLOEXEC, the
 * slave opened through the master (TIOCGPTPEER), so it is the slave of
 * exactly this master. *ret_name ("/dev/pts/N") may be NULL. */
int berth_pty_open(const char *ptmx, int *ret_master, int *ret_slave, char **ret_name,
                   berth_error_t *err);

/* "/dev/pts/N" of a master as its own devpts instance names it (the
 * container's: the path means nothing on the host); "pty" when unknown. */
void berth_pty_name(int master, char *buf, size_t size);

/* consoleSize -> TIOCSWINSZ on fd (either end). NULL size: no-op. */
int berth_terminal_set_size(int fd, const oci_console_size *size, berth_error_t *err);

/* Whole init-side setup (see the flow above). Requires a session leader
 * (setsid) and the container's /dev mounted; must run before the user
 * switch (the bind mount needs CAP_SYS_ADMIN). `mount_console` false skips
 * /dev/console (e.g. no mount namespace). The slave is chowned to uid
 * (best effort; uid (uid_t)-1 = keep). */
int berth_terminal_setup_in_init(const oci_process *p, bool mount_console, uid_t uid,
                                 int *ret_master, berth_error_t *err);

/* Sends fd with SCM_RIGHTS over a connected unix socket; `name` (may be
 * NULL) is the data part. */
int berth_terminal_send_fd(int sock, int fd, const char *name, berth_error_t *err);

/* The pty master with its name ("/dev/pts/N") as the data part, as
 * create, exec and restore hand it out; errors name the socket's path. */
int berth_terminal_send_master(int sock, int master, const char *path, berth_error_t *err);

/* Somebody must hold the pty master: a terminal that berth does not keep
 * (detached) needs --console-socket, and a process without a terminal
 * refuses one. create, exec and restore check it before anything is made. */
int berth_terminal_check_socket(bool terminal, bool detached, const char *console_socket,
                                berth_error_t *err);

/* Receives one fd (O_CLOEXEC); *ret_name (may be NULL) gets the data part.
 * -ENOMSG when the message carried no fd, 0-byte EOF -> -EPIPE. */
int berth_terminal_recv_fd(int sock, int *ret_fd, char **ret_name, berth_error_t *err);

/* connect(path): the connected socket (O_CLOEXEC); paths longer than
 * sun_path are reached through /proc/self/fd of their directory. create
 * and exec connect before they start anything and send the master over it
 * at the end, as runc: a peer that is gone by then (it accepted and closed)
 * fails the command with EPIPE instead of losing the master. */
int berth_console_socket_connect(const char *path, berth_error_t *err);

/* Foreground proxy for `run` without --console-socket. Puts berth's stdin
 * in raw mode when it is a tty, copies stdin -> master and master ->
 * stdout in a thread, follows window size changes of berth's tty (polled,
 * and at once on berth_terminal_proxy_winch). Takes ownership of master. */
struct berth_terminal_proxy;
int berth_terminal_proxy_start(int master, struct berth_terminal_proxy **ret, berth_error_t *err);
/* Copies the size of berth's tty to the pty (call on SIGWINCH). */
void berth_terminal_proxy_winch(struct berth_terminal_proxy *p);
/* After the container exited: drains the remaining output (up to
 * timeout_ms), stops the thread, restores the termios, frees p. */
void berth_terminal_proxy_finish(struct berth_terminal_proxy *p, int timeout_ms);

/* Blocking variant: proxies until the process of pidfd exits and the
 * output is drained. */
int berth_terminal_proxy(int master, int pidfd, berth_error_t *err);

#endif
