/* systemd-bus.c: StartTransientUnit, SetUnitProperties and StopUnit over
 * sd-bus, waiting for the jobs (systemd-bus.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-bus.h>

#include "util/cleanup.h"
#include "systemd-bus.h"

#define SD_DEST    "org.freedesktop.systemd1"
#define SD_PATH    "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
/* runc's bound on a job: systemd answers in milliseconds unless it is
 * stuck, and an engine's create must not hang with it */
#define JOB_TIMEOUT_USEC (30ULL * 1000000)

struct berth_sd_bus {
    sd_bus *bus;
    int version; /* systemd's major version, 0 until read */
    /* the job being waited for, and what JobRemoved said of it */
    const char *job;
    char *result;
};

static int bus_fail(berth_error_t *err, int r, const sd_bus_error *e, const char *what,
                    const char *unit)
{
    if (e && sd_bus_error_is_set(e))
        return berth_error_make(err, -r, "%s `%s`: %s", what, unit,
                                e->message ? e->message : e->name);
    return berth_error_make(err, -r, "%s `%s`", what, unit);
}

int berth_sd_bus_open(bool user, struct berth_sd_bus **ret, berth_error_t *err)
{
    struct berth_sd_bus *b = calloc(1, sizeof(*b));
    int r;

    if (!b)
        return berth_error_make(err, ENOMEM, "systemd bus");
    r = user ? sd_bus_open_user(&b->bus) : sd_bus_open_system(&b->bus);
    if (r < 0) {
        free(b);
        return berth_error_make(err, -r, "connect to the %s bus of systemd",
                                user ? "user" : "system");
    }
    *ret = b;
    return 0;
}

void berth_sd_bus_close(struct berth_sd_bus *b)
{
    if (!b)
        return;
    sd_bus_flush_close_unref(b->bus);
    free(b->result);
    free(b);
}

/* systemd's version ("252.38-1~deb12u1" -> 252), for the properties an
 * older systemd does not know (systemd-unit.h "@V"); 0 if unreadable,
 * which keeps every property. */
static int sd_version(struct berth_sd_bus *b)
{
    sd_bus_error e = SD_BUS_ERROR_NULL;
    _cleanup_free_ char *v = NULL;

    if (b->version)
        return b->version;
    if (sd_bus_get_property_string(b->bus, SD_DEST, SD_PATH, SD_MANAGER, "Version", &e, &v) >= 0)
        b->version = atoi(v);
    sd_bus_error_free(&e);
    return b->version;
}

