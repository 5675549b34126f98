/* oci-engine.c: the parser of libocispec. It turns JSON text into the C
 * structs of oci-types.h by walking a yajl tree with the descriptor tables:
 * conversion (JSON type, integer range, duplicates, unknown members) happens
 * here, the table checks (required, enums, paths, check fns) run afterwards in
 * oci-validate.c on the finished C object, so oci_check() shares them.
 *
 * Hostile input is bounded before yajl sees it (size, nesting depth, NUL
 * bytes): yajl_tree_free() recurses once per nesting level.
 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#include "oci-internal.h"

/* Members of one object tracked for duplicates; checked by the unit tests. */
#define OCI_MAX_FIELDS 64

static void parse_members(struct oci_ctx *ctx, const struct oci_desc *desc, yajl_val v, void *obj);

static const char *json_type_name(yajl_val v)
{
    switch (v->type) {
    case yajl_t_string:
        return "string";
    case yajl_t_number:
        return "number";
    case yajl_t_object:
        return "object";
    case yajl_t_array:
        return "array";
    case yajl_t_true:
    case yajl_t_false:
        return "boolean";
    default:
        return "null";
    }
}

static int type_error(struct oci_ctx *ctx, const char *expected, yajl_val v)
{
    oci_ctx_error(ctx, "expected %s, got %s", expected, json_type_name(v));
    return -1;
}

static int oom_error(struct oci_ctx *ctx)
{
    oci_ctx_error(ctx, "out of memory");
    return -1;
}

static bool kind_unsigned(enum oci_kind kind)
{
    return kind == OCI_UINT16 || kind == OCI_UINT32 || kind == OCI_UINT64;
}

static uint64_t kind_umax(enum oci_kind kind)
{
    if (kind == OCI_UINT16)
        return UINT16_MAX;
    if (kind == OCI_UINT32)
        return UINT32_MAX;
    return UINT64_MAX;
}

static void kind_srange(enum oci_kind kind, int64_t *min, int64_t *max)
{
    if (kind == OCI_INT64) {
        *min = INT64_MIN;
        *max = INT64_MAX;
    } else { /* OCI_INT32, OCI_INT: int is 32 bits on every Linux ABI */
        *min = INT32_MIN;
        *max = INT32_MAX;
    }
}

static void store_integer(enum oci_kind kind, void *dst, uint64_t u, int64_t s)
{
    switch (kind) {
    case OCI_UINT16:
        *(uint16_t *)dst = (uint16_t)u;
        break;
    case OCI_UINT32:
        *(uint32_t *)dst = (uint32_t)u;
        break;
    case OCI_UINT64:
        *(uint64_t *)dst = u;
        break;
    case OCI_INT32:
        *(int32_t *)dst = (int32_t)s;
        break;
    case OCI_INT:
        *(int *)dst = (int)s;
        break;
    default:
        *(int64_t *)dst = s;
        break;
    }
}

/* yajl_tree keeps the number's text, so the full uint64 range is available
 * (its own long long conversion stops at INT64_MAX). */
static int parse_uint(const char *raw, enum oci_kind kind, uint64_t *ret)
{
    unsigned long long u;
    char *end;

    if (raw[0] == '-') /* "-0" is zero, anything else is out of range */
        return raw[1 + strspn(raw + 1, "0")] == '\0' ? (*ret = 0, 0) : -1;
    errno = 0;
    u = strtoull(raw, &end, 10);
    if (errno != 0 || *end != '\0' || u > kind_umax(kind))
        return -1;
    *ret = u;
    return 0;
}

static int parse_sint(const char *raw, enum oci_kind kind, int64_t *ret)
{
    long long s;
    int64_t min, max;
    char *end;

    errno = 0;
    s = strtoll(raw, &end, 10);
    kind_srange(kind, &min, &max);
    if (errno != 0 || *end != '\0' || s < min || s > max)
        return -1;
    *ret = s;
    return 0;
}

static int conv_integer(struct oci_ctx *ctx, enum oci_kind kind, yajl_val v, void *dst)
{
    const char *raw;
    uint64_t u = 0;
    int64_t s = 0;
    int r;

    if (!YAJL_IS_NUMBER(v))
        return type_error(ctx, oci_kind_desc(kind), v);
    raw = v->u.number.r;
    /* Fractions and exponents are not integers, as for Go's encoding/json. */
    if (raw[strcspn(raw, ".eE")] != '\0')
        r = -1;
    else if (kind_unsigned(kind))
        r = parse_uint(raw, kind, &u);
    else
        r = parse_sint(raw, kind, &s);
    if (r < 0) {
        oci_ctx_error(ctx, "expected %s, got %.40s%s", oci_kind_desc(kind), raw,
                      strlen(raw) > 40 ? "..." : "");
        return -1;
    }
    store_integer(kind, dst, u, s);
    return 0;
}

