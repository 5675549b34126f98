/* oci-checks.c: per-value check functions used by the descriptor tables,
 * one per pattern or range the spec text or its JSON schema states. Each
 * returns NULL when the value is fine, else a static message.
 */
#include <ctype.h>
#include <string.h>

#include "oci-checks.h"

/* Matches "^PREFIX[set]+$" (plus=true) or "^PREFIX[set]*$". */
static bool match_prefix_set(const char *s, const char *prefix, const char *set, bool plus)
{
    size_t n = strlen(prefix);

    if (strncmp(s, prefix, n) != 0)
        return false;
    s += n;
    if (plus && *s == '\0')
        return false;
    return s[strspn(s, set)] == '\0';
}

#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGIT "0123456789"

/* config.md "POSIX process": rlimit type, schema pattern ^RLIMIT_[A-Z]+$ */
const char *oci_check_rlimit_type(const void *v)
{
    return match_prefix_set(*(char *const *)v, "RLIMIT_", UPPER, true)
               ? NULL
               : "must match ^RLIMIT_[A-Z]+$";
}

/* features-linux.json: capabilities items ^CAP_[A-Z_]+$ */
const char *oci_check_cap_name(const void *v)
{
    return match_prefix_set(*(char *const *)v, "CAP_", UPPER "_", true)
               ? NULL
               : "must match ^CAP_[A-Z_]+$";
}

/* config-linux.md "Huge page limits": schema pattern ^[1-9][0-9]*[KMG]B$ */
const char *oci_check_page_size(const void *v)
{
    const char *s = *(char *const *)v;
    size_t digits = strspn(s, DIGIT);

    if (digits > 0 && s[0] != '0' && s[digits] != '\0' && strchr("KMG", s[digits]) &&
        strcmp(s + digits + 1, "B") == 0)
        return NULL;
    return "must match ^[1-9][0-9]*[KMG]B$";
}

/* config-linux.md "IntelRdt": memBwSchema pattern ^MB:[^\n]*$ */
const char *oci_check_mem_bw_schema(const void *v)
{
    const char *s = *(char *const *)v;

    return strncmp(s, "MB:", 3) == 0 && strchr(s, '\n') == NULL ? NULL : "must match ^MB:[^\\n]*$";
}

/* config.md "execCPUAffinity": pattern ^[0-9, -]*$ */
const char *oci_check_cpu_list(const void *v)
{
    return match_prefix_set(*(char *const *)v, "", DIGIT ", -", false) ? NULL
                                                                       : "must match ^[0-9, -]*$";
}

/* config-linux.md "Device allowlist": access is a composition of r, w, m */
const char *oci_check_cgroup_access(const void *v)
{
    return match_prefix_set(*(char *const *)v, "", "rwm", false)
               ? NULL
               : "must be a combination of r, w and m";
}

/* defs.json FileMode: 0 to 511 (0777) */
const char *oci_check_file_mode(const void *v)
{
    return *(const uint32_t *)v <= 0777 ? NULL : "must be between 0 and 511 (0777)";
}

/* config.md "POSIX-platform Hooks": timeout MUST be greater than zero */
const char *oci_check_hook_timeout(const void *v)
{
    return *(const int *)v >= 1 ? NULL : "must be greater than zero";
}

/* config.md "ioPriority": priority ranges from 0 (highest) to 7 (lowest) */
const char *oci_check_io_priority(const void *v)
{
    int32_t p = *(const int32_t *)v;

    return p >= 0 && p <= 7 ? NULL : "must be between 0 and 7";
}

/* state-schema.json: pid minimum 0 */
const char *oci_check_pid(const void *v)
{
    return *(const int64_t *)v >= 0 ? NULL : "must not be negative";
}

/* A SemVer 2.0.0 numeric identifier: digits without a leading zero. */
static const char *semver_number(const char *s)
{
    size_t n = strspn(s, DIGIT);

    if (n == 0 || (n > 1 && s[0] == '0'))
        return NULL;
    return s + n;
}

/* Dot-separated non-empty identifiers of [0-9A-Za-z-]. */
static bool semver_idents(const char *s, size_t len)
{
    size_t run = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            if (run == 0)
                return false;
            run = 0;
        } else if (isalnum((unsigned char)s[i]) || s[i] == '-') {
            run++;
        } else {
            return false;
        }
    }
    return run > 0;
}

/* config.md "Specification version": ociVersion MUST be SemVer v2.0.0 */
const char *oci_check_semver(const void *v)
{
    const char *s = *(char *const *)v;
    const char *msg = "must be a SemVer 2.0.0 version such as 1.3.0";
    size_t pre;

    for (int i = 0; i < 3; i++) {
        s = semver_number(s);
        if (s == NULL || (i < 2 && *s++ != '.'))
            return msg;
    }
    if (*s == '-') {
        pre = strcspn(s + 1, "+");
        if (!semver_idents(s + 1, pre))
            return msg;
        s += 1 + pre;
    }
    if (*s == '+' && !semver_idents(s + 1, strlen(s + 1)))
        return msg;
    return *s == '\0' || *s == '+' ? NULL : msg;
}