int berth_sd_bus_control_group(struct berth_sd_bus *b, char **ret, berth_error_t *err)
{
    sd_bus_error e = SD_BUS_ERROR_NULL;
    int r =
        sd_bus_get_property_string(b->bus, SD_DEST, SD_PATH, SD_MANAGER, "ControlGroup", &e, ret);

    if (r < 0)
        berth_error_make(err, -r, "systemd: the manager's ControlGroup%s%s", e.message ? ": " : "",
                         e.message ? e.message : "");
    sd_bus_error_free(&e);
    return r < 0 ? r : 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One "SIG:VALUE" as the variant's content. */
static int append_value(sd_bus_message *m, const char *sig, const char *value)
{
    _cleanup_free_ char *copy = NULL;
    char *save = NULL;
    int r;

    if (strcmp(sig, "s") == 0)
        return sd_bus_message_append_basic(m, 's', value);
    if (strcmp(sig, "b") == 0) {
        int v = strcmp(value, "true") == 0;
        return sd_bus_message_append_basic(m, 'b', &v);
    }
    if (strcmp(sig, "t") == 0) {
        uint64_t v = strtoull(value, NULL, 10);
        return sd_bus_message_append_basic(m, 't', &v);
    }
    /* the other numbers (org.systemd.property.* annotations), checked for
     * their range by systemd-annotations.c */
    if (sig[0] && !sig[1] && strchr("ynqiux", sig[0])) {
        int64_t v = strtoll(value, NULL, 10);
        union {
            uint8_t y;
            int16_t n;
            uint16_t q;
            int32_t i;
            uint32_t u;
            int64_t x;
        } u;

        switch (sig[0]) {
        case 'y':
            u.y = (uint8_t)v;
            break;
        case 'n':
            u.n = (int16_t)v;
            break;
        case 'q':
            u.q = (uint16_t)v;
            break;
        case 'i':
            u.i = (int32_t)v;
            break;
        case 'u':
            u.u = (uint32_t)v;
            break;
        default:
            u.x = v;
            break;
        }
        return sd_bus_message_append_basic(m, sig[0], &u);
    }
    if (strcmp(sig, "d") == 0) {
        double v = strtod(value, NULL);
        return sd_bus_message_append_basic(m, 'd', &v);
    }
    if (strcmp(sig, "as") == 0) { /* each string followed by '\n' */
        char *nl;

        if (!(copy = strdup(value)))
            return -ENOMEM;
        r = sd_bus_message_open_container(m, 'a', "s");
        for (char *e = copy; r >= 0 && (nl = strchr(e, '\n')); e = nl + 1) {
            *nl = '\0';
            r = sd_bus_message_append_basic(m, 's', e);
        }
        return r < 0 ? r : sd_bus_message_close_container(m);
    }
    if (strcmp(sig, "ay") == 0) {
        size_t n = strlen(value) / 2;
        _cleanup_free_ uint8_t *bytes = malloc(n ? n : 1);

        if (!bytes)
            return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
            int hi = hexval(value[2 * i]), lo = hexval(value[2 * i + 1]);
            if (hi < 0 || lo < 0)
                return -EINVAL;
            bytes[i] = (uint8_t)(hi << 4 | lo);
        }
        return sd_bus_message_append_array(m, 'y', bytes, n);
    }
    if (strcmp(sig, "au") != 0 && strcmp(sig, "a(ss)") != 0)
        return -EINVAL;
    if (!(copy = strdup(value)))
        return -ENOMEM;
    r = sd_bus_message_open_container(m, 'a', sig + 1);
    for (char *tok = strtok_r(copy, ",", &save); r >= 0 && tok; tok = strtok_r(NULL, ",", &save)) {
        if (sig[1] == 'u') {
            uint32_t v = (uint32_t)strtoul(tok, NULL, 10);
            r = sd_bus_message_append_basic(m, 'u', &v);
        } else {
            char *sp = strchr(tok, ' ');
            if (!sp)
                return -EINVAL;
            *sp = '\0';
            r = sd_bus_message_append(m, "(ss)", tok, sp + 1);
        }
    }
    return r < 0 ? r : sd_bus_message_close_container(m);
}

/* The a(sv) of props, leaving out what this systemd is too old for. */
static int append_props(struct berth_sd_bus *b, sd_bus_message *m, char *const *props, size_t n,
                        berth_error_t *err)
{
    int r = sd_bus_message_open_container(m, 'a', "(sv)");

    for (size_t i = 0; r >= 0 && i < n; i++) {
        _cleanup_free_ char *name = strdup(props[i]);
        char *eq, *sig, *value, *at;

        if (!name)
            return berth_error_make(err, ENOMEM, "unit properties");
        eq = strchr(name, '=');
        sig = eq ? eq + 1 : NULL;
        value = sig ? strchr(sig, ':') : NULL;
        if (!value)
            return berth_error_make(err, EINVAL, "unit property `%s`: not NAME=SIG:VALUE",
                                    props[i]);
        *eq = '\0';
        *value++ = '\0';
        if ((at = strchr(name, '@'))) {
            *at++ = '\0';
            if (sd_version(b) && sd_version(b) < atoi(at))
                continue;
        }
        r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
            r = sd_bus_message_append_basic(m, 's', name);
        if (r >= 0)
            r = sd_bus_message_open_container(m, 'v', sig);
        if (r >= 0)
            r = append_value(m, sig, value);
        if (r >= 0)
            r = sd_bus_message_close_container(m);
        if (r >= 0)
            r = sd_bus_message_close_container(m);
        if (r < 0)
            return berth_error_make(err, -r, "unit property `%s`", props[i]);
    }
    if (r >= 0)
        r = sd_bus_message_close_container(m);
    return r < 0 ? berth_error_make(err, -r, "unit properties") : 0;
}

