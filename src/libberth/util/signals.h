/* signals.h: signal names -> numbers for `kill`. Names follow runc/kill(1): case-insensitive, with
 * or without the "SIG" prefix, plus RTMIN+n / RTMAX-n. */
#ifndef BERTH_SIGNALS_H
#define BERTH_SIGNALS_H

#include "error.h"

/* Parses "TERM", "SIGterm", "15", "SIGRTMIN+3", "RTMAX-1" into *ret.
 * Numbers 0..SIGRTMAX are accepted (0 only checks that the process
 * exists); anything else is -EINVAL "unknown signal %s". */
int berth_signal_parse(const char *s, int *ret, berth_error_t *err);

#endif
