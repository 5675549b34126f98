/* caps.c: capability sets via libcap and prctl. */
#include "caps.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "util/cleanup.h"

static inline void cap_freep(cap_t *c)
{
    if (*c)
        cap_free(*c);
}

/* Whether berth's bounding set holds v, asked of the kernel once per
 * capability: engines name the same ~14 in three or four sets. Only the
 * parent resolves (create, exec), before any process of berth drops from
 * its bounding set, so the answers cannot go stale. */
static bool in_bounding_set(cap_value_t v)
{
    static uint64_t asked, held;
    uint64_t bit = UINT64_C(1) << v;

    if (!(asked & bit)) {
        if (prctl(PR_CAPBSET_READ, v, 0, 0, 0) == 1)
            held |= bit;
        asked |= bit;
    }
    return held & bit;
}

/* One name -> bit; 0 and a warning when it cannot be used. */
static uint64_t resolve_one(const struct berth_context *ctx, const char *name)
{
    cap_value_t v;

    if (strncasecmp(name, "CAP_", 4) != 0 || cap_from_name(name, &v) < 0) {
        berth_warn(ctx, "capabilities: ignoring unknown capability `%s`", name);
        return 0;
    }
    if (v >= (cap_value_t)cap_max_bits() || v >= 64) {
        berth_warn(ctx, "capabilities: ignoring `%s`, not supported by the running kernel", name);
        return 0;
    }
    /* A capability berth itself cannot hold cannot be granted either. */
    if (!in_bounding_set(v)) {
        berth_warn(ctx, "capabilities: ignoring `%s`, not in berth's bounding set", name);
        return 0;
    }
    return UINT64_C(1) << v;
}

static uint64_t resolve_set(const struct berth_context *ctx, char **names, size_t len)
{
    uint64_t mask = 0;

    for (size_t i = 0; i < len; i++)
        mask |= resolve_one(ctx, names[i]);
    return mask;
}

void berth_caps_resolve(const struct berth_context *ctx, const oci_capabilities *c,
                        struct berth_caps *ret)
{
    /* No process.capabilities: the process gets none, in any set, as with
     * runc (config.md leaves it open; keeping berth's own full set would
     * hand a container every capability by omission). */
    *ret = (struct berth_caps){0};
    if (!c)
        return;
    ret->bounding = resolve_set(ctx, c->bounding, c->bounding_len);
    ret->effective = resolve_set(ctx, c->effective, c->effective_len);
    ret->permitted = resolve_set(ctx, c->permitted, c->permitted_len);
    ret->inheritable = resolve_set(ctx, c->inheritable, c->inheritable_len);
    ret->ambient = resolve_set(ctx, c->ambient, c->ambient_len);
    /* config.md: a capability that cannot be granted is "logged as a
     * warning", and runtime.md "Warnings" leaves how to us: a debug record,
     * since every default config (runc spec, podman, docker) asks for such
     * ambient capabilities and runc says nothing. */
    for (int v = 0; ctx && ctx->debug && v < 64; v++) {
        if (!((ret->ambient & ~(ret->permitted & ret->inheritable)) & (UINT64_C(1) << v)))
            continue;
        char *name = cap_to_name(v);
        berth_debug(ctx, "capabilities: ambient %s not raised: not both permitted and inheritable",
                    name ? name : "?");
        cap_free(name);
    }
}

int berth_caps_prepare(const struct berth_caps *c, berth_error_t *err)
{
    int last = cap_max_bits();

    for (int v = 0; v < last && v < 64; v++) {
        if (c->bounding & (UINT64_C(1) << v))
            continue;
        if (prctl(PR_CAPBSET_DROP, v, 0, 0, 0) < 0 && errno != EINVAL)
            return berth_error_errno(err, "drop capability %s from the bounding set",
                                     cap_to_name(v));
    }
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        return berth_error_errno(err, "prctl(PR_SET_KEEPCAPS)");
    return 0;
}

static int set_flags(cap_t caps, cap_flag_t flag, uint64_t mask)
{
    for (int v = 0; v < 64; v++) {
        cap_value_t value = v;
        if ((mask & (UINT64_C(1) << v)) && cap_set_flag(caps, flag, 1, &value, CAP_SET) < 0)
            return -1;
    }
    return 0;
}

static void raise_ambient(uint64_t mask, char **ret_warning)
{
    for (int v = 0; v < 64; v++) {
        if (!(mask & (UINT64_C(1) << v)))
            continue;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, v, 0, 0) < 0 && !*ret_warning)
            if (asprintf(ret_warning, "capabilities: cannot raise ambient capability %s: %s",
                         cap_to_name(v), strerror(errno)) < 0)
                *ret_warning = NULL;
    }
}

static int set_proc(uint64_t effective, uint64_t permitted, uint64_t inheritable,
                    berth_error_t *err)
{
    _cleanup_(cap_freep) cap_t caps = cap_init();

    if (!caps)
        return berth_error_errno(err, "cap_init");
    if (set_flags(caps, CAP_EFFECTIVE, effective) < 0 ||
        set_flags(caps, CAP_PERMITTED, permitted) < 0 ||
        set_flags(caps, CAP_INHERITABLE, inheritable) < 0)
        return berth_error_errno(err, "cap_set_flag");
    if (cap_set_proc(caps) < 0)
        return berth_error_errno(err, "apply capabilities (capset)");
    return 0;
}

int berth_caps_raise(const struct berth_caps *c, uint64_t mask, berth_error_t *err)
{
    return set_proc(c->effective | mask, c->permitted | mask, c->inheritable, err);
}

int berth_caps_apply(const struct berth_caps *c, uint64_t keep, char **ret_warning,
                     berth_error_t *err)
{
    int r;

    *ret_warning = NULL;
    r = set_proc(c->effective, c->permitted | keep, c->inheritable, err);
    if (r < 0)
        return r;
    /* The keep-caps flag did its job (permitted survived setuid); clear it
     * so it does not leak into the container process. */
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
        return berth_error_errno(err, "prctl(PR_SET_KEEPCAPS, 0)");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return berth_error_errno(err, "clear ambient capabilities");
    /* capabilities(7): an ambient capability must be permitted and
     * inheritable, or the kernel refuses it (EPERM). `runc spec`, podman
     * and docker all send ambient sets without inheritable: runc skips them
     * silently, and so do we; `berth validate` says why (validate-process.c).
     * Only a refusal we did not predict is worth a warning. */
    raise_ambient(c->ambient & c->permitted & c->inheritable, ret_warning);
    return 0;
}
