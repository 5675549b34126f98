/* spec-default.h: the library side of `berth spec`: the default config.json
 * of a new bundle (the same content `runc spec` writes). */
#ifndef BERTH_SPEC_DEFAULT_H
#define BERTH_SPEC_DEFAULT_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/error.h"
#include "oci-types.h"

/* Builds the default config. With `rootless`, it runs in a new user
 * namespace mapping container root to uid/gid (the caller's euid/egid) and
 * avoids what an unprivileged user cannot do. Free with oci_config_free. */
int berth_spec_default(bool rootless, uid_t uid, gid_t gid, oci_config **ret, berth_error_t *err);

/* Writes the default config as `<bundle>/config.json` (bundle NULL = cwd),
 * refusing to replace an existing file. The file is complete or absent:
 * written to a temporary name and renamed. Mode 0666 & ~umask. */
int berth_spec_create(const char *bundle, bool rootless, berth_error_t *err);

#endif
