/* oci-state.c: descriptor table for the container state (runtime.md "State",
 * state-schema.json) that `berth state` prints and hooks read on stdin.
 * berth adds rootfs, created and owner at the end, as runc does; they are
 * optional so state written by other runtimes still parses.
 */
#include "oci-checks.h"

/* runtime.md "State": status values */
/* runtime.md "State": the four statuses the spec defines, plus berth's
 * "paused". The spec lets a runtime define more values, so the parser does
 * not restrict status to this list; it documents what berth writes. */
const char *const oci_state_statuses[] = {
    "creating", "created", "running", "stopped", "paused", NULL,
};

/* Emitted in runc's order (its containerState: `runc state` and `runc
 * list --format json`), which scripts comparing the two outputs see; the
 * parser takes any order. */
static const struct oci_field state_fields[] = {
    OCI_STR_CHECK(oci_state, ociVersion, OCI_REQUIRED, oci_check_semver),
    OCI_STR(oci_state, id, OCI_REQUIRED | OCI_NONEMPTY),
    OCI_SCAL(oci_state, pid, OCI_INT64, 0, oci_check_pid),
    OCI_STR(oci_state, status, OCI_REQUIRED | OCI_NONEMPTY),
    OCI_STR(oci_state, bundle, OCI_REQUIRED),
    OCI_STR(oci_state, rootfs, 0),
    OCI_STR(oci_state, created, 0),
    OCI_MAP_STR(oci_state, annotations, 0),
    OCI_STR(oci_state, owner, 0),
};
const struct oci_desc oci_state_desc = OCI_DESC(oci_state, state_fields);

/* config-linux.md "The Container Process State", in the spec's order. */
static const struct oci_field process_state_fields[] = {
    OCI_STR_CHECK(oci_container_process_state, ociVersion, OCI_REQUIRED, oci_check_semver),
    OCI_ARR(oci_container_process_state, fds, OCI_STRING, OCI_REQUIRED),
    OCI_SCAL(oci_container_process_state, pid, OCI_INT64, OCI_REQUIRED, oci_check_pid),
    OCI_STR(oci_container_process_state, metadata, 0),
    OCI_OBJ(oci_container_process_state, state, oci_state_desc, OCI_REQUIRED),
};
const struct oci_desc oci_container_process_state_desc =
    OCI_DESC(oci_container_process_state, process_state_fields);
