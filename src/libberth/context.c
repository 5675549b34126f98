/* context.c: the warning channel from library to CLI. */
#include "context.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void berth_warn(const struct berth_context *ctx, const char *fmt, ...)
{
    char *msg = NULL;
    va_list ap;

    if (!ctx || !ctx->warn)
        return;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) >= 0) {
        ctx->warn(ctx->warn_data, msg);
        free(msg);
    }
    va_end(ap);
}
