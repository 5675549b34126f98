/* oci-diag.c: diagnostics of libocispec: the public oci_diags list and the
 * walk context that turns the current position into an RFC 6901 JSON
 * pointer, bounds the number of reports and drops follow-up noise.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci-internal.h"

static int diags_append(struct oci_diags *d, enum oci_diag_level level, const char *pointer,
                        char *message)
{
    struct oci_diag *items;
    char *ptr;

    ptr = strdup(pointer);
    if (ptr == NULL)
        return -1;
    items = realloc(d->items, (d->len + 1) * sizeof(*items));
    if (items == NULL) {
        free(ptr);
        return -1;
    }
    d->items = items;
    d->items[d->len++] = (struct oci_diag){.level = level, .pointer = ptr, .message = message};
    return 0;
}

void oci_diags_add(struct oci_diags *d, enum oci_diag_level level, const char *pointer,
                   const char *fmt, ...)
{
    va_list ap;
    char *message;
    int r;

    if (d == NULL)
        return;
    /* Count even when out of memory: callers decide on nerrors. */
    if (level == OCI_DIAG_ERROR)
        d->nerrors++;
    va_start(ap, fmt);
    r = vasprintf(&message, fmt, ap);
    va_end(ap);
    if (r < 0)
        return;
    if (diags_append(d, level, pointer ? pointer : "", message) < 0)
        free(message);
}

void oci_diags_clear(struct oci_diags *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->len; i++) {
        free(d->items[i].pointer);
        free(d->items[i].message);
    }
    free(d->items);
    *d = (struct oci_diags){0};
}

const char *oci_diags_first_error(const struct oci_diags *d, char *buf, size_t size)
{
    if (d == NULL || size == 0)
        return NULL;
    for (size_t i = 0; i < d->len; i++) {
        const struct oci_diag *it = &d->items[i];

        if (it->level != OCI_DIAG_ERROR)
            continue;
        if (it->pointer[0] == '\0')
            snprintf(buf, size, "%s", it->message);
        else
            snprintf(buf, size, "%s: %s", it->pointer, it->message);
        return buf;
    }
    return NULL;
}

void oci_ctx_push_key(struct oci_ctx *ctx, const char *key)
{
    if (ctx->depth >= OCI_PATH_MAX) {
        ctx->truncated = true;
        ctx->depth++;
        return;
    }
    ctx->segs[ctx->depth++] = (struct oci_seg){.key = key};
}

void oci_ctx_push_index(struct oci_ctx *ctx, size_t index)
{
    if (ctx->depth >= OCI_PATH_MAX) {
        ctx->truncated = true;
        ctx->depth++;
        return;
    }
    ctx->segs[ctx->depth++] = (struct oci_seg){.index = index};
}

void oci_ctx_pop(struct oci_ctx *ctx)
{
    ctx->depth--;
}

bool oci_ctx_full(const struct oci_ctx *ctx)
{
    return ctx->nerrors >= OCI_MAX_ERRORS;
}

/* RFC 6901: "~" is written "~0" and "/" is written "~1" inside a segment. */
static void append_escaped(FILE *f, const char *key)
{
    for (const char *p = key; *p; p++) {
        if (*p == '~')
            fputs("~0", f);
        else if (*p == '/')
            fputs("~1", f);
        else
            fputc(*p, f);
    }
}

static char *ctx_pointer(const struct oci_ctx *ctx)
{
    char *buf = NULL;
    size_t len = 0;
    size_t n = ctx->depth < OCI_PATH_MAX ? ctx->depth : OCI_PATH_MAX;
    FILE *f = open_memstream(&buf, &len);

    if (f == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        fputc('/', f);
        if (ctx->segs[i].key != NULL)
            append_escaped(f, ctx->segs[i].key);
        else
            fprintf(f, "%zu", ctx->segs[i].index);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* True when `pointer` is `prefix` or lies below it ("/a/1" is below "/a"). */
static bool pointer_within(const char *pointer, const char *prefix)
{
    size_t n = strlen(prefix);

    return strncmp(pointer, prefix, n) == 0 && (pointer[n] == '\0' || pointer[n] == '/');
}

/* After a conversion error the C object holds a zeroed stand-in; checking it
 * would only repeat the problem ("required field is missing"). */
static bool already_reported(const struct oci_ctx *ctx, const char *pointer)
{
    if (!ctx->skip_reported || ctx->diags == NULL)
        return false;
    for (size_t i = 0; i < ctx->diags->len; i++) {
        const struct oci_diag *it = &ctx->diags->items[i];

        if (it->level == OCI_DIAG_ERROR && pointer_within(pointer, it->pointer))
            return true;
    }
    return false;
}

/* Returns false when the report was dropped as a follow-up of an earlier one. */
static bool ctx_report(struct oci_ctx *ctx, enum oci_diag_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static bool ctx_report(struct oci_ctx *ctx, enum oci_diag_level level, const char *fmt, va_list ap)
{
    char *pointer, *message;

    if (ctx->diags == NULL)
        return true;
    pointer = ctx_pointer(ctx);
    if (pointer != NULL && already_reported(ctx, pointer)) {
        free(pointer);
        return false;
    }
    if (pointer == NULL || vasprintf(&message, fmt, ap) < 0) {
        /* Out of memory: still count the report. */
        if (level == OCI_DIAG_ERROR)
            ctx->diags->nerrors++;
        free(pointer);
        return true;
    }
    oci_diags_add(ctx->diags, level, pointer, "%s", message);
    free(message);
    free(pointer);
    return true;
}

bool oci_ctx_has_error_within(const struct oci_ctx *ctx)
{
    char *pointer;
    bool found = false;

    if (ctx->diags == NULL)
        return ctx->nerrors > 0;
    pointer = ctx_pointer(ctx);
    if (pointer == NULL)
        return ctx->nerrors > 0;
    for (size_t i = 0; i < ctx->diags->len && !found; i++) {
        const struct oci_diag *it = &ctx->diags->items[i];

        found = it->level == OCI_DIAG_ERROR && pointer_within(it->pointer, pointer);
    }
    free(pointer);
    return found;
}

void oci_ctx_error(struct oci_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    bool reported;

    if (ctx->nerrors >= OCI_MAX_ERRORS)
        return;
    va_start(ap, fmt);
    reported = ctx_report(ctx, OCI_DIAG_ERROR, fmt, ap);
    va_end(ap);
    if (!reported)
        return;
    if (++ctx->nerrors == OCI_MAX_ERRORS && ctx->diags != NULL)
        oci_diags_add(ctx->diags, OCI_DIAG_ERROR, "", "too many errors, stopped after %d",
                      OCI_MAX_ERRORS);
}

void oci_ctx_warn(struct oci_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    if (ctx->nwarnings >= OCI_MAX_WARNINGS)
        return;
    va_start(ap, fmt);
    if (ctx_report(ctx, OCI_DIAG_WARNING, fmt, ap))
        ctx->nwarnings++;
    va_end(ap);
}
