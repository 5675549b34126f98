/* oci.h: the descriptor engine of libocispec, berth's own typed model of the
 * OCI runtime-spec.
 *
 * Every JSON object of the spec is a C struct plus one descriptor table
 * (struct oci_desc) listing its fields: JSON name, kind, shape, offsets,
 * flags, allowed string values and an optional per-value check. The same
 * table drives parsing (yajl tree), emitting (yajl gen), freeing, equality
 * and the features document, so there is no hand-written per-field code.
 *
 * Representation rules (the contract every user relies on):
 *  - string:            char *name;                 NULL when absent
 *  - other scalars:     T name; bool name_present;  present flag always exists
 *  - nested object:     struct X *name;             NULL when absent
 *  - array:             T *name; size_t name_len;   name != NULL when present,
 *                                                   even if empty; objects are
 *                                                   stored contiguously
 *  - map (string keys): OCI_MAP(T) name;            keys/values arrays of len;
 *                                                   keys != NULL when present;
 *                                                   values of a string map are
 *                                                   char*, of an object map T*,
 *                                                   of a scalar map a pointer
 *                                                   to one malloc'd value
 * JSON null is accepted wherever a value is optional and means "absent",
 * as Go's encoding/json (which writes the configs engines send) treats it.
 *
 * Parsing rules (oci_parse):
 *  - every problem is reported, up to 100 errors, each with an RFC 6901
 *    pointer: "/linux/resources/memory/limit: expected a 64-bit integer,
 *    got string"; invalid JSON is one error with pointer "";
 *  - integers must be integral and in range for their C type (the whole
 *    uint64 range works); 1.0, 1e3 and 4294967296 for a uint32 are errors;
 *  - unknown members are not stored and are reported as warnings;
 *  - a member or map key given twice is an error (JSON readers disagree on
 *    which one wins);
 *  - documents over 16 MiB, nested deeper than 64 levels, or containing NUL
 *    bytes or "\u0000" are rejected before parsing;
 *  - after conversion the table checks run (OCI_REQUIRED, OCI_NONEMPTY,
 *    OCI_ABS_PATH, enum_values, check functions, object checks), exactly as
 *    oci_check() runs them on objects built in C.
 */
#ifndef LIBOCISPEC_OCI_H
#define LIBOCISPEC_OCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* gcc predefines `linux` as 1 in GNU mode; the spec has a "linux" object and
 * we want cfg->linux to read like the JSON. Nothing in berth uses the macro. */
#undef linux

enum oci_kind {
    OCI_STRING,
    OCI_BOOL,
    OCI_INT32,
    OCI_UINT32,
    OCI_INT64,
    OCI_UINT64,
    OCI_UINT16,
    OCI_INT,    /* C int, JSON integer in int32 range (oomScoreAdj, timeout) */
    OCI_DOUBLE, /* C double, any finite JSON number; written as Go's encoding/json
                 * does for the magnitudes runc's events carry (PSI averages) */
    OCI_OBJECT,
};

enum oci_shape {
    OCI_SCALAR,
    OCI_ARRAY,
    OCI_MAP,
};

enum oci_field_flags {
    OCI_REQUIRED = 1 << 0,  /* must be present */
    OCI_NONEMPTY = 1 << 1,  /* array: at least one element; string: not "" */
    OCI_ABS_PATH = 1 << 2,  /* string (or each string): absolute path */
    OCI_EMIT_NULL = 1 << 3, /* emit: an absent member is written as null (Go's nil
                             * slice or map in documents runc prints) */
};

struct oci_diags;

/* Extra per-value check: returns NULL when fine, else a static message such
 * as "must be between 0 and 7". `value` points at the C value. */
typedef const char *(*oci_check_fn)(const void *value);

struct oci_desc;

/* Whole-object check for rules that involve several members (e.g. device
 * major/minor required unless type is "p"). Returns false when fine, else
 * true with *ret filled: the message and, in `where`, the member that breaks
 * the rule relative to the object, so the error points at it. */
struct oci_obj_problem {
    char message[256];
    char where[64]; /* pointer relative to the object, e.g. "namespaces/1/type"; "" = object */
};
typedef bool (*oci_obj_check_fn)(const void *obj, struct oci_obj_problem *ret);

