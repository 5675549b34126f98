/* run.h: running a helper program and taking its stderr as the message. */
#ifndef BERTH_RUN_H
#define BERTH_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

/* Runs argv[0] (searched in $PATH when `search`) with stdin and stdout on
 * /dev/null, stderr into msg (NUL-terminated, trailing blanks cut, at most
 * size - 1 bytes kept) and no other fd of ours; waits for it. *ret_status
 * gets its wait status. Returns 0 once it ran (whatever its exit), or a
 * negative errno when it could not be started (ENOENT: not installed). */
int berth_run_capture(char *const argv[], bool search, char *msg, size_t size, int *ret_status,
                      berth_error_t *err);

#endif
