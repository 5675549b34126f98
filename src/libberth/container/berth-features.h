/* berth-features.h: the library side of `berth features`: the runtime-spec
 * Features structure (features.md, features-linux.md) of this build.
 * (Not "features.h": src/libberth is on the include path and glibc's
 * <features.h> must stay reachable.) */
#ifndef BERTH_BERTH_FEATURES_H
#define BERTH_BERTH_FEATURES_H

#include <stdbool.h>

#include "util/error.h"
#include "oci-types.h"

/* Builds the Features structure. Free with oci_features_free. */
int berth_features_build(oci_features **ret, berth_error_t *err);

#endif