struct oci_field {
    const char *name;   /* JSON member name */
    enum oci_kind kind; /* kind of the value or of each element */
    enum oci_shape shape;
    size_t offset;                  /* offset of the value / pointer / map */
    size_t aux_offset;              /* bool _present (scalars) or size_t _len (arrays) */
    const struct oci_desc *nested;  /* OCI_OBJECT: element descriptor */
    unsigned flags;                 /* enum oci_field_flags */
    const char *const *enum_values; /* OCI_STRING: allowed values, NULL-terminated */
    oci_check_fn check;
};

struct oci_desc {
    const char *name; /* C type name, for messages */
    size_t size;      /* sizeof the struct */
    const struct oci_field *fields;
    size_t nfields;
    oci_obj_check_fn check; /* optional, run after the field checks */
};

/* Generic map storage; values point at char* (string maps) or at T*. */
#define OCI_MAP(T)                                                                                 \
    struct {                                                                                       \
        char **keys;                                                                               \
        T *values;                                                                                 \
        size_t len;                                                                                \
    }
typedef OCI_MAP(char *) oci_string_map;

/* Table row helpers. T is the struct type, f the member (= JSON name). */
#define OCI_FIELD_(n, T, f, k, s, aux, nest, fl, en, ck)                                           \
    {                                                                                              \
        n, k, s, offsetof(T, f), aux, nest, fl, en, ck                                             \
    }
