/* oci-emit.c: the JSON writer of libocispec. Members come out in table
 * order (stable output for state files and `features`), absent members are
 * omitted (or null with OCI_EMIT_NULL), arrays and maps that are present but
 * empty stay "[]" and "{}".
 */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "oci-internal.h"

static int gen_members(yajl_gen g, const struct oci_desc *desc, const void *obj);

static int gen_ok(yajl_gen_status s)
{
    return s == yajl_gen_status_ok ? 0 : -1;
}

static int gen_string(yajl_gen g, const char *s)
{
    /* A NULL string inside an array or map has no JSON form we could read
     * back as the same object. */
    if (s == NULL)
        return -1;
    return gen_ok(yajl_gen_string(g, (const unsigned char *)s, strlen(s)));
}

static int gen_object(yajl_gen g, const struct oci_desc *desc, const void *obj)
{
    if (obj == NULL)
        return -1;
    if (gen_ok(yajl_gen_map_open(g)) < 0 || gen_members(g, desc, obj) < 0)
        return -1;
    return gen_ok(yajl_gen_map_close(g));
}

/* `value` points at the C storage of one value (for objects: the struct). */
static int gen_value(yajl_gen g, const struct oci_field *f, const void *value)
{
    char buf[32];

    switch (f->kind) {
    case OCI_STRING:
        return gen_string(g, *(char *const *)value);
    case OCI_BOOL:
        return gen_ok(yajl_gen_bool(g, *(const bool *)value));
    case OCI_OBJECT:
        return gen_object(g, f->nested, value);
    default:
        /* Text form keeps uint64 values above INT64_MAX intact. */
        oci_format_value(f->kind, value, buf, sizeof(buf));
        return gen_ok(yajl_gen_number(g, buf, strlen(buf)));
    }
}

static int gen_array(yajl_gen g, const struct oci_field *f, const void *obj)
{
    const char *base = *(void *const *)oci_at(obj, f->offset);
    size_t len = *(const size_t *)oci_at(obj, f->aux_offset);
    size_t esize = oci_elem_size(f);

    if (gen_ok(yajl_gen_array_open(g)) < 0)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (gen_value(g, f, base + i * esize) < 0)
            return -1;
    return gen_ok(yajl_gen_array_close(g));
}

static int gen_map(yajl_gen g, const struct oci_field *f, const struct oci_map_any *m)
{
    if (gen_ok(yajl_gen_map_open(g)) < 0)
        return -1;
    for (size_t i = 0; i < m->len; i++) {
        if (gen_string(g, m->keys[i]) < 0)
            return -1;
        if (f->kind == OCI_STRING   ? gen_string(g, m->values[i]) < 0
            : f->kind == OCI_OBJECT ? gen_object(g, f->nested, m->values[i]) < 0
            : !m->values[i]         ? true
                                    : gen_value(g, f, m->values[i]) < 0)
            return -1;
    }
    return gen_ok(yajl_gen_map_close(g));
}

static int gen_field(yajl_gen g, const struct oci_field *f, const void *obj)
{
    const void *slot = oci_at(obj, f->offset);

    if (!oci_field_present(f, obj)) {
        if (!(f->flags & OCI_EMIT_NULL))
            return 0;
        return gen_string(g, f->name) < 0 ? -1 : gen_ok(yajl_gen_null(g));
    }
    if (gen_string(g, f->name) < 0)
        return -1;
    if (f->shape == OCI_ARRAY)
        return gen_array(g, f, obj);
    if (f->shape == OCI_MAP)
        return gen_map(g, f, slot);
    if (f->kind == OCI_OBJECT)
        return gen_object(g, f->nested, *(void *const *)slot);
    return gen_value(g, f, slot);
}

static int gen_members(yajl_gen g, const struct oci_desc *desc, const void *obj)
{
    for (size_t i = 0; i < desc->nfields; i++)
        if (gen_field(g, &desc->fields[i], obj) < 0)
            return -1;
    return 0;
}

/* The generator of one document. */
static yajl_gen gen_new(bool pretty)
{
    yajl_gen g = yajl_gen_alloc(NULL);

    if (g == NULL)
        return NULL;
    yajl_gen_config(g, yajl_gen_beautify, pretty ? 1 : 0);
    yajl_gen_config(g, yajl_gen_indent_string, "    ");
    /* Refuse to write JSON that no reader (ours included) would accept. */
    yajl_gen_config(g, yajl_gen_validate_utf8, 1);
    return g;
}

/* The document g holds, malloc'd and NUL-terminated; frees g. NULL when
 * generating failed (ok false) or memory ran out. */
static char *gen_take(yajl_gen g, bool ok, size_t *ret_len)
{
    const unsigned char *buf;
    char *out = NULL;
    size_t len;

    if (ok && yajl_gen_get_buf(g, &buf, &len) == yajl_gen_status_ok) {
        out = malloc(len + 1);
        if (out != NULL) {
            memcpy(out, buf, len);
            out[len] = '\0';
            if (ret_len != NULL)
                *ret_len = len;
        }
    }
    yajl_gen_free(g);
    return out;
}

char *oci_emit(const struct oci_desc *desc, const void *obj, bool pretty, size_t *ret_len)
{
    yajl_gen g = gen_new(pretty);

    return g ? gen_take(g, gen_object(g, desc, obj) == 0, ret_len) : NULL;
}

char *oci_emit_array(const struct oci_field *elem, const void *values, size_t n, bool pretty,
                     bool empty_null, size_t *ret_len)
{
    yajl_gen g = gen_new(pretty);
    size_t esize = oci_elem_size(elem);
    bool ok;

    if (g == NULL)
        return NULL;
    if (n == 0 && empty_null)
        return gen_take(g, gen_ok(yajl_gen_null(g)) == 0, ret_len);
    ok = gen_ok(yajl_gen_array_open(g)) == 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = gen_value(g, elem, (const char *)values + i * esize) == 0;
    return gen_take(g, ok && gen_ok(yajl_gen_array_close(g)) == 0, ret_len);
}
