/* log-format.c: log record rendering, as runc's logrus writes it. JSON
 * records go through the JSON engine (a table of their three members):
 * strict JSON, with invalid UTF-8 replaced by U+FFFD as Go's encoding/json
 * does, so Go and Python decoders accept any message, even odd paths. The
 * text form quotes msg as Go's %q does. */
#include "log-format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oci.h"

const char *log_level_name(enum log_level level)
{
    switch (level) {
    case LOG_ERROR:
        return "error";
    case LOG_WARNING:
        return "warning";
    case LOG_DEBUG:
        return "debug";
    }
    return "error";
}

/* RFC 3339 with nanoseconds in UTC, e.g. 2026-11-28T01:27:34.123456789Z. */
static void format_time(char *buf, size_t size)
{
    struct timespec ts;
    struct tm tm;
    size_t n;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, size - n, ".%09ldZ", ts.tv_nsec);
}

/* {"level":...,"msg":...,"time":...}, logrus' order. */
struct log_record {
    char *level;
    char *msg;
    char *time;
};
static const struct oci_field record_fields[] = {
    OCI_STR(struct log_record, level, 0),
    OCI_STR(struct log_record, msg, 0),
    OCI_STR(struct log_record, time, 0),
};
static const struct oci_desc record_desc = OCI_DESC(struct log_record, record_fields);

/* Go %q-style quoting, as logrus' text formatter writes msg. */
static void put_text_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

char *log_format_record(enum log_level level, const char *msg, bool json)
{
    char *buf = NULL;
    size_t size = 0;
    char now[64];
    FILE *f = open_memstream(&buf, &size);

    if (!f)
        return NULL;
    format_time(now, sizeof(now));
    if (json) {
        const struct log_record rec = {(char *)log_level_name(level), (char *)msg, now};
        char *text = oci_emit_with(&record_desc, &rec, OCI_EMIT_REPLACE_UTF8, NULL);

        if (text)
            fprintf(f, "%s\n", text);
        free(text);
    } else {
        fprintf(f, "time=\"%s\" level=%s msg=", now, log_level_name(level));
        put_text_string(f, msg);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