#define OCI_STR(T, f, fl) OCI_FIELD_(#f, T, f, OCI_STRING, OCI_SCALAR, 0, NULL, fl, NULL, NULL)
#define OCI_STR_CHECK(T, f, fl, ck)                                                                \
    OCI_FIELD_(#f, T, f, OCI_STRING, OCI_SCALAR, 0, NULL, fl, NULL, ck)
#define OCI_ENUM(T, f, fl, values)                                                                 \
    OCI_FIELD_(#f, T, f, OCI_STRING, OCI_SCALAR, 0, NULL, fl, values, NULL)
#define OCI_SCAL(T, f, k, fl, ck)                                                                  \
    OCI_FIELD_(#f, T, f, k, OCI_SCALAR, offsetof(T, f##_present), NULL, fl, NULL, ck)
#define OCI_OBJ(T, f, desc, fl)                                                                    \
    OCI_FIELD_(#f, T, f, OCI_OBJECT, OCI_SCALAR, 0, &(desc), fl, NULL, NULL)
#define OCI_ARR(T, f, k, fl)                                                                       \
    OCI_FIELD_(#f, T, f, k, OCI_ARRAY, offsetof(T, f##_len), NULL, fl, NULL, NULL)
#define OCI_ARR_CHECK(T, f, k, fl, ck) /* ck runs on each element */                               \
    OCI_FIELD_(#f, T, f, k, OCI_ARRAY, offsetof(T, f##_len), NULL, fl, NULL, ck)
#define OCI_ARR_ENUM(T, f, fl, values)                                                             \
    OCI_FIELD_(#f, T, f, OCI_STRING, OCI_ARRAY, offsetof(T, f##_len), NULL, fl, values, NULL)
#define OCI_ARR_OBJ(T, f, desc, fl)                                                                \
    OCI_FIELD_(#f, T, f, OCI_OBJECT, OCI_ARRAY, offsetof(T, f##_len), &(desc), fl, NULL, NULL)
#define OCI_MAP_STR(T, f, fl)     OCI_FIELD_(#f, T, f, OCI_STRING, OCI_MAP, 0, NULL, fl, NULL, NULL)
#define OCI_MAP_SCAL(T, f, k, fl) OCI_FIELD_(#f, T, f, k, OCI_MAP, 0, NULL, fl, NULL, NULL)
#define OCI_MAP_OBJ(T, f, desc, fl)                                                                \
    OCI_FIELD_(#f, T, f, OCI_OBJECT, OCI_MAP, 0, &(desc), fl, NULL, NULL)
#define OCI_DESC(ctype, fields)                                                                    \
    {                                                                                              \
#ctype, sizeof(ctype), fields, sizeof(fields) / sizeof((fields)[0]), NULL                  \
    }
#define OCI_DESC_CHECK(ctype, fields, fn)                                                          \
    {                                                                                              \
#ctype, sizeof(ctype), fields, sizeof(fields) / sizeof((fields)[0]), fn                    \
    }

/* Diagnostics: each carries a JSON pointer ("/linux/resources/memory/limit")
 * and a message ("expected a 64-bit integer, got string"). */
enum oci_diag_level { OCI_DIAG_ERROR, OCI_DIAG_WARNING };

struct oci_diag {
    enum oci_diag_level level;
    char *pointer;
    char *message;
};

struct oci_diags {
    struct oci_diag *items;
    size_t len;
    size_t nerrors; /* items with level OCI_DIAG_ERROR */
};

void oci_diags_add(struct oci_diags *d, enum oci_diag_level level, const char *pointer,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void oci_diags_clear(struct oci_diags *d);
/* "pointer: message" of the first error, or NULL. */
const char *oci_diags_first_error(const struct oci_diags *d, char *buf, size_t size);

/* Parses `len` bytes of JSON into a new object described by `desc`.
 * Returns NULL when there is at least one error (all errors and unknown-field
 * warnings are appended to `diags`, which may be NULL). */
void *oci_parse(const struct oci_desc *desc, const char *json, size_t len, struct oci_diags *diags);

/* Reads and parses a file; a read failure becomes a diag with pointer "". */
void *oci_parse_file(const struct oci_desc *desc, const char *path, struct oci_diags *diags);

/* Emits obj as JSON (members in table order, absent ones omitted); returns a
 * malloc'd NUL-terminated string, or NULL on allocation failure or when a
 * string is not valid UTF-8. */
char *oci_emit(const struct oci_desc *desc, const void *obj, bool pretty, size_t *ret_len);
enum oci_emit_flag {
    OCI_EMIT_PRETTY = 1 << 0,       /* indented, as `berth state` and `features` print */
    OCI_EMIT_REPLACE_UTF8 = 1 << 1, /* invalid UTF-8 in a string becomes U+FFFD (as Go's
                                     * encoding/json writes it) instead of failing: for
                                     * text that carries arbitrary bytes, such as log
                                     * messages naming odd paths */
};
char *oci_emit_with(const struct oci_desc *desc, const void *obj, unsigned flags, size_t *ret_len);
/* A top-level JSON array of n values laid out as an array field stores
 * them: elem gives the kind (and the descriptor of objects); values points
 * at the first; flags as oci_emit_with's. n == 0 gives "null" when
 * empty_null (Go's nil slice, as runc prints an empty list), else "[]".
 * NULL when out of memory. */
char *oci_emit_array(const struct oci_field *elem, const void *values, size_t n, unsigned flags,
                     bool empty_null, size_t *ret_len);

/* Parses a top-level JSON array whose elements are of elem's kind (the
 * counterpart of oci_emit_array): *ret_values gets the elements, laid out as
 * an array field stores them (non-NULL even when empty), *ret_len their
 * number. A JSON null is refused: the caller decides what absent means.
 * Returns 0, or -1 with the errors in diags (which may be NULL). */
int oci_parse_array(const struct oci_field *elem, const char *json, size_t len, void **ret_values,
                    size_t *ret_len, struct oci_diags *diags);
/* Reads and parses a file holding such an array (errors as oci_parse_file's). */
int oci_parse_array_file(const struct oci_field *elem, const char *path, void **ret_values,
                         size_t *ret_len, struct oci_diags *diags);
/* Frees what oci_parse_array returned. */
void oci_free_array(const struct oci_field *elem, void *values, size_t len);

/* Runs the table checks (required, enums, ranges, abs paths, checks) on an
 * object built in C rather than parsed; returns the number of errors. */
size_t oci_check(const struct oci_desc *desc, const void *obj, struct oci_diags *diags);

void oci_free(const struct oci_desc *desc, void *obj);
bool oci_equal(const struct oci_desc *desc, const void *a, const void *b);
/* Deep copy; NULL on allocation failure. */
void *oci_dup(const struct oci_desc *desc, const void *obj);

/* Looks up a field by JSON name in a descriptor (NULL when unknown). */
const struct oci_field *oci_desc_field(const struct oci_desc *desc, const char *name);

#endif
