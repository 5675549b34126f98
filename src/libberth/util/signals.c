/* signals.c: signal name parsing and formatting.
 *
 * Real-time signals are numbered from glibc's SIGRTMIN (34), not the
 * kernel's 32: glibc reserves 32 and 33 for itself, and the programs running
 * in containers (systemd wants SIGRTMIN+3 to halt) are built against glibc,
 * so "RTMIN+3" must mean what they mean by it.
 */
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct signal_name {
    const char *name; /* without SIG */
    int signo;
};

/* First entry for a number is its canonical name. */
static const struct signal_name signal_names[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},   {"IOT", SIGIOT},   {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL},   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},   {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CLD", SIGCHLD},  {"CONT", SIGCONT},
    {"STOP", SIGSTOP},     {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},
    {"URG", SIGURG},       {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF},     {"WINCH", SIGWINCH}, {"IO", SIGIO},     {"POLL", SIGPOLL},
    {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

#define N_SIGNAL_NAMES (sizeof(signal_names) / sizeof(signal_names[0]))

/* Parses a non-empty decimal string without sign; -1 when it is not one. */
static long parse_decimal(const char *s)
{
    char *end = NULL;
    long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    return v;
}

/* "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n"; -1 when not such a name or out
 * of the real-time range. */
static int parse_realtime(const char *name)
{
    int base, sign;
    long off = 0;

    if (strncasecmp(name, "RTMIN", 5) == 0) {
        base = SIGRTMIN;
        sign = '+';
    } else if (strncasecmp(name, "RTMAX", 5) == 0) {
        base = SIGRTMAX;
        sign = '-';
    } else {
        return -1;
    }
    name += 5;
    if (*name != '\0') {
        if (*name != sign)
            return -1;
        off = parse_decimal(name + 1);
        if (off < 0 || off > SIGRTMAX - SIGRTMIN)
            return -1;
    }
    return sign == '+' ? base + (int)off : base - (int)off;
}

int berth_signal_parse(const char *s, int *ret, berth_error_t *err)
{
    const char *name = s;
    long num;
    int rt;

    num = parse_decimal(s);
    if (num >= 0) {
        if (num > SIGRTMAX)
            return berth_error_make(err, 0, "unknown signal %s", s);
        *ret = (int)num;
        return 0;
    }
    if (strncasecmp(name, "SIG", 3) == 0)
        name += 3;
    for (size_t i = 0; i < N_SIGNAL_NAMES; i++) {
        if (strcasecmp(name, signal_names[i].name) == 0) {
            *ret = signal_names[i].signo;
            return 0;
        }
    }
    rt = parse_realtime(name);
    if (rt < 0)
        return berth_error_make(err, 0, "unknown signal %s", s);
    *ret = rt;
    return 0;
}
