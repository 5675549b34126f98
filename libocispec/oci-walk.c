/* oci-walk.c: table-driven walks over C objects of libocispec that need no
 * JSON: free, equality and deep copy, plus the small per-kind helpers the
 * other engine files share.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci-internal.h"

size_t oci_elem_size(const struct oci_field *f)
{
    switch (f->kind) {
    case OCI_STRING:
        return sizeof(char *);
    case OCI_BOOL:
        return sizeof(bool);
    case OCI_INT32:
        return sizeof(int32_t);
    case OCI_UINT32:
        return sizeof(uint32_t);
    case OCI_INT64:
        return sizeof(int64_t);
    case OCI_UINT64:
        return sizeof(uint64_t);
    case OCI_UINT16:
        return sizeof(uint16_t);
    case OCI_INT:
        return sizeof(int);
    case OCI_DOUBLE:
        return sizeof(double);
    case OCI_OBJECT:
        return f->nested->size;
    }
    return 0;
}

const char *oci_kind_desc(enum oci_kind kind)
{
    switch (kind) {
    case OCI_STRING:
        return "a string";
    case OCI_BOOL:
        return "a boolean";
    case OCI_INT32:
    case OCI_INT:
        return "a 32-bit integer";
    case OCI_UINT32:
        return "a 32-bit unsigned integer";
    case OCI_INT64:
        return "a 64-bit integer";
    case OCI_UINT64:
        return "a 64-bit unsigned integer";
    case OCI_UINT16:
        return "a 16-bit unsigned integer";
    case OCI_DOUBLE:
        return "a number";
    case OCI_OBJECT:
        return "an object";
    }
    return "a value";
}

/* The shortest text that reads back as d, as Go's encoding/json writes a
 * float64: plain decimals for 1e-6 <= |d| < 1e21 (0, 1.5, 12.34, 100),
 * exponent form otherwise (1e+300, 1e-7). */
static void format_double(double d, char *buf, size_t size)
{
    double a = d < 0 ? -d : d;
    char e[40], *x;
    int prec, exp;

    for (prec = 1; prec < 17; prec++) {
        snprintf(e, sizeof(e), "%.*e", prec - 1, d);
        if (strtod(e, NULL) == d)
            break;
    }
    snprintf(e, sizeof(e), "%.*e", prec - 1, d);
    x = strchr(e, 'e');
    exp = atoi(x + 1);
    if (d == 0 || (a >= 1e-6 && a < 1e21)) {
        snprintf(buf, size, "%.*f", prec - 1 - exp > 0 ? prec - 1 - exp : 0, d);
        return;
    }
    /* C writes at least two exponent digits, Go's JSON one: e-07 -> e-7. */
    if ((x[1] == '-' || x[1] == '+') && x[2] == '0' && x[3] != '\0')
        memmove(x + 2, x + 3, strlen(x + 3) + 1);
    snprintf(buf, size, "%s", e);
}

void oci_format_value(enum oci_kind kind, const void *value, char *buf, size_t size)
{
    switch (kind) {
    case OCI_STRING:
        snprintf(buf, size, "\"%.100s\"", *(char *const *)value);
        break;
    case OCI_BOOL:
        snprintf(buf, size, "%s", *(const bool *)value ? "true" : "false");
        break;
    case OCI_INT32:
        snprintf(buf, size, "%" PRId32, *(const int32_t *)value);
        break;
    case OCI_INT:
        snprintf(buf, size, "%d", *(const int *)value);
        break;
    case OCI_UINT32:
        snprintf(buf, size, "%" PRIu32, *(const uint32_t *)value);
        break;
    case OCI_INT64:
        snprintf(buf, size, "%" PRId64, *(const int64_t *)value);
        break;
    case OCI_UINT64:
        snprintf(buf, size, "%" PRIu64, *(const uint64_t *)value);
        break;
    case OCI_UINT16:
        snprintf(buf, size, "%" PRIu16, *(const uint16_t *)value);
        break;
    case OCI_DOUBLE:
        format_double(*(const double *)value, buf, size);
        break;
    case OCI_OBJECT:
        snprintf(buf, size, "an object");
        break;
    }
}

bool oci_field_present(const struct oci_field *f, const void *obj)
{
    const void *slot = oci_at(obj, f->offset);

    if (f->shape == OCI_MAP)
        return ((const struct oci_map_any *)slot)->keys != NULL;
    if (f->shape == OCI_ARRAY || f->kind == OCI_STRING || f->kind == OCI_OBJECT)
        return *(void *const *)slot != NULL;
    return *(const bool *)oci_at(obj, f->aux_offset);
}

