/* oci-emit.c: the JSON writer of libocispec. Members come out in table
 * order (stable output for state files and `features`), absent members are
 * omitted (or null with OCI_EMIT_NULL), arrays and maps that are present but
 * empty stay "[]" and "{}".
 */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "oci-internal.h"

/* One document being written: yajl's generator and the options. */
struct gen {
    yajl_gen y;
    bool replace_utf8;
};

static int gen_members(struct gen *g, const struct oci_desc *desc, const void *obj);

static int gen_ok(yajl_gen_status s)
{
    return s == yajl_gen_status_ok ? 0 : -1;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when invalid
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_len(const unsigned char *s)
{
    size_t n;
    unsigned cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* s with every byte that does not start a valid UTF-8 sequence replaced
 * by U+FFFD, as Go's encoding/json writes it; malloc'd. */
static char *utf8_replaced(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    char *out = malloc(strlen(s) * 3 + 1), *o = out;

    if (out == NULL)
        return NULL;
    while (*p) {
        size_t n = utf8_len(p);

        if (n == 0) {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
        } else {
            memcpy(o, p, n);
            o += n;
            p += n;
        }
    }
    *o = '\0';
    return out;
}

static int gen_string(struct gen *g, const char *s)
{
    char *fixed;
    int r;

    /* A NULL string inside an array or map has no JSON form we could read
     * back as the same object. */
    if (s == NULL)
        return -1;
    if (!g->replace_utf8)
        return gen_ok(yajl_gen_string(g->y, (const unsigned char *)s, strlen(s)));
    fixed = utf8_replaced(s);
    if (fixed == NULL)
        return -1;
    r = gen_ok(yajl_gen_string(g->y, (const unsigned char *)fixed, strlen(fixed)));
    free(fixed);
    return r;
}

static int gen_object(struct gen *g, const struct oci_desc *desc, const void *obj)
{
    if (obj == NULL)
        return -1;
    if (gen_ok(yajl_gen_map_open(g->y)) < 0 || gen_members(g, desc, obj) < 0)
        return -1;
    return gen_ok(yajl_gen_map_close(g->y));
}

/* `value` points at the C storage of one value (for objects: the struct). */
static int gen_value(struct gen *g, const struct oci_field *f, const void *value)
{
    char buf[32];

    switch (f->kind) {
    case OCI_STRING:
        return gen_string(g, *(char *const *)value);
    case OCI_BOOL:
        return gen_ok(yajl_gen_bool(g->y, *(const bool *)value));
    case OCI_OBJECT:
        return gen_object(g, f->nested, value);
    default:
        /* Text form keeps uint64 values above INT64_MAX intact. */
        oci_format_value(f->kind, value, buf, sizeof(buf));
        return gen_ok(yajl_gen_number(g->y, buf, strlen(buf)));
    }
}

static int gen_array(struct gen *g, const struct oci_field *f, const void *obj)
{
    const char *base = *(void *const *)oci_at(obj, f->offset);
    size_t len = *(const size_t *)oci_at(obj, f->aux_offset);
    size_t esize = oci_elem_size(f);

    if (gen_ok(yajl_gen_array_open(g->y)) < 0)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (gen_value(g, f, base + i * esize) < 0)
            return -1;
    return gen_ok(yajl_gen_array_close(g->y));
}

static int gen_map(struct gen *g, const struct oci_field *f, const struct oci_map_any *m)
{
    if (gen_ok(yajl_gen_map_open(g->y)) < 0)
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
    return gen_ok(yajl_gen_map_close(g->y));
}

static int gen_field(struct gen *g, const struct oci_field *f, const void *obj)
{
    const void *slot = oci_at(obj, f->offset);

    if (!oci_field_present(f, obj)) {
        if (!(f->flags & OCI_EMIT_NULL))
            return 0;
        return gen_string(g, f->name) < 0 ? -1 : gen_ok(yajl_gen_null(g->y));
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

static int gen_members(struct gen *g, const struct oci_desc *desc, const void *obj)
{
    for (size_t i = 0; i < desc->nfields; i++)
        if (gen_field(g, &desc->fields[i], obj) < 0)
            return -1;
    return 0;
}

/* The generator of one document (g->y NULL when out of memory). */
static struct gen gen_new(unsigned flags)
{
    struct gen g = {yajl_gen_alloc(NULL), (flags & OCI_EMIT_REPLACE_UTF8) != 0};

    if (g.y == NULL)
        return g;
    yajl_gen_config(g.y, yajl_gen_beautify, (flags & OCI_EMIT_PRETTY) ? 1 : 0);
    yajl_gen_config(g.y, yajl_gen_indent_string, "    ");
    /* Refuse to write JSON that no reader (ours included) would accept. */
    yajl_gen_config(g.y, yajl_gen_validate_utf8, 1);
    return g;
}

/* The document g holds, malloc'd and NUL-terminated; frees g. NULL when
 * generating failed (ok false) or memory ran out. */
static char *gen_take(struct gen *g, bool ok, size_t *ret_len)
{
    const unsigned char *buf;
    char *out = NULL;
    size_t len;

    if (ok && yajl_gen_get_buf(g->y, &buf, &len) == yajl_gen_status_ok) {
        out = malloc(len + 1);
        if (out != NULL) {
            memcpy(out, buf, len);
            out[len] = '\0';
            if (ret_len != NULL)
                *ret_len = len;
        }
    }
    yajl_gen_free(g->y);
    return out;
}

char *oci_emit_with(const struct oci_desc *desc, const void *obj, unsigned flags, size_t *ret_len)
{
    struct gen g = gen_new(flags);

    return g.y ? gen_take(&g, gen_object(&g, desc, obj) == 0, ret_len) : NULL;
}

char *oci_emit(const struct oci_desc *desc, const void *obj, bool pretty, size_t *ret_len)
{
    return oci_emit_with(desc, obj, pretty ? OCI_EMIT_PRETTY : 0, ret_len);
}

char *oci_emit_array(const struct oci_field *elem, const void *values, size_t n, unsigned flags,
                     bool empty_null, size_t *ret_len)
{
    /* an empty array is "[]" even pretty (yajl would open a line) */
    struct gen g = gen_new(n == 0 ? flags & ~(unsigned)OCI_EMIT_PRETTY : flags);
    size_t esize = oci_elem_size(elem);
    bool ok;

    if (g.y == NULL)
        return NULL;
    if (n == 0 && empty_null)
        return gen_take(&g, gen_ok(yajl_gen_null(g.y)) == 0, ret_len);
    ok = gen_ok(yajl_gen_array_open(g.y)) == 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = gen_value(&g, elem, (const char *)values + i * esize) == 0;
    return gen_take(&g, ok && gen_ok(yajl_gen_array_close(g.y)) == 0, ret_len);
}
