/* systemd-annotations.c: runc's org.systemd.property.NAME annotations for
 * the systemd cgroup driver: each one a property of the container's unit,
 * its value in GVariant text format (runc's docs/systemd.md, "Auxiliary
 * properties"; runc parses them with godbus' ParseVariant).
 *
 * The part of the GVariant text format taken here is what systemd's
 * properties need: booleans, numbers with or without a type ("uint64 7",
 * "@t 7", "7" is an int32 as in GVariant, "1.5" a double), strings in
 * single or double quotes, and arrays of strings (['a', 'b'], "@as []").
 * Anything else is an error naming the annotation, at create, before
 * anything is made. As runc: a NAME is at least 3 ASCII letters, and a
 * NAME ending in a lowercase letter and "Sec" (TimeoutStopSec) is sent as
 * its "USec" property with the number of seconds turned into a uint64 of
 * microseconds. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "systemd-unit.h"
#include "util/cleanup.h"

#define PREFIX BERTH_SD_PROPERTY_PREFIX

/* The integer types: GVariant's names and D-Bus signatures, with ranges. */
static const struct {
    const char *name;
    char sig;
    long double min, max;
} ints[] = {
    {"byte", 'y', 0, UINT8_MAX},
    {"int16", 'n', INT16_MIN, INT16_MAX},
    {"uint16", 'q', 0, UINT16_MAX},
    {"int32", 'i', INT32_MIN, INT32_MAX},
    {"uint32", 'u', 0, UINT32_MAX},
    {"int64", 'x', INT64_MIN, INT64_MAX},
    {"uint64", 't', 0, (long double)UINT64_MAX},
};

struct parsed {
    char sig[3];   /* "b", "s", "d", one of ints[], or "as" */
    char *value;   /* as the helper takes it (systemd-unit.h) */
    bool negative; /* a number below zero */
    long double number;
};

static const char *skip_space(const char *s)
{
    return s + strspn(s, " \t\n");
}

/* A quoted string at *s (its quote char first); *s moves past it. */
static int parse_string(const char **s, char **ret)
{
    char quote = **s, *out = malloc(strlen(*s) + 1);
    const char *p = *s + 1;
    size_t n = 0;

    if (!out)
        return -ENOMEM;
    for (; *p && *p != quote; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            out[n++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
        } else {
            out[n++] = *p;
        }
    }
    if (*p != quote) {
        free(out);
        return -EINVAL;
    }
    out[n] = '\0';
    *s = p + 1;
    *ret = out;
    return 0;
}

/* A number (integer or, with '.' or an exponent, a double) into *ret;
 * sig is the type asked for, 0 when the text decides. */
static int parse_number(const char *s, char sig, struct parsed *ret)
{
    char *end = NULL;
    bool real = strpbrk(s, ".eE") != NULL;
    long double v = real ? strtold(s, &end) : (long double)strtoll(s, &end, 10);

    if (!real && s[0] != '-' && end != s && (*skip_space(end) == '\0')) /* beyond int64 */
        v = (long double)strtoull(s, &end, 10);
    if (end == s || *skip_space(end) != '\0' || !isfinite(v))
        return -EINVAL;
    if (sig == 0)
        sig = real ? 'd' : 'i';
    ret->number = v;
    ret->negative = v < 0;
    if (sig == 'd') {
        strcpy(ret->sig, "d");
        return asprintf(&ret->value, "%.17Lg", v) < 0 ? -ENOMEM : 0;
    }
    if (real)
        return -EINVAL;
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        if (ints[i].sig != sig)
            continue;
        if (v < ints[i].min || v > ints[i].max)
            return -ERANGE;
        ret->sig[0] = sig;
        ret->sig[1] = '\0';
        return asprintf(&ret->value, sig == 't' ? "%" PRIu64 : "%" PRId64,
                        sig == 't' ? (uint64_t)strtoull(s, NULL, 10) : (uint64_t)(int64_t)v) < 0
                   ? -ENOMEM
                   : 0;
    }
    return -EINVAL;
}

/* ['a', "b"]: each element followed by a newline (systemd-unit.h). */
static int parse_string_array(const char *s, struct parsed *ret)
{
    size_t cap = strlen(s) + 2, n = 0;
    _cleanup_free_ char *out = malloc(cap);

    if (!out)
        return -ENOMEM;
    s = skip_space(s + 1);
    while (*s && *s != ']') {
        _cleanup_free_ char *e = NULL;

        if ((*s != '\'' && *s != '"') || parse_string(&s, &e) < 0 || strchr(e, '\n'))
            return -EINVAL;
        n += (size_t)snprintf(out + n, cap - n, "%s\n", e);
        s = skip_space(s);
        if (*s == ',')
            s = skip_space(s + 1);
        else if (*s != ']')
            return -EINVAL;
    }
    if (*s != ']' || *skip_space(s + 1) != '\0')
        return -EINVAL;
    out[n] = '\0';
    strcpy(ret->sig, "as");
    ret->value = TAKE_PTR(out);
    return 0;
}

