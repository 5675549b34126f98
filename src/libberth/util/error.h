/* error.h: the error object every fallible berth function fills.
 *
 * Rule: a function returns a negative value if and only if it has set *err.
 * The value is -errno of the root cause (or -EINVAL for semantic errors).
 * Messages name the operation, the path or field, and end with the errno
 * text, e.g. "open `/run/berth/x/state.json`: No such file or directory".
 * Library code never prints or exits; the CLI decides what to show.
 */
#ifndef BERTH_ERROR_H
#define BERTH_ERROR_H

#include <stdarg.h>

typedef struct berth_error_s {
    int status; /* errno of the root cause, 0 when none applies */
    char *msg;
} * berth_error_t;

/* Sets *err to "<fmt>: strerror(errnum)" (or just <fmt> when errnum is 0)
 * and returns -errnum (-EINVAL when errnum is 0). */
int berth_error_make(berth_error_t *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same as berth_error_make with errnum = errno. */
#define berth_error_errno(err, ...) berth_error_make((err), errno, __VA_ARGS__)

/* Prefixes the message of an already set *err with "<fmt>: "; returns the
 * negative status. Used at module boundaries to add context. */
int berth_error_wrap(berth_error_t *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Returns the negative return value matching *err. */
int berth_error_ret(const berth_error_t *err);

void berth_error_release(berth_error_t *err);

#define _cleanup_error_ __attribute__((cleanup(berth_error_release)))

#endif
