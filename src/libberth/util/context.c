/* context.c: the warning and debug channels from library to CLI. */
#include "context.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void emit(berth_warn_fn fn, void *data, const char *fmt, va_list ap)
{
    char *msg = NULL;

    if (vasprintf(&msg, fmt, ap) >= 0) {
        fn(data, msg);
        free(msg);
    }
}

void berth_warn(const struct berth_context *ctx, const char *fmt, ...)
{
    va_list ap;

    if (!ctx || !ctx->warn)
        return;
    va_start(ap, fmt);
    emit(ctx->warn, ctx->warn_data, fmt, ap);
    va_end(ap);
}

void berth_debug(const struct berth_context *ctx, const char *fmt, ...)
{
    va_list ap;

    if (!ctx || !ctx->debug || !ctx->debug_log)
        return;
    va_start(ap, fmt);
    emit(ctx->debug_log, ctx->warn_data, fmt, ap);
    va_end(ap);
}
