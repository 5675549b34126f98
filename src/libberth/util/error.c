/* error.c: construction and release of berth_error_t. */
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int neg_status(int errnum)
{
    return errnum > 0 ? -errnum : -EINVAL;
}

int berth_error_make(berth_error_t *err, int errnum, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    va_end(ap);

    berth_error_release(err);
    *err = calloc(1, sizeof(**err));
    if (!*err) {
        free(text);
        return neg_status(errnum);
    }
    (*err)->status = errnum;
    if (errnum > 0 && text) {
        char *full = NULL;
        if (asprintf(&full, "%s: %s", text, strerror(errnum)) >= 0) {
            free(text);
            text = full;
        }
    }
    (*err)->msg = text ? text : strdup("out of memory");
    return neg_status(errnum);
}

int berth_error_wrap(berth_error_t *err, const char *fmt, ...)
{
    char *prefix = NULL, *full = NULL;
    va_list ap;

    if (!*err)
        return -EINVAL;
    va_start(ap, fmt);
    if (vasprintf(&prefix, fmt, ap) < 0)
        prefix = NULL;
    va_end(ap);
    if (prefix && asprintf(&full, "%s: %s", prefix, (*err)->msg) >= 0) {
        free((*err)->msg);
        (*err)->msg = full;
    }
    free(prefix);
    return neg_status((*err)->status);
}

int berth_error_ret(const berth_error_t *err)
{
    return neg_status(*err ? (*err)->status : EINVAL);
}

void berth_error_release(berth_error_t *err)
{
    if (!err || !*err)
        return;
    free((*err)->msg);
    free(*err);
    *err = NULL;
}
