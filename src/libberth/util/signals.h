/* signals.h: signal names <-> numbers for `kill` (and later `run`'s exit
 * status reporting). Names follow runc/kill(1): case-insensitive, with or
 * without the "SIG" prefix, plus RTMIN+n / RTMAX-n. */
#ifndef BERTH_SIGNALS_H
#define BERTH_SIGNALS_H

#include <stddef.h>

#include "error.h"

/* Parses "TERM", "SIGterm", "15", "SIGRTMIN+3", "RTMAX-1" into *ret.
 * Numbers 0..SIGRTMAX are accepted (0 only checks that the process
 * exists); anything else is -EINVAL "unknown signal %s". */
int berth_signal_parse(const char *s, int *ret, berth_error_t *err);

/* Canonical name with the SIG prefix ("SIGTERM", "SIGRTMIN+3"); writes into
 * buf and returns it, or NULL when signo is out of range. */
const char *berth_signal_name(int signo, char *buf, size_t size);

#endif