/* ---- free ---------------------------------------------------------------- */

static void free_value(const struct oci_field *f, void *value)
{
    if (f->kind == OCI_STRING)
        free(*(char **)value);
    else if (f->kind == OCI_OBJECT)
        oci_free_members(f->nested, value);
}

static void free_field(const struct oci_field *f, void *obj)
{
    void *slot = oci_at(obj, f->offset);

    if (f->shape == OCI_MAP) {
        struct oci_map_any *m = slot;

        for (size_t i = 0; i < m->len; i++) {
            if (m->keys != NULL)
                free(m->keys[i]);
            if (m->values != NULL && f->kind == OCI_OBJECT)
                oci_free(f->nested, m->values[i]);
            else if (m->values != NULL)
                free(m->values[i]);
        }
        free(m->keys);
        free(m->values);
    } else if (f->shape == OCI_ARRAY) {
        char *base = *(void **)slot;
        size_t len = *(size_t *)oci_at(obj, f->aux_offset);

        for (size_t i = 0; base != NULL && i < len; i++)
            free_value(f, base + i * oci_elem_size(f));
        free(base);
    } else if (f->kind == OCI_OBJECT) {
        oci_free(f->nested, *(void **)slot);
    } else if (f->kind == OCI_STRING) {
        free(*(char **)slot);
    }
}

void oci_free_array(const struct oci_field *elem, void *values, size_t len)
{
    for (size_t i = 0; values != NULL && i < len; i++)
        free_value(elem, (char *)values + i * oci_elem_size(elem));
    free(values);
}

void oci_free_members(const struct oci_desc *desc, void *obj)
{
    for (size_t i = 0; i < desc->nfields; i++)
        free_field(&desc->fields[i], obj);
}

void oci_free(const struct oci_desc *desc, void *obj)
{
    if (obj == NULL)
        return;
    oci_free_members(desc, obj);
    free(obj);
}

static bool field_equal(const struct oci_field *f, const void *a, const void *b);

/* ---- equality -------------------------------------------------------------- */

static bool strings_equal(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool value_equal(const struct oci_field *f, const void *a, const void *b)
{
    if (f->kind == OCI_STRING)
        return strings_equal(*(char *const *)a, *(char *const *)b);
    if (f->kind == OCI_OBJECT)
        return oci_equal(f->nested, a, b);
    return memcmp(a, b, oci_elem_size(f)) == 0;
}

static bool map_equal(const struct oci_field *f, const struct oci_map_any *a,
                      const struct oci_map_any *b)
{
    if (a->len != b->len)
        return false;
    for (size_t i = 0; i < a->len; i++) {
        if (!strings_equal(a->keys[i], b->keys[i]))
            return false;
        if (f->kind == OCI_STRING) {
            if (!strings_equal(a->values[i], b->values[i]))
                return false;
        } else if (f->kind != OCI_OBJECT) {
            if (!a->values[i] || !b->values[i] ? a->values[i] != b->values[i]
                                               : !value_equal(f, a->values[i], b->values[i]))
                return false;
        } else if (!oci_equal(f->nested, a->values[i], b->values[i])) {
            return false;
        }
    }
    return true;
}

static bool array_equal(const struct oci_field *f, const void *a, const void *b)
{
    const char *pa = *(void *const *)oci_at(a, f->offset);
    const char *pb = *(void *const *)oci_at(b, f->offset);
    size_t len = *(const size_t *)oci_at(a, f->aux_offset);
    size_t esize = oci_elem_size(f);

    if (len != *(const size_t *)oci_at(b, f->aux_offset))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!value_equal(f, pa + i * esize, pb + i * esize))
            return false;
    return true;
}

/* Values of absent members are ignored: only presence counts. */
static bool field_equal(const struct oci_field *f, const void *a, const void *b)
{
    bool pa = oci_field_present(f, a), pb = oci_field_present(f, b);

    if (pa != pb)
        return false;
    if (!pa)
        return true;
    if (f->shape == OCI_MAP)
        return map_equal(f, oci_at(a, f->offset), oci_at(b, f->offset));
    if (f->shape == OCI_ARRAY)
        return array_equal(f, a, b);
    if (f->kind == OCI_OBJECT)
        return oci_equal(f->nested, *(void *const *)oci_at(a, f->offset),
                         *(void *const *)oci_at(b, f->offset));
    return value_equal(f, oci_at(a, f->offset), oci_at(b, f->offset));
}

