/* oci-internal.h: helpers shared by the files of the descriptor engine
 * (oci-diag.c, oci-engine.c, oci-validate.c, oci-emit.c, oci-walk.c).
 * Nothing outside libocispec/ includes this header.
 */
#ifndef LIBOCISPEC_OCI_INTERNAL_H
#define LIBOCISPEC_OCI_INTERNAL_H

#include <stdarg.h>

#include "oci.h"

/* Bounds that keep hostile input cheap (see oci-engine.c): the spec's own
 * documents nest 7 levels deep, configs are at most a few hundred KiB. */
#define OCI_MAX_DEPTH    64
#define OCI_MAX_INPUT    (16u << 20)
#define OCI_MAX_ERRORS   100
#define OCI_MAX_WARNINGS 100
#define OCI_PATH_MAX     (OCI_MAX_DEPTH + 8)

/* Every OCI_MAP(T) has this layout: T is always a pointer type. */
struct oci_map_any {
    char **keys;
    void **values;
    size_t len;
};

static inline void *oci_at(const void *obj, size_t offset)
{
    return (char *)obj + offset;
}

/* Size of one element of an array field (objects are stored inline). */
size_t oci_elem_size(const struct oci_field *f);
bool oci_field_present(const struct oci_field *f, const void *obj);
/* "a 32-bit unsigned integer", "a string", ... for messages. */
const char *oci_kind_desc(enum oci_kind kind);
/* Formats a scalar C value (string quoted) for messages. */
void oci_format_value(enum oci_kind kind, const void *value, char *buf, size_t size);

/* One JSON pointer segment: a member name or an array index. */
struct oci_seg {
    const char *key; /* NULL for an index */
    size_t index;
};

/* Walk context: where we are (for JSON pointers) and the diagnostics. */
struct oci_ctx {
    struct oci_diags *diags; /* may be NULL: we still count */
    size_t nerrors;
    size_t nwarnings;
    size_t depth;
    bool truncated;     /* a segment was not pushed: path too deep */
    bool skip_reported; /* drop errors under a pointer that already has one */
    struct oci_seg segs[OCI_PATH_MAX];
};

void oci_ctx_push_key(struct oci_ctx *ctx, const char *key);
void oci_ctx_push_index(struct oci_ctx *ctx, size_t index);
void oci_ctx_pop(struct oci_ctx *ctx);
/* True once OCI_MAX_ERRORS were reported: walkers stop early. */
bool oci_ctx_full(const struct oci_ctx *ctx);
/* True when an error was reported at or below the current position. */
bool oci_ctx_has_error_within(const struct oci_ctx *ctx);
void oci_ctx_error(struct oci_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void oci_ctx_warn(struct oci_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Table checks (required, enums, paths, check fns) over a C object. */
void oci_validate_object(struct oci_ctx *ctx, const struct oci_desc *desc, const void *obj);

/* Frees the members of obj (not obj itself). */
void oci_free_members(const struct oci_desc *desc, void *obj);

#endif
