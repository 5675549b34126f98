/* validate-util.c: what every rule file of the validate module uses
 * (validate-internal.h): reporting a finding with its pointer and spec
 * section, and the predicates several concerns share. Below validate.c and
 * the validate-*.c rule files, so that the table of rules (validate.c)
 * calls the rule files and the rule files call only this. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/id-list.h"
#include "validate-internal.h"

/* ---- diagnostics -------------------------------------------------------- */

static void vdiag(struct vctx *v, enum oci_diag_level level, const char *ptr, const char *sec,
                  const char *fmt, va_list ap)
{
    _cleanup_free_ char *msg = NULL;

    if (level == OCI_DIAG_ERROR)
        v->nerrors++;
    if (!v->diags)
        return;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    oci_diags_add(v->diags, level, ptr, "%s: %s", sec, msg ? msg : fmt);
}

void v_error(struct vctx *v, const char *ptr, const char *sec, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(v, OCI_DIAG_ERROR, ptr, sec, fmt, ap);
    va_end(ap);
}

void v_warning(struct vctx *v, const char *ptr, const char *sec, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(v, OCI_DIAG_WARNING, ptr, sec, fmt, ap);
    va_end(ap);
}

const char *vp(struct vctx *v, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(v->ptr, sizeof(v->ptr), fmt, ap);
    va_end(ap);
    return v->ptr;
}

const char *vp_key(struct vctx *v, const char *prefix, const char *key)
{
    size_t n = (size_t)snprintf(v->ptr, sizeof(v->ptr), "%s/", prefix);

    for (const char *k = key ? key : ""; *k && n + 3 < sizeof(v->ptr); k++) {
        if (*k == '~' || *k == '/') {
            v->ptr[n++] = '~';
            v->ptr[n++] = *k == '~' ? '0' : '1';
        } else {
            v->ptr[n++] = *k;
        }
    }
    v->ptr[n < sizeof(v->ptr) ? n : sizeof(v->ptr) - 1] = '\0';
    return v->ptr;
}

/* ---- shared predicates -------------------------------------------------- */

bool v_abs(const char *path)
{
    return path && path[0] == '/';
}

bool v_has_dotdot(const char *path)
{
    for (const char *p = path; p && *p;) {
        size_t len = strcspn(p, "/");
        if (len == 2 && p[0] == '.' && p[1] == '.')
            return true;
        p += len;
        p += strspn(p, "/");
    }
    return false;
}

bool v_env_entry_ok(const char *entry)
{
    const char *eq = entry ? strchr(entry, '=') : NULL;

    return eq && eq != entry;
}

const char *v_parse_uint(const char *s, unsigned long *ret)
{
    unsigned long n = 0;

    if (*s < '0' || *s > '9')
        return NULL;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (n > 100000000UL)
            return NULL;
        n = n * 10 + (unsigned long)(*s - '0');
    }
    *ret = n;
    return s;
}

/* "0-3,7" (cpus, mems, execCPUAffinity, memoryPolicy.nodes): the same
 * parser as the code that applies them (id-list.h). */
bool v_id_list_ok(const char *list)
{
    return berth_id_list_parse(list, NULL, 0, NULL) == 0;
}

/* The kernel's dev_valid_name(): what a network interface may be called. */
const char *v_ifname_problem(const char *name)
{
    if (!name || !*name)
        return "is empty";
    if (strlen(name) > 15)
        return "is longer than 15 characters (IFNAMSIZ)";
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return "must not be \".\" or \"..\"";
    for (const char *c = name; *c; c++)
        if (*c == '/' || *c == ':' || *c == ' ' || (*c >= '\t' && *c <= '\r'))
            return "must not contain '/', ':' or white space";
    return NULL;
}

bool v_strv_contains(char **v, size_t n, const char *s)
{
    for (size_t i = 0; v && i < n; i++)
        if (v[i] && strcmp(v[i], s) == 0)
            return true;
    return false;
}

const oci_namespace *v_ns(const oci_config *cfg, const char *type)
{
    if (!cfg || !cfg->linux)
        return NULL;
    for (size_t i = 0; i < cfg->linux->namespaces_len; i++) {
        const oci_namespace *ns = &cfg->linux->namespaces[i];
        if (ns->type && strcmp(ns->type, type) == 0)
            return ns;
    }
    return NULL;
}

bool v_ns_new(const oci_config *cfg, const char *type)
{
    const oci_namespace *ns = v_ns(cfg, type);

    return ns && (!ns->path || !*ns->path);
}

const char *v_bundle_path(struct vctx *v, const char *path, char *buf, size_t size)
{
    const char *dir = v->o->bundle_dir ? v->o->bundle_dir : ".";

    if (v_abs(path))
        (void)snprintf(buf, size, "%s", path);
    else
        (void)snprintf(buf, size, "%s/%s", dir, path);
    return buf;
}