bool oci_equal(const struct oci_desc *desc, const void *a, const void *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    for (size_t i = 0; i < desc->nfields; i++)
        if (!field_equal(&desc->fields[i], a, b))
            return false;
    return true;
}

/* ---- deep copy ----------------------------------------------------------- */

/* Every step leaves dst freeable, so a failure just frees the copy. */
static int dup_members(const struct oci_desc *desc, const void *src, void *dst);

static int dup_string(const char *s, char **ret)
{
    if (s == NULL)
        return 0;
    *ret = strdup(s);
    return *ret == NULL ? -1 : 0;
}

static int dup_value(const struct oci_field *f, const void *src, void *dst)
{
    if (f->kind == OCI_STRING)
        return dup_string(*(char *const *)src, (char **)dst);
    if (f->kind == OCI_OBJECT)
        return dup_members(f->nested, src, dst);
    memcpy(dst, src, oci_elem_size(f));
    return 0;
}

static int dup_array(const struct oci_field *f, const void *src, void *dst)
{
    const char *base = *(void *const *)oci_at(src, f->offset);
    size_t len = *(const size_t *)oci_at(src, f->aux_offset);
    size_t esize = oci_elem_size(f);
    char *copy;

    if (base == NULL)
        return 0;
    copy = calloc(len ? len : 1, esize);
    if (copy == NULL)
        return -1;
    *(void **)oci_at(dst, f->offset) = copy;
    *(size_t *)oci_at(dst, f->aux_offset) = len;
    for (size_t i = 0; i < len; i++)
        if (dup_value(f, base + i * esize, copy + i * esize) < 0)
            return -1;
    return 0;
}

static int dup_map(const struct oci_field *f, const struct oci_map_any *src,
                   struct oci_map_any *dst)
{
    size_t n = src->len;

    if (src->keys == NULL)
        return 0;
    dst->keys = calloc(n ? n : 1, sizeof(char *));
    dst->values = calloc(n ? n : 1, sizeof(void *));
    if (dst->keys == NULL || dst->values == NULL)
        return -1;
    dst->len = n;
    for (size_t i = 0; i < n; i++) {
        if (dup_string(src->keys[i], &dst->keys[i]) < 0)
            return -1;
        if (f->kind == OCI_STRING) {
            if (dup_string(src->values[i], (char **)&dst->values[i]) < 0)
                return -1;
        } else if (f->kind != OCI_OBJECT && src->values[i] != NULL) {
            dst->values[i] = malloc(oci_elem_size(f));
            if (dst->values[i] == NULL)
                return -1;
            memcpy(dst->values[i], src->values[i], oci_elem_size(f));
        } else if (src->values[i] != NULL) {
            dst->values[i] = oci_dup(f->nested, src->values[i]);
            if (dst->values[i] == NULL)
                return -1;
        }
    }
    return 0;
}

static int dup_field(const struct oci_field *f, const void *src, void *dst)
{
    const void *slot = oci_at(src, f->offset);
    void *dslot = oci_at(dst, f->offset);

    if (f->shape == OCI_MAP)
        return dup_map(f, slot, dslot);
    if (f->shape == OCI_ARRAY)
        return dup_array(f, src, dst);
    if (f->kind == OCI_STRING)
        return dup_string(*(char *const *)slot, (char **)dslot);
    if (f->kind == OCI_OBJECT) {
        if (*(void *const *)slot == NULL)
            return 0;
        *(void **)dslot = oci_dup(f->nested, *(void *const *)slot);
        return *(void **)dslot == NULL ? -1 : 0;
    }
    memcpy(dslot, slot, oci_elem_size(f));
    *(bool *)oci_at(dst, f->aux_offset) = *(const bool *)oci_at(src, f->aux_offset);
    return 0;
}

static int dup_members(const struct oci_desc *desc, const void *src, void *dst)
{
    for (size_t i = 0; i < desc->nfields; i++)
        if (dup_field(&desc->fields[i], src, dst) < 0)
            return -1;
    return 0;
}

void *oci_dup(const struct oci_desc *desc, const void *obj)
{
    void *copy;

    if (obj == NULL)
        return NULL;
    copy = calloc(1, desc->size);
    if (copy == NULL)
        return NULL;
    if (dup_members(desc, obj, copy) < 0) {
        oci_free(desc, copy);
        return NULL;
    }
    return copy;
}