/* Converts one value into its C storage: char * for strings, the integer or
 * bool itself, or the struct memory (already allocated) for objects. */
static int conv_value(struct oci_ctx *ctx, const struct oci_field *f, yajl_val v, void *dst)
{
    switch (f->kind) {
    case OCI_STRING:
        if (!YAJL_IS_STRING(v))
            return type_error(ctx, "a string", v);
        /* The tree's own copy is taken over, not duplicated: yajl_tree
         * allocates strings with malloc and yajl_tree_free frees NULL
         * harmlessly, and every value is converted once. */
        *(char **)dst = v->u.string;
        v->u.string = NULL;
        return 0;
    case OCI_BOOL:
        if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
            return type_error(ctx, "a boolean", v);
        *(bool *)dst = YAJL_IS_TRUE(v);
        return 0;
    case OCI_OBJECT:
        if (!YAJL_IS_OBJECT(v))
            return type_error(ctx, "an object", v);
        parse_members(ctx, f->nested, v, dst);
        return 0;
    case OCI_DOUBLE: {
        char *end;
        double d;

        if (!YAJL_IS_NUMBER(v))
            return type_error(ctx, "a number", v);
        errno = 0;
        d = strtod(v->u.number.r, &end);
        if (errno != 0 || *end != '\0' || !isfinite(d)) {
            oci_ctx_error(ctx, "%s is not a finite number", v->u.number.r);
            return -1;
        }
        *(double *)dst = d;
        return 0;
    }
    default:
        return conv_integer(ctx, f->kind, v, dst);
    }
}

static void parse_scalar(struct oci_ctx *ctx, const struct oci_field *f, yajl_val v, void *obj)
{
    void *slot = oci_at(obj, f->offset);

    if (f->kind == OCI_OBJECT) {
        if (!YAJL_IS_OBJECT(v)) {
            type_error(ctx, "an object", v);
            return;
        }
        *(void **)slot = calloc(1, f->nested->size);
        if (*(void **)slot == NULL) {
            oom_error(ctx);
            return;
        }
        parse_members(ctx, f->nested, v, *(void **)slot);
        return;
    }
    if (conv_value(ctx, f, v, slot) == 0 && f->kind != OCI_STRING)
        *(bool *)oci_at(obj, f->aux_offset) = true;
}

static void parse_array(struct oci_ctx *ctx, const struct oci_field *f, yajl_val v, void *obj)
{
    size_t n, esize = oci_elem_size(f);
    char *base;

    if (!YAJL_IS_ARRAY(v)) {
        type_error(ctx, "an array", v);
        return;
    }
    n = v->u.array.len;
    /* Non-NULL even when empty: [] and absent must stay distinct. */
    base = calloc(n ? n : 1, esize);
    if (base == NULL) {
        oom_error(ctx);
        return;
    }
    *(void **)oci_at(obj, f->offset) = base;
    *(size_t *)oci_at(obj, f->aux_offset) = n;
    for (size_t i = 0; i < n && !oci_ctx_full(ctx); i++) {
        oci_ctx_push_index(ctx, i);
        conv_value(ctx, f, v->u.array.values[i], base + i * esize);
        oci_ctx_pop(ctx);
    }
}

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Duplicate keys are ambiguous (Go keeps the last, others the first), so
 * they are an error. Sorting keeps this O(n log n) for huge maps. */
static void check_map_duplicates(struct oci_ctx *ctx, const struct oci_map_any *m)
{
    char **sorted;

    if (m->len < 2)
        return;
    sorted = malloc(m->len * sizeof(*sorted));
    if (sorted == NULL) {
        oom_error(ctx);
        return;
    }
    memcpy(sorted, m->keys, m->len * sizeof(*sorted));
    qsort(sorted, m->len, sizeof(*sorted), cmp_keys);
    for (size_t i = 1; i < m->len && !oci_ctx_full(ctx); i++) {
        if (strcmp(sorted[i - 1], sorted[i]) != 0)
            continue;
        oci_ctx_push_key(ctx, sorted[i]);
        oci_ctx_error(ctx, "duplicate key");
        oci_ctx_pop(ctx);
    }
    free(sorted);
}

