/* run.h: running a helper program and taking its stderr as the message. */
#ifndef BERTH_RUN_H
#define BERTH_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

/* Where the output of a helper goes: NUL-terminated, trailing blanks cut,
 * at most size - 1 bytes kept. */
struct berth_run_buf {
    char *text;
    size_t size;
};

/* Runs argv[0] (searched in $PATH when `search`) with stdin on /dev/null,
 * stdout into out (or /dev/null when NULL), stderr into msg, and no other
 * fd of ours; waits for it. stdout is read to its end before stderr: for
 * helpers whose messages fit a pipe. *ret_status gets its wait status.
 * Returns 0 once it ran (whatever its exit), or a negative errno when it
 * could not be started (ENOENT: not installed). */
int berth_run_capture(char *const argv[], bool search, const struct berth_run_buf *out,
                      const struct berth_run_buf *msg, int *ret_status, berth_error_t *err);

#endif
