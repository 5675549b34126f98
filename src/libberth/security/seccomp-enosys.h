/* seccomp-enosys.h: the ENOSYS stub in front of a profile's filter (why and
 * how: seccomp-enosys.c). */
#ifndef BERTH_SECCOMP_ENOSYS_H
#define BERTH_SECCOMP_ENOSYS_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "oci-types.h"

/* Whether a profile with this default action (libseccomp's SCMP_ACT_*
 * value) gets the stub: not for ALLOW, LOG, TRACE, nor ERRNO(ENOSYS). */
bool berth_seccomp_wants_enosys(uint32_t default_action);

/* Prepends the stub to prog (replacing prog->filter). archs: the
 * profile's architectures as SCMP_ARCH_* tokens; the native one is added.
 * Errors: E2BIG when the program would exceed BPF_MAXINSNS, ENOMEM. */
int berth_seccomp_enosys_patch(const oci_seccomp *s, const uint32_t *archs, size_t narchs,
                               struct sock_fprog *prog, berth_error_t *err);

#endif
