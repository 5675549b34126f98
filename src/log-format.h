/* log-format.h: renders one log record as text or JSON. */
#ifndef BERTH_LOG_FORMAT_H
#define BERTH_LOG_FORMAT_H

#include <stdbool.h>

#include "log.h"

/* "error", "warning" or "debug" (logrus' names, which engines compare). */
const char *log_level_name(enum log_level level);

/* Returns a malloc'd record ending in "\n", or NULL when out of memory:
 *   json: {"level":"error","msg":"...","time":"<RFC 3339, nanoseconds, UTC>"}
 *   text: time="<same>" level=error msg="..."   (logrus' text form, as runc)
 */
char *log_format_record(enum log_level level, const char *msg, bool json);

#endif