static void parse_map_value(struct oci_ctx *ctx, const struct oci_field *f, yajl_val v, void **slot)
{
    if (f->kind == OCI_STRING) {
        conv_value(ctx, f, v, slot);
        return;
    }
    if (f->kind != OCI_OBJECT) {
        *slot = calloc(1, oci_elem_size(f));
        if (*slot == NULL)
            oom_error(ctx);
        else
            conv_value(ctx, f, v, *slot);
        return;
    }
    if (!YAJL_IS_OBJECT(v)) {
        type_error(ctx, "an object", v);
        return;
    }
    *slot = calloc(1, f->nested->size);
    if (*slot == NULL) {
        oom_error(ctx);
        return;
    }
    parse_members(ctx, f->nested, v, *slot);
}

static void parse_map(struct oci_ctx *ctx, const struct oci_field *f, yajl_val v, void *obj)
{
    struct oci_map_any *m = oci_at(obj, f->offset);
    size_t n;

    if (!YAJL_IS_OBJECT(v)) {
        type_error(ctx, "an object", v);
        return;
    }
    n = v->u.object.len;
    m->keys = calloc(n ? n : 1, sizeof(char *));
    m->values = calloc(n ? n : 1, sizeof(void *));
    if (m->keys == NULL || m->values == NULL) {
        oom_error(ctx);
        return;
    }
    m->len = n;
    for (size_t i = 0; i < n && !oci_ctx_full(ctx); i++) {
        const char *key = v->u.object.keys[i];

        m->keys[i] = strdup(key);
        if (m->keys[i] == NULL) {
            oom_error(ctx);
            return;
        }
        oci_ctx_push_key(ctx, key);
        parse_map_value(ctx, f, v->u.object.values[i], &m->values[i]);
        oci_ctx_pop(ctx);
    }
    if (!oci_ctx_full(ctx))
        check_map_duplicates(ctx, m);
}

static void parse_field(struct oci_ctx *ctx, const struct oci_field *f, yajl_val v, void *obj)
{
    if (YAJL_IS_NULL(v)) {
        /* null means absent (Go's encoding/json writes it for nil), which
         * is only an error for a required member. */
        if (f->flags & OCI_REQUIRED)
            oci_ctx_error(ctx, "expected %s, got null",
                          f->shape == OCI_SCALAR  ? oci_kind_desc(f->kind)
                          : f->shape == OCI_ARRAY ? "an array"
                                                  : "an object");
        return;
    }
    if (f->shape == OCI_ARRAY)
        parse_array(ctx, f, v, obj);
    else if (f->shape == OCI_MAP)
        parse_map(ctx, f, v, obj);
    else
        parse_scalar(ctx, f, v, obj);
}

/* The field named `name`; `hint` is tried first: documents written by an
 * emitter (ours, runc's) list members in table order, so the one after the
 * previous member is nearly always the next one. */
