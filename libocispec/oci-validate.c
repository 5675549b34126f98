/* oci-validate.c: the table checks of libocispec (required members, non-empty,
 * absolute paths, enum values, per-value and per-object check functions).
 * They run on C objects, so oci_parse() (after conversion) and oci_check()
 * (objects built in C) report the same problems with the same pointers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci-internal.h"

static bool in_enum(const char *const *values, const char *s)
{
    for (size_t i = 0; values[i] != NULL; i++)
        if (strcmp(values[i], s) == 0)
            return true;
    return false;
}

static void enum_error(struct oci_ctx *ctx, const char *const *values, const char *s)
{
    char *list = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&list, &len);

    if (f != NULL) {
        for (size_t i = 0; values[i] != NULL; i++)
            fprintf(f, "%s%s", i ? ", " : "", values[i]);
        if (fclose(f) != 0) {
            free(list);
            list = NULL;
        }
    }
    oci_ctx_error(ctx, "invalid value \"%.64s\", expected one of: %s", s, list ? list : "?");
    free(list);
}

static void check_string(struct oci_ctx *ctx, const struct oci_field *f, const char *s)
{
    if (s == NULL) {
        oci_ctx_error(ctx, "expected a string, got null");
        return;
    }
    if ((f->flags & OCI_NONEMPTY) && f->shape == OCI_SCALAR && s[0] == '\0')
        oci_ctx_error(ctx, "must not be empty");
    if ((f->flags & OCI_ABS_PATH) && s[0] != '/')
        oci_ctx_error(ctx, "must be an absolute path, got \"%.200s\"", s);
    if (f->enum_values != NULL && !in_enum(f->enum_values, s))
        enum_error(ctx, f->enum_values, s);
}

/* `value` points at the C storage of one value (for objects: the struct). */
static void check_value(struct oci_ctx *ctx, const struct oci_field *f, const void *value)
{
    char buf[128];
    const char *msg;

    if (f->kind == OCI_OBJECT) {
        oci_validate_object(ctx, f->nested, value);
        return;
    }
    if (f->kind == OCI_STRING) {
        check_string(ctx, f, *(char *const *)value);
        if (*(char *const *)value == NULL)
            return;
    }
    if (f->check == NULL)
        return;
    msg = f->check(value);
    if (msg != NULL) {
        oci_format_value(f->kind, value, buf, sizeof(buf));
        oci_ctx_error(ctx, "%s, got %s", msg, buf);
    }
}

static void check_array(struct oci_ctx *ctx, const struct oci_field *f, const void *obj)
{
    const char *base = *(void *const *)oci_at(obj, f->offset);
    size_t len = *(const size_t *)oci_at(obj, f->aux_offset);
    size_t esize = oci_elem_size(f);

    if ((f->flags & OCI_NONEMPTY) && len == 0)
        oci_ctx_error(ctx, "must not be empty");
    for (size_t i = 0; i < len && !oci_ctx_full(ctx); i++) {
        oci_ctx_push_index(ctx, i);
        check_value(ctx, f, base + i * esize);
        oci_ctx_pop(ctx);
    }
}

static void check_map(struct oci_ctx *ctx, const struct oci_field *f, const void *obj)
{
    const struct oci_map_any *m = oci_at(obj, f->offset);

    if ((f->flags & OCI_NONEMPTY) && m->len == 0)
        oci_ctx_error(ctx, "must not be empty");
    for (size_t i = 0; i < m->len && !oci_ctx_full(ctx); i++) {
        if (m->keys[i] == NULL) {
            oci_ctx_error(ctx, "map key %zu is null", i);
            continue;
        }
        oci_ctx_push_key(ctx, m->keys[i]);
        if (f->kind == OCI_STRING)
            check_value(ctx, f, &m->values[i]);
        else if (m->values[i] == NULL)
            oci_ctx_error(ctx, "expected %s, got null",
                          f->kind == OCI_OBJECT ? "an object" : oci_kind_desc(f->kind));
        else
            check_value(ctx, f, m->values[i]);
        oci_ctx_pop(ctx);
    }
}

static void check_field(struct oci_ctx *ctx, const struct oci_field *f, const void *obj)
{
    const void *slot = oci_at(obj, f->offset);

    if (!oci_field_present(f, obj)) {
        if (f->flags & OCI_REQUIRED) {
            oci_ctx_push_key(ctx, f->name);
            oci_ctx_error(ctx, "required field is missing");
            oci_ctx_pop(ctx);
        }
        return;
    }
    oci_ctx_push_key(ctx, f->name);
    if (f->shape == OCI_ARRAY)
        check_array(ctx, f, obj);
    else if (f->shape == OCI_MAP)
        check_map(ctx, f, obj);
    else if (f->kind == OCI_OBJECT)
        check_value(ctx, f, *(void *const *)slot);
    else
        check_value(ctx, f, slot);
    oci_ctx_pop(ctx);
}

/* Reports msg at the object's pointer extended by `where` ("a/0/b"). */
static void report_at(struct oci_ctx *ctx, char *where, const char *msg)
{
    size_t depth = 0;

    for (char *tok = strtok(where, "/"); tok; tok = strtok(NULL, "/"), depth++) {
        char *end;
        unsigned long idx = strtoul(tok, &end, 10);

        if (*end == '\0' && end != tok)
            oci_ctx_push_index(ctx, idx);
        else
            oci_ctx_push_key(ctx, tok);
    }
    oci_ctx_error(ctx, "%s", msg);
    while (depth-- > 0)
        oci_ctx_pop(ctx);
}

void oci_validate_object(struct oci_ctx *ctx, const struct oci_desc *desc, const void *obj)
{
    struct oci_obj_problem pb = {{0}};

    for (size_t i = 0; i < desc->nfields && !oci_ctx_full(ctx); i++)
        check_field(ctx, &desc->fields[i], obj);
    if (desc->check == NULL || oci_ctx_full(ctx))
        return;
    /* A whole-object rule over members that are already wrong only repeats
     * those errors. */
    if (ctx->skip_reported && oci_ctx_has_error_within(ctx))
        return;
    if (!desc->check(obj, &pb))
        return;
    report_at(ctx, pb.where, pb.message);
}

size_t oci_check(const struct oci_desc *desc, const void *obj, struct oci_diags *diags)
{
    struct oci_ctx ctx = {.diags = diags};

    oci_validate_object(&ctx, desc, obj);
    return ctx.nerrors;
}
