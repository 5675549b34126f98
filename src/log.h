/* log.h: where berth's own messages go (cli_fail and cli_warn are declared
 * in cli.h). Records go to the --log file (appended) or to stderr, as text
 * or as one JSON object per line with --log-format json:
 *   {"level":"error","msg":"...","time":"2026-01-02T03:04:05.123456789Z"}
 * A failing command writes exactly one error record: podman parses the whole
 * --log file as one JSON object and containerd takes the last error record.
 */
#ifndef BERTH_LOG_H
#define BERTH_LOG_H

#include "cli.h"

enum log_level { LOG_ERROR, LOG_WARNING, LOG_DEBUG };

/* Makes `cli` the log destination of this process; opens (creating it
 * 0644) the --log file once to report an unusable path early. */
int log_init(struct berth_cli *cli, berth_error_t *err);

/* Writes one record; debug records only with --debug. */
void log_write(enum log_level level, const char *msg);

/* Debug record, printf-style; a no-op without --debug. */
void cli_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The library's debug channel (berth_context.debug_log). */
void cli_debug_msg(void *cli, const char *msg);

/* Records a usage error (already printed to stderr by the parser) in the
 * --log file so engines reading only that file see why berth failed. */
void log_usage_error(const char *msg);

#endif
