/* seccomp-notify.h: the parent's half of SCMP_ACT_NOTIFY (config-linux.md
 * "Seccomp", listenerPath; "The Container Process State").
 *
 * Runs in `berth create`, on the host, never in the container:
 *
 *   init: sends a "loading seccomp" sync message, then berth_seccomp_load()
 *   parent, on that message:
 *     berth_seccomp_notify_take(f, init_pidfd, &fd)  waits for the load
 *         (a shared-memory slot, polled with the init's pidfd so a dead
 *         init cannot hang us) and copies the listener fd out of the init
 *         with pidfd_getfd(2);
 *     berth_seccomp_notify_send(listenerPath, listenerMetadata, state, fd)
 *         connects to listenerPath and sends the container process state
 *         with the fd;
 *     then waits for READY/ERROR as usual.
 */
#ifndef BERTH_SECCOMP_NOTIFY_H
#define BERTH_SECCOMP_NOTIFY_H

#include "util/error.h"
#include "oci-types.h"
#include "berth-seccomp.h"

/* Waits until the init has tried to load f (f->handover is set), then
 * fetches its listener fd with pidfd_getfd(2) into *ret_fd (O_CLOEXEC).
 * When the init failed to load, *ret_fd = -1 and 0 is returned: the init
 * reports the cause itself with an ERROR message, read it next. Fails when
 * the init dies first or the fd cannot be fetched. */
int berth_seccomp_notify_take(const struct berth_seccomp *f, int init_pidfd, int *ret_fd,
                              berth_error_t *err);

/* The container process state as JSON (NUL-terminated, malloc'd):
 * {"ociVersion","fds":["seccompFd"],"pid":state->pid,"metadata"?,"state"}.
 * state->pid must be set (the container process as seen by the runtime). */
int berth_seccomp_state_json(const char *metadata, const oci_state *state, char **ret,
                             berth_error_t *err);

/* Connects to listener_path (AF_UNIX, SOCK_STREAM), sends the state JSON
 * with notify_fd as SCM_RIGHTS in the first (only) sendmsg, and closes the
 * connection: exactly one state per connection. Any failure is an error
 * (config-linux.md: "If sending to this socket fails, the runtime MUST
 * generate an error"). notify_fd stays open; the caller closes it. */
int berth_seccomp_notify_send(const char *listener_path, const char *metadata,
                              const oci_state *state, int notify_fd, berth_error_t *err);

/* Both of the above, as create and exec do on the child's SECCOMP message:
 * takes the listener fd out of the process behind pidfd and sends it with
 * `state` to sc->listenerPath. 1 when handed over, 0 when the process
 * failed to load the filter (its ERROR comes next), <0 on failure. */
int berth_seccomp_notify_hand_out(const struct berth_seccomp *f, const oci_seccomp *sc, int pidfd,
                                  const oci_state *state, berth_error_t *err);

#endif