static int field_index(const struct oci_desc *desc, const char *name, size_t hint)
{
    if (hint < desc->nfields && strcmp(desc->fields[hint].name, name) == 0)
        return (int)hint;
    for (size_t i = 0; i < desc->nfields; i++)
        if (strcmp(desc->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

static void parse_members(struct oci_ctx *ctx, const struct oci_desc *desc, yajl_val v, void *obj)
{
    bool seen[OCI_MAX_FIELDS] = {false};
    size_t hint = 0;

    for (size_t i = 0; i < v->u.object.len && !oci_ctx_full(ctx); i++) {
        const char *key = v->u.object.keys[i];
        int idx = field_index(desc, key, hint);

        hint = idx < 0 ? hint : (size_t)idx + 1;

        oci_ctx_push_key(ctx, key);
        if (idx < 0 || idx >= OCI_MAX_FIELDS) {
            /* Not stored: the spec lets runtimes ignore unknown members. */
            oci_ctx_warn(ctx, "unknown field");
        } else if (seen[idx]) {
            oci_ctx_error(ctx, "duplicate member");
        } else {
            seen[idx] = true;
            parse_field(ctx, &desc->fields[idx], v->u.object.values[i], obj);
        }
        oci_ctx_pop(ctx);
    }
}

/* The bytes prescan stops at; everything else is skipped in a tight loop
 * (state.json is parsed once per container by `list`). */
enum { PS_NUL = 1, PS_QUOTE, PS_BACKSLASH, PS_OPEN, PS_CLOSE };
static const unsigned char prescan_class[256] = {
    ['\0'] = PS_NUL, ['"'] = PS_QUOTE, ['\\'] = PS_BACKSLASH, ['{'] = PS_OPEN,
    ['['] = PS_OPEN, ['}'] = PS_CLOSE, [']'] = PS_CLOSE,
};

/* Size, NUL bytes and nesting depth, checked in one pass before yajl: a NUL
 * would silently truncate what yajl_tree_parse() sees, and "\u0000" inside a
 * string would truncate the C string (a path, say) without notice. */
static int prescan(struct oci_ctx *ctx, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t depth = 0;
    bool in_string = false;

    if (len > OCI_MAX_INPUT) {
        oci_ctx_error(ctx, "document larger than %u bytes", OCI_MAX_INPUT);
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        while (i < len && !prescan_class[u[i]])
            i++;
        if (i == len)
            break;
        switch (prescan_class[u[i]]) {
        case PS_NUL:
            oci_ctx_error(ctx, "invalid JSON: NUL byte at offset %zu", i);
            return -1;
        case PS_QUOTE:
            in_string = !in_string;
            break;
        case PS_BACKSLASH:
            if (!in_string)
                break;
            if (len - i > 5 && memcmp(s + i + 1, "u0000", 5) == 0) {
                oci_ctx_error(ctx, "invalid JSON: \\u0000 in a string at offset %zu", i);
                return -1;
            }
            if (i + 1 < len && s[i + 1] != '\0')
                i++; /* skip the escaped character */
            break;
        case PS_OPEN:
            if (!in_string && ++depth > OCI_MAX_DEPTH) {
                oci_ctx_error(ctx, "nesting deeper than %d levels at offset %zu", OCI_MAX_DEPTH, i);
                return -1;
            }
            break;
        case PS_CLOSE:
            if (!in_string && depth > 0)
                depth--;
            break;
        }
    }
    return 0;
}

/* yajl_tree_parse() reports no position; a callback-less pass finds it. */
static void error_position(const char *buf, size_t len, size_t *line, size_t *col)
{
    yajl_handle h = yajl_alloc(NULL, NULL, NULL);
    size_t off = len;

    *line = 1;
    *col = 1;
    if (h == NULL)
        return;
    /* On error, the last consumed byte is the offending one. */
    if (yajl_parse(h, (const unsigned char *)buf, len) != yajl_status_ok)
        off = yajl_get_bytes_consumed(h);
    if (off > 0)
        off--;
    yajl_free(h);
    for (size_t i = 0; i < off && i < len; i++) {
        if (buf[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static yajl_val parse_tree(struct oci_ctx *ctx, const char *json, size_t len)
{
    char errbuf[256] = "";
    size_t line, col;
    char small[4096], *heap = NULL, *buf = small;
    yajl_val tree;

    /* yajl wants a NUL-terminated copy. A small document (a state.json,
     * which list parses once per container) is copied to the stack: a
     * heap copy of over 1 KiB per document made glibc consolidate the
     * previous document's freed nodes each time. */
    if (len >= sizeof(small)) {
        buf = heap = malloc(len + 1);
        if (buf == NULL) {
            oom_error(ctx);
            return NULL;
        }
    }
    memcpy(buf, json, len);
    buf[len] = '\0';
    tree = yajl_tree_parse(buf, errbuf, sizeof(errbuf));
    if (tree == NULL) {
        /* yajl's verbose message continues with a snippet after '\n'. */
        errbuf[strcspn(errbuf, "\n")] = '\0';
        error_position(buf, len, &line, &col);
        oci_ctx_error(ctx, "invalid JSON at line %zu, column %zu: %s", line, col,
                      errbuf[0] ? errbuf : "parse error");
    }
    free(heap);
    return tree;
}

void *oci_parse(const struct oci_desc *desc, const char *json, size_t len, struct oci_diags *diags)
{
    struct oci_ctx ctx = {.diags = diags};
    yajl_val tree;
    void *obj;

    if (json == NULL) {
        json = "";
        len = 0;
    }
    if (prescan(&ctx, json, len) < 0)
        return NULL;
    tree = parse_tree(&ctx, json, len);
    if (tree == NULL)
        return NULL;
    if (!YAJL_IS_OBJECT(tree)) {
        type_error(&ctx, "an object", tree);
        yajl_tree_free(tree);
        return NULL;
    }
    obj = calloc(1, desc->size);
    if (obj == NULL) {
        oom_error(&ctx);
        yajl_tree_free(tree);
        return NULL;
    }
    parse_members(&ctx, desc, tree, obj);
    yajl_tree_free(tree);
    /* Without diags, a conversion error already decides the result. */
    if (!oci_ctx_full(&ctx) && (ctx.nerrors == 0 || diags != NULL)) {
        ctx.skip_reported = true;
        oci_validate_object(&ctx, desc, obj);
    }
    if (ctx.nerrors > 0) {
        oci_free(desc, obj);
        return NULL;
    }
    return obj;
}

/* A top-level array is stored as an array member is: a pointer to the
 * elements and their count, so parse_array serves both. */
struct top_array {
    void *values;
    size_t len;
};

int oci_parse_array(const struct oci_field *elem, const char *json, size_t len, void **ret_values,
                    size_t *ret_len, struct oci_diags *diags)
{
    struct oci_ctx ctx = {.diags = diags};
    struct oci_field f = *elem;
    struct top_array top = {0};
    yajl_val tree;

    f.shape = OCI_ARRAY;
    f.offset = offsetof(struct top_array, values);
    f.aux_offset = offsetof(struct top_array, len);
    if (json == NULL) {
        json = "";
        len = 0;
    }
    if (prescan(&ctx, json, len) < 0 || (tree = parse_tree(&ctx, json, len)) == NULL)
        return -1;
    parse_array(&ctx, &f, tree, &top);
    yajl_tree_free(tree);
    /* objects get their table checks; strings and numbers were checked
     * for their type while converted */
    for (size_t i = 0; f.kind == OCI_OBJECT && i < top.len && !oci_ctx_full(&ctx); i++) {
        oci_ctx_push_index(&ctx, i);
        oci_validate_object(&ctx, f.nested, (char *)top.values + i * oci_elem_size(&f));
        oci_ctx_pop(&ctx);
    }
    if (ctx.nerrors > 0) {
        oci_free_array(elem, top.values, top.len);
        return -1;
    }
    *ret_values = top.values;
    *ret_len = top.len;
    return 0;
}

static char *read_all(int fd, size_t *ret_len, int *ret_errno)
{
    size_t len = 0, cap = 0;
    char *buf = NULL, *nbuf;
    ssize_t n;

    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            nbuf = realloc(buf, cap);
            if (nbuf == NULL) {
                *ret_errno = ENOMEM;
                free(buf);
                return NULL;
            }
            buf = nbuf;
        }
        n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *ret_errno = errno;
            free(buf);
            return NULL;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > OCI_MAX_INPUT) {
            *ret_errno = EFBIG;
            free(buf);
            return NULL;
        }
    }
    *ret_len = len;
    return buf;
}

/* The file's bytes, or NULL with a diag that names the path. */
static char *read_file(const char *path, size_t *ret_len, struct oci_diags *diags)
{
    int fd, err = 0;
    char *buf;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (diags != NULL)
            oci_diags_add(diags, OCI_DIAG_ERROR, "", "open `%s`: %s", path, strerror(errno));
        return NULL;
    }
    buf = read_all(fd, ret_len, &err);
    close(fd);
    if (buf == NULL && diags != NULL)
        oci_diags_add(diags, OCI_DIAG_ERROR, "", "read `%s`: %s", path, strerror(err));
    return buf;
}

void *oci_parse_file(const struct oci_desc *desc, const char *path, struct oci_diags *diags)
{
    size_t len = 0;
    char *buf = read_file(path, &len, diags);
    void *obj;

    if (buf == NULL)
        return NULL;
    obj = oci_parse(desc, buf, len, diags);
    free(buf);
    return obj;
}

int oci_parse_array_file(const struct oci_field *elem, const char *path, void **ret_values,
                         size_t *ret_len, struct oci_diags *diags)
{
    size_t len = 0;
    char *buf = read_file(path, &len, diags);
    int r;

    if (buf == NULL)
        return -1;
    r = oci_parse_array(elem, buf, len, ret_values, ret_len, diags);
    free(buf);
    return r;
}

const struct oci_field *oci_desc_field(const struct oci_desc *desc, const char *name)
{
    int idx = field_index(desc, name, 0);

    return idx < 0 ? NULL : &desc->fields[idx];
}
