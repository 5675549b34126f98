/* log.c: the destination and policy of berth's log records.
 *
 * Matches runc 1.1: without --log, records go to stderr; with --log they are
 * appended to that file and an error is also printed to stderr as plain text
 * (engines that do not read the file, and humans, still see it). The error
 * record is written at most once per process (see log.h for why).
 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/io.h"
#include "log-format.h"

/* The CLI state of this process; set by log_init. Before that (global
 * option parsing) records go to stderr as text. */
static const struct berth_cli *log_cli;
static bool error_written;

int log_init(struct berth_cli *cli, berth_error_t *err)
{
    _cleanup_close_ int fd = -1;

    cli->ctx.warn = cli_warn;
    cli->ctx.debug_log = cli_debug_msg;
    cli->ctx.warn_data = cli;
    log_cli = cli;
    if (!cli->log_path)
        return 0;
    fd = open(cli->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        log_cli = NULL; /* report this failure on stderr */
        return berth_error_errno(err, "open log file `%s`", cli->log_path);
    }
    return 0;
}

/* One write() per record so concurrent writers (the shim runs several
 * berth processes against one log.json) never interleave inside a line. */
static void write_all(int fd, const char *buf)
{
    size_t len = strlen(buf);

    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

/* Plain "berth: [level: ]msg" for a human reading stderr. */
static void write_plain(enum log_level level, const char *msg)
{
    if (level == LOG_ERROR)
        fprintf(stderr, "berth: %s\n", msg);
    else
        fprintf(stderr, "berth: %s: %s\n", log_level_name(level), msg);
    fflush(stderr);
}

/* Appends the record to the --log file; returns false when it cannot. */
static bool write_file(enum log_level level, const char *msg, bool *ret_is_stderr)
{
    _cleanup_close_ int fd = -1;
    _cleanup_free_ char *rec = NULL;

    fd = open(log_cli->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    rec = log_format_record(level, msg, log_cli->log_json);
    if (!rec)
        return false;
    write_all(fd, rec);
    *ret_is_stderr = berth_fd_same_file(fd, STDERR_FILENO);
    return true;
}

static void write_record(enum log_level level, const char *msg, bool echo_error)
{
    bool is_stderr = false;

    if (!log_cli || (!log_cli->log_path && !log_cli->log_json)) {
        write_plain(level, msg);
        return;
    }
    if (!log_cli->log_path) {
        _cleanup_free_ char *rec = log_format_record(level, msg, true);
        if (rec)
            write_all(STDERR_FILENO, rec);
        else
            write_plain(level, msg);
        return;
    }
    if (!write_file(level, msg, &is_stderr)) {
        if (echo_error) /* an unwritable log must not hide the message */
            write_plain(level, msg);
        return;
    }
    if (level == LOG_ERROR && echo_error && !is_stderr)
        write_plain(level, msg);
}

void log_write(enum log_level level, const char *msg)
{
    if (level == LOG_DEBUG && !(log_cli && log_cli->ctx.debug))
        return;
    if (level == LOG_ERROR && error_written) {
        /* keep the log at one error record, but do not lose the message */
        write_plain(level, msg);
        return;
    }
    if (level == LOG_ERROR)
        error_written = true;
    write_record(level, msg, true);
}

void log_usage_error(const char *msg)
{
    /* the parser printed it to stderr already: only the file needs it */
    if (!log_cli || !log_cli->log_path || error_written)
        return;
    error_written = true;
    write_record(LOG_ERROR, msg, false);
}

void cli_debug(const char *fmt, ...)
{
    _cleanup_free_ char *msg = NULL;
    va_list ap;

    if (!(log_cli && log_cli->ctx.debug))
        return;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    if (msg)
        log_write(LOG_DEBUG, msg);
}

void cli_debug_msg(void *cli, const char *msg)
{
    (void)cli;
    log_write(LOG_DEBUG, msg);
}

void cli_warn(void *cli, const char *msg)
{
    (void)cli; /* log_cli is the same object once log_init ran */
    log_write(LOG_WARNING, msg);
}

int cli_fail(struct berth_cli *cli, berth_error_t *err)
{
    (void)cli;
    log_write(LOG_ERROR, *err && (*err)->msg ? (*err)->msg : "unknown error");
    berth_error_release(err);
    return 1;
}