static int on_job_removed(sd_bus_message *m, void *data, sd_bus_error *e)
{
    struct berth_sd_bus *b = data;
    const char *path = NULL, *unit = NULL, *result = NULL;
    uint32_t id;

    (void)e;
    if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
        return 0;
    if (b->job && path && strcmp(path, b->job) == 0 && !b->result)
        b->result = strdup(result ? result : "");
    return 0;
}

/* Reads the job path of a StartUnit-like reply (and drops the reply), then
 * runs the bus until JobRemoved of that job arrives (the match was added
 * before the call that made the job, so it cannot be missed). */
static int wait_job(struct berth_sd_bus *b, sd_bus_message *reply, const char *unit,
                    const char *what, berth_error_t *err)
{
    _cleanup_free_ char *job = NULL;
    const char *path = NULL;
    struct timespec now;
    uint64_t deadline;
    int r;

    r = sd_bus_message_read(reply, "o", &path);
    if (r >= 0 && !(job = strdup(path)))
        r = -ENOMEM;
    sd_bus_message_unref(reply);
    if (r < 0)
        return berth_error_make(err, -r, "%s `%s`: read its job", what, unit);

    clock_gettime(CLOCK_MONOTONIC, &now);
    deadline = (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000 + JOB_TIMEOUT_USEC;
    free(b->result);
    b->result = NULL;
    /* b->job borrows job: cleared before it is freed */
    b->job = job;
    r = 0;
    while (r == 0 && !b->result) {
        uint64_t t;

        r = sd_bus_process(b->bus, NULL);
        if (r < 0) {
            r = berth_error_make(err, -r, "%s `%s`: wait for its job", what, unit);
            break;
        }
        if (r > 0) {
            r = 0;
            continue;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        t = (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000;
        if (t >= deadline) {
            r = berth_error_make(err, ETIMEDOUT, "%s `%s`: its job did not finish in 30 s", what,
                                 unit);
            break;
        }
        r = sd_bus_wait(b->bus, deadline - t);
        if (r < 0)
            r = berth_error_make(err, -r, "%s `%s`: wait for its job", what, unit);
        else
            r = 0;
    }
    b->job = NULL;
    return r;
}

static void reset_failed(struct berth_sd_bus *b, const char *unit)
{
    sd_bus_error e = SD_BUS_ERROR_NULL;

    (void)sd_bus_call_method(b->bus, SD_DEST, SD_PATH, SD_MANAGER, "ResetFailedUnit", &e, NULL, "s",
                             unit);
    sd_bus_error_free(&e);
}

/* Subscribes to JobRemoved (once per connection). */
static int subscribe(struct berth_sd_bus *b, berth_error_t *err)
{
    int r = sd_bus_match_signal(b->bus, NULL, SD_DEST, SD_PATH, SD_MANAGER, "JobRemoved",
                                on_job_removed, b);

    return r < 0 ? berth_error_make(err, -r, "subscribe to systemd's job signals") : 0;
}

int berth_sd_bus_start(struct berth_sd_bus *b, const char *unit, char *const *props, size_t n,
                       berth_error_t *err)
{
    bool retried = false;
    int r;

    if ((r = subscribe(b, err)) < 0)
        return r;
    for (;;) {
        sd_bus_message *m = NULL, *reply = NULL;
        sd_bus_error e = SD_BUS_ERROR_NULL;

        r = sd_bus_message_new_method_call(b->bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
                                           "StartTransientUnit");
        if (r >= 0)
            r = sd_bus_message_append(m, "ss", unit, "replace");
        if (r < 0) {
            sd_bus_message_unref(m);
            return berth_error_make(err, -r, "start unit `%s`", unit);
        }
        if ((r = append_props(b, m, props, n, err)) < 0 ||
            (r = sd_bus_message_append(m, "a(sa(sv))", 0)) < 0) {
            sd_bus_message_unref(m);
            return r == -ENOMEM || !*err ? berth_error_make(err, -r, "start unit `%s`", unit)
                                         : berth_error_wrap(err, "start unit `%s`", unit);
        }
        r = sd_bus_call(b->bus, m, 0, &e, &reply);
        sd_bus_message_unref(m);
        if (r < 0 && !retried && sd_bus_error_has_name(&e, "org.freedesktop.systemd1.UnitExists")) {
            /* a leftover failed unit of an earlier container of this name:
             * let systemd drop it, and try once more (runc) */
            sd_bus_error_free(&e);
            reset_failed(b, unit);
            retried = true;
            continue;
        }
        if (r < 0) {
            r = bus_fail(err, r, &e, "start unit", unit);
            sd_bus_error_free(&e);
            return r;
        }
        r = wait_job(b, reply, unit, "start unit", err);
        if (r == 0 && strcmp(b->result, "done") != 0)
            r = berth_error_make(err, EIO, "start unit `%s`: its job ended with `%s`", unit,
                                 b->result);
        if (r < 0)
            reset_failed(b, unit);
        return r;
    }
}

int berth_sd_bus_set(struct berth_sd_bus *b, const char *unit, char *const *props, size_t n,
                     berth_error_t *err)
{
    sd_bus_message *m = NULL;
    sd_bus_error e = SD_BUS_ERROR_NULL;
    int r;

    r = sd_bus_message_new_method_call(b->bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
                                       "SetUnitProperties");
    if (r >= 0)
        r = sd_bus_message_append(m, "sb", unit, 1);
    if (r < 0) {
        sd_bus_message_unref(m);
        return berth_error_make(err, -r, "set properties of unit `%s`", unit);
    }
    if ((r = append_props(b, m, props, n, err)) < 0) {
        sd_bus_message_unref(m);
        return berth_error_wrap(err, "set properties of unit `%s`", unit);
    }
    r = sd_bus_call(b->bus, m, 0, &e, NULL);
    sd_bus_message_unref(m);
    if (r < 0)
        r = bus_fail(err, r, &e, "set properties of unit", unit);
    sd_bus_error_free(&e);
    return r < 0 ? r : 0;
}

int berth_sd_bus_stop(struct berth_sd_bus *b, const char *unit, berth_error_t *err)
{
    sd_bus_error e = SD_BUS_ERROR_NULL;
    sd_bus_message *reply = NULL;
    int r;

    if ((r = subscribe(b, err)) < 0)
        return r;
    r = sd_bus_call_method(b->bus, SD_DEST, SD_PATH, SD_MANAGER, "StopUnit", &e, &reply, "ss", unit,
                           "replace");
    if (r < 0) {
        /* gone already (a scope is collected once its processes died) */
        bool gone = sd_bus_error_has_name(&e, "org.freedesktop.systemd1.NoSuchUnit");

        r = gone ? 0 : bus_fail(err, r, &e, "stop unit", unit);
        sd_bus_error_free(&e);
        if (r == 0)
            reset_failed(b, unit);
        return r;
    }
    r = wait_job(b, reply, unit, "stop unit", err);
    /* a stop that did not end "done" (the unit failed as it stopped) still
     * stopped it: runc goes on too; reset-failed lets systemd drop it */
    reset_failed(b, unit);
    return r;
}
