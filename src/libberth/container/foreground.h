/* foreground.h: waiting for a container process in the foreground (`run`,
 * `exec` without --detach) while forwarding the signals berth receives. */
#ifndef BERTH_FOREGROUND_H
#define BERTH_FOREGROUND_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "util/error.h"
#include "terminal/terminal.h"

/* The signals forwarded to the process (runc forwards all it can; SIGCHLD
 * is ours, for reaping). With `reap`, SIGCHLD is added: berth is a
 * subreaper and must reap the orphans it inherits. Block the set before the
 * process is started so that no signal sent meanwhile is lost. */
void berth_foreground_sigset(sigset_t *set, bool reap);

/* Waits for pid (pidfd) to exit, forwarding every signal of `set` to it and
 * following SIGWINCH with the pty proxy when there is one; with SIGCHLD in
 * `set`, reaps orphans but never pid itself. Returns the raw wait status in
 * *ret_status. */
int berth_foreground_wait(pid_t pid, int pidfd, struct berth_terminal_proxy *proxy,
                          const sigset_t *set, int *ret_status, berth_error_t *err);

#endif