static int parse_value(const char *text, struct parsed *ret)
{
    const char *s = skip_space(text);
    char sig = 0;

    /* a type first: "uint64 7" or "@t 7" */
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        size_t len = strlen(ints[i].name);
        if (strncmp(s, ints[i].name, len) == 0 && (s[len] == ' ' || s[len] == '\t'))
            return parse_number(skip_space(s + len), ints[i].sig, ret);
    }
    if (strncmp(s, "double", 6) == 0 && (s[6] == ' ' || s[6] == '\t'))
        return parse_number(skip_space(s + 6), 'd', ret);
    if (s[0] == '@') {
        if (strncmp(s, "@as", 3) == 0 && (s[3] == ' ' || s[3] == '['))
            return *skip_space(s + 3) == '[' ? parse_string_array(skip_space(s + 3), ret) : -EINVAL;
        if (!s[1] || (s[2] != ' ' && s[2] != '\t'))
            return -EINVAL;
        sig = s[1];
        s = skip_space(s + 2);
        if (sig == 'b' || sig == 's') {
            struct parsed p = {.value = NULL};
            int r = parse_value(s, &p);
            if (r < 0 || p.sig[0] != sig) {
                free(p.value);
                return r < 0 ? r : -EINVAL;
            }
            *ret = p;
            return 0;
        }
        return parse_number(s, sig, ret);
    }
    if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0) {
        strcpy(ret->sig, "b");
        ret->value = strdup(s);
        return ret->value ? 0 : -ENOMEM;
    }
    if (s[0] == '\'' || s[0] == '"') {
        int r = parse_string(&s, &ret->value);
        if (r == 0 && *skip_space(s) != '\0') {
            free(ret->value);
            ret->value = NULL;
            r = -EINVAL;
        }
        strcpy(ret->sig, "s");
        return r;
    }
    if (s[0] == '[')
        return parse_string_array(s, ret);
    return parse_number(s, 0, ret);
}

/* runc's checkPropertyName */
static const char *bad_name(const char *name)
{
    if (strlen(name) < 3)
        return "too short";
    for (const char *c = name; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')))
            return "contains non-alphabetic character";
    return NULL;
}

int berth_sd_props_annotations(const oci_string_map *a, struct berth_sd_props *p,
                               berth_error_t *err)
{
    for (size_t i = 0; a && i < a->len; i++) {
        const char *key = a->keys[i], *name, *why;
        _cleanup_free_ char *usec = NULL;
        struct parsed v = {.value = NULL};
        size_t len;
        int r;

        /* (a shorter key has no name after the prefix to look at) */
        if (strncmp(key, PREFIX, strlen(PREFIX)) != 0)
            continue;
        name = key + strlen(PREFIX);
        len = strlen(name);
        if ((why = bad_name(name)))
            return berth_error_make(err, 0, "annotation %s name incorrect: %s", key, why);
        r = parse_value(a->values[i], &v);
        if (r == -ENOMEM)
            return berth_error_make(err, ENOMEM, "annotation %s", key);
        if (r < 0)
            return berth_error_make(err, -r, "annotation %s=%s value parse error", key,
                                    a->values[i]);
        /* "TimeoutStopSec": systemd's D-Bus name is TimeoutStopUSec */
        if (len > 3 && strcmp(name + len - 3, "Sec") == 0 && name[len - 4] >= 'a' &&
            name[len - 4] <= 'z') {
            long double us = v.number * 1000000.0L;
            bool number = strchr("ynqiuxtd", v.sig[0]) && !v.sig[1];

            free(v.value);
            v.value = NULL;
            if (!number || v.negative || us > (long double)UINT64_MAX)
                return berth_error_make(err, 0, "annotation %s=%s value parse error: not a number",
                                        key, a->values[i]);
            if (asprintf(&usec, "%.*sUSec", (int)(len - 3), name) < 0)
                return berth_error_make(err, ENOMEM, "annotation %s", key);
            name = usec;
            strcpy(v.sig, "t");
            if (asprintf(&v.value, "%" PRIu64, (uint64_t)us) < 0)
                return berth_error_make(err, ENOMEM, "annotation %s", key);
        }
        r = berth_sd_props_add(p, name, "%s:%s", v.sig, v.value);
        free(v.value);
        if (r < 0)
            return berth_error_make(err, ENOMEM, "annotation %s", key);
    }
    return 0;
}
