/* exe-seal.h: berth's own executable, out of the container's reach
 * (CVE-2019-5736).
 *
 * The init and `berth exec`'s child are clones of the berth process, so
 * their /proc/PID/exe is berth's executable until their execve; and when
 * the container makes such a process execute /proc/self/exe (as its
 * process.args, or as the interpreter of a `#!/proc/self/exe` script),
 * the kernel resolves it to berth's executable, in a process the container
 * owns. A handle taken there and reopened for writing once the process has
 * exited would let the container rewrite the binary the host runs next.
 *
 * So `create`, `run` and `exec` first re-execute berth from a file the
 * container cannot write through, whatever it does and whenever:
 *   - a read-only overlayfs made with fsopen(2), never attached to any
 *     mount namespace, whose top layer is the directory of the binary: no
 *     copy; an overlay without an upper layer is read-only at the
 *     superblock, which no mount_setattr(2) or remount can change (a
 *     read-only bind mount can be made writable again by a container with
 *     CAP_SYS_ADMIN, which is why runc dropped that method);
 *   - else a memfd copy sealed against every change (F_SEAL_WRITE,
 *     F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_SEAL): the fallback where overlayfs
 *     cannot be mounted (no CAP_SYS_ADMIN, no overlay module).
 * The memfd's seals and the overlay's read-only superblock are checked by
 * the kernel on every write, so no timing of the attacker matters. */
#ifndef BERTH_EXE_SEAL_H
#define BERTH_EXE_SEAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* Identity of a file (the host's berth binary). dev 0 and ino 0: unknown. */
struct berth_exe_id {
    dev_t dev;
    ino_t ino;
};

enum berth_exe_state {
    BERTH_EXE_WRITABLE = 0, /* a file the container could write through */
    BERTH_EXE_SEALED_MEMFD, /* a memfd carrying all four seals */
    BERTH_EXE_READ_ONLY,    /* on a read-only mount or filesystem (our overlay) */
};

/* Inspects /proc/self/exe. Returns its enum berth_exe_state and fills
 * *ret_id with its identity, or a negative errno with *err set. */
int berth_exe_inspect(struct berth_exe_id *ret_id, berth_error_t *err);

/* Makes an executable, close-on-exec handle on berth's binary that cannot
 * be written through (overlay first, then a sealed memfd copy) and returns
 * it; *ret_method names the method ("overlayfs" or "memfd").
 * overlayfs needs a second layer below the binary's directory: the state
 * root (the copy is made instead when the root does not exist yet, or when
 * one of the two directories contains the other). */
int berth_exe_seal(const char *state_root, const char **ret_method, berth_error_t *err);

/* Set by the caller across the re-execution from the sealed handle: the
 * original binary's identity ("DEV:INO"), and proof that it happened. */
#define BERTH_EXE_ORIGIN_ENV "_BERTH_EXE_ORIGIN"

/* What a command that puts processes into a container does first.
 * came_from: the value of BERTH_EXE_ORIGIN_ENV (NULL when unset).
 * Fills *ret_origin (the host binary's identity) and returns 0 with
 * *ret_fd -1 when /proc/self/exe is safe already (sealed, read-only, or
 * we came from a sealed handle), or with *ret_fd a sealed handle to
 * re-execute (berth_exe_seal; *ret_method names it). */
int berth_exe_prepare(const char *state_root, const char *came_from,
                      struct berth_exe_id *ret_origin, int *ret_fd, const char **ret_method,
                      berth_error_t *err);

/* The fds the container inherits: stdio, and those of 3..3+nextra-1 that
 * are not close-on-exec (the caller's: every fd berth opens is O_CLOEXEC).
 * Refuses any that is the file `origin` (the host's berth binary): the
 * container could reopen it for writing through /proc/self/fd/N. */
int berth_exe_check_inherited_fds(const struct berth_exe_id *origin, int nextra,
                                  berth_error_t *err);

/* "DEV:INO" <-> struct berth_exe_id, for the environment variable that
 * carries the original binary's identity across the re-execution. */
int berth_exe_id_format(const struct berth_exe_id *id, char *buf, size_t size);
bool berth_exe_id_parse(const char *s, struct berth_exe_id *ret_id);

#endif
