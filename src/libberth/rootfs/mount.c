/* mount.c: the mount plan (config.md "Mounts"): each mounts[] entry becomes
 * one step with its kind, MS_* flags, propagation, recursive attributes and
 * filesystem data. No syscalls here; mount-apply.c performs the steps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "util/cleanup.h"
#include "mount-flags.h"
#include "mount.h"

#define ATIME_FLAGS (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)

static void step_set_flag(struct berth_mount_step *step, const struct berth_mount_opt *o)
{
    if (o->clear) {
        step->flags &= ~o->flag;
        step->clear |= o->flag;
        return;
    }
    /* noatime, relatime and strictatime are one setting: the last wins. */
    if (o->flag & ATIME_FLAGS)
        step->flags &= ~ATIME_FLAGS;
    step->flags |= o->flag;
    step->clear &= ~o->flag;
}

static void step_set_rattr(struct berth_mount_step *step, const struct berth_mount_opt *o)
{
    step->rattr_set = (step->rattr_set & ~o->attr_clr) | o->attr_set;
    step->rattr_clr = (step->rattr_clr & ~o->attr_set) | o->attr_clr;
}

/* Appends a filesystem-specific option to step->data (config.md: unknown
 * options SHOULD go comma-separated to mount(2) data). */
static int step_add_data(struct berth_mount_step *step, const char *opt, berth_error_t *err)
{
    size_t old = step->data ? strlen(step->data) : 0;
    char *d = realloc(step->data, old + strlen(opt) + 2);

    if (!d)
        return berth_error_make(err, ENOMEM, "mount option %s", opt);
    if (old)
        d[old++] = ',';
    strcpy(d + old, opt);
    step->data = d;
    return 0;
}

int berth_mount_parse_options(char *const *options, size_t n, const char *what,
                              struct berth_mount_step *step, berth_error_t *err)
{
    for (size_t i = 0; i < n; i++) {
        const struct berth_mount_opt *o = berth_mount_opt_find(options[i]);
        int r;

        if (!o) {
            r = step_add_data(step, options[i], err);
            if (r < 0)
                return r;
            continue;
        }
        switch (o->kind) {
        case BERTH_MOPT_FLAG:
            step_set_flag(step, o);
            break;
        case BERTH_MOPT_PROPAGATION:
            step->propagation = o->flag;
            break;
        case BERTH_MOPT_BIND:
            step->kind = BERTH_MOUNT_BIND;
            step->recursive |= (o->flag & MS_REC) != 0;
            break;
        case BERTH_MOPT_RECURSIVE:
            step_set_rattr(step, o);
            break;
        case BERTH_MOPT_IGNORE:
            break;
        case BERTH_MOPT_COPYUP:
            step->copyup = true;
            break;
        case BERTH_MOPT_IDMAP:
            step->idmap = true;
            step->idmap_recursive |= (o->flag & MS_REC) != 0;
            break;
        case BERTH_MOPT_UNSUPPORTED:
            return berth_error_make(err, EOPNOTSUPP, "%s: mount option %s: not supported yet", what,
                                    o->name);
        }
    }
    return 0;
}

static bool has_namespace(const oci_config *cfg, const char *type)
{
    if (!cfg->linux)
        return false;
    for (size_t i = 0; i < cfg->linux->namespaces_len; i++)
        if (strcmp(cfg->linux->namespaces[i].type, type) == 0)
            return true;
    return false;
}

void berth_mount_env_init(struct berth_mount_env *env, const oci_config *cfg, const char *bundle,
                          bool userns)
{
    *env = (struct berth_mount_env){
        .bundle = bundle,
        .netns = has_namespace(cfg, "network"),
        .cgroupns = has_namespace(cfg, "cgroup"),
        .userns = userns,
        .mount_label = cfg->linux ? cfg->linux->mountLabel : NULL,
    };
}

/* config-linux.md "Mount Label": new filesystems get the SELinux context;
 * proc, sysfs and mqueue keep their own labelling (runc does the same). */
static int add_mount_label(struct berth_mount_step *step, const struct berth_mount_env *env,
                           berth_error_t *err)
{
    static const char *const unlabelled[] = {"proc", "sysfs", "mqueue"};
    _cleanup_free_ char *opt = NULL;

    if (!env->mount_label || !*env->mount_label || step->kind != BERTH_MOUNT_FS || !step->type)
        return 0;
    for (size_t i = 0; i < sizeof(unlabelled) / sizeof(unlabelled[0]); i++)
        if (strcmp(step->type, unlabelled[i]) == 0)
            return 0;
    if (asprintf(&opt, "context=\"%s\"", env->mount_label) < 0)
        return berth_error_make(err, ENOMEM, "mountLabel");
    return step_add_data(step, opt, err);
}

/* Bind sources are absolute or relative to the bundle (config.md "Mounts"). */
static int bind_source(const char *source, const struct berth_mount_env *env, const char *what,
                       char **ret, berth_error_t *err)
{
    if (!source || !*source)
        return berth_error_make(err, 0, "%s: bind mount without a source", what);
    if (source[0] == '/' || !env->bundle)
        *ret = strdup(source);
    else if (asprintf(ret, "%s/%s", env->bundle, source) < 0)
        *ret = NULL;
    return *ret ? 0 : berth_error_make(err, ENOMEM, "%s: source", what);
}

/* Without its own network namespace a container cannot mount a sysfs of
 * its own (the kernel ties sysfs to the netns owner), so, as runc does, it
 * gets the host's /sys bound, and only /sys: not the host's submounts
 * (its cgroup tree, securityfs, debugfs, tracefs, bpffs, ...). In a user
 * namespace (rootless) the submounts are locked to /sys: the kernel
 * refuses a bind without them (EINVAL), so it is recursive there, which
 * shows nothing the user could not see on the host (`berth spec
 * --rootless` binds /sys with rbind too, as runc's). */
static void sysfs_to_bind(struct berth_mount_step *step, bool userns)
{
    step->kind = BERTH_MOUNT_BIND;
    step->recursive = userns;
}

static int plan_step(const oci_mount *m, size_t index, const struct berth_mount_env *env,
                     struct berth_mount_step *step, berth_error_t *err)
{
    char what[32];
    int r;

    snprintf(what, sizeof(what), "mounts[%zu]", index);
    *step = (struct berth_mount_step){.kind = BERTH_MOUNT_FS, .index = index};
    if (!m->destination || !*m->destination)
        return berth_error_make(err, 0, "%s: missing destination", what);
    step->destination = strdup(m->destination);
    step->type = m->type ? strdup(m->type) : NULL;
    if (!step->destination || (m->type && !step->type))
        return berth_error_make(err, ENOMEM, "%s", what);
    r = berth_mount_parse_options(m->options, m->options_len, what, step, err);
    if (r < 0)
        return r;
    /* runc also treats `"type": "bind"` as a bind mount. */
    if (step->type && strcmp(step->type, "bind") == 0)
        step->kind = BERTH_MOUNT_BIND;
    if (step->kind == BERTH_MOUNT_FS && step->type && strcmp(step->type, "sysfs") == 0 &&
        !env->netns) {
        sysfs_to_bind(step, env->userns);
        return bind_source("/sys", env, what, &step->source, err);
    }
    /* config.md "Mounts": mount uid/gidMappings are an idmapping even
     * without the option (the validator warns); non-recursive then. */
    if (m->uidMappings_len || m->gidMappings_len)
        step->idmap = true;
    if (step->idmap && step->kind != BERTH_MOUNT_BIND)
        return berth_error_make(err, EINVAL, "%s: idmap/ridmap: bind mounts only", what);
    if (step->kind == BERTH_MOUNT_BIND)
        return bind_source(m->source, env, what, &step->source, err);
    /* config.md: tmpcopyup copies "to a tmpfs"; nothing else makes sense. */
    if (step->copyup &&
        (step->kind != BERTH_MOUNT_FS || !step->type || strcmp(step->type, "tmpfs") != 0))
        return berth_error_make(err, 0, "%s: mount option tmpcopyup needs a tmpfs mount", what);
    if (step->type && (strcmp(step->type, "cgroup") == 0 || strcmp(step->type, "cgroup2") == 0))
        step->kind = BERTH_MOUNT_CGROUP;
    if (m->source && !(step->source = strdup(m->source)))
        return berth_error_make(err, ENOMEM, "%s", what);
    return add_mount_label(step, env, err);
}

static void step_free(struct berth_mount_step *s)
{
    free(s->source);
    free(s->destination);
    free(s->type);
    free(s->data);
}

void berth_mount_plan_free(struct berth_mount_plan *plan)
{
    for (size_t i = 0; i < plan->len; i++)
        step_free(&plan->steps[i]);
    free(plan->steps);
    plan->steps = NULL;
    plan->len = 0;
}

int berth_mount_plan_build(const oci_config *cfg, const struct berth_mount_env *env,
                           struct berth_mount_plan *ret, berth_error_t *err)
{
    struct berth_mount_plan plan = {0};
    if (cfg->mounts_len) {
        plan.steps = calloc(cfg->mounts_len, sizeof(*plan.steps));
        if (!plan.steps)
            return berth_error_make(err, ENOMEM, "mounts");
    }
    for (size_t i = 0; i < cfg->mounts_len; i++) {
        int r = plan_step(&cfg->mounts[i], i, env, &plan.steps[i], err);

        plan.len = i + 1;
        if (r < 0) {
            berth_mount_plan_free(&plan);
            return r;
        }
        /* Writable until berth_rootfs_finalize (berth_mount_ro_late). */
        if (berth_mount_ro_late(cfg, i))
            plan.steps[i].flags &= ~(unsigned long)MS_RDONLY;
    }
    *ret = plan;
    return 0;
}

/* Compares two container paths ignoring repeated and trailing slashes:
 * true when p is `parent` itself or, with below, lies beneath it. */
static bool path_covers(const char *parent, const char *p, bool below)
{
    const char *a = parent, *b = p;

    for (;;) {
        while (*a == '/')
            a++;
        while (*b == '/')
            b++;
        if (!*a)
            return !*b || below;
        if (!*b)
            return false;
        size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
        if (la != lb || strncmp(a, b, la) != 0)
            return false;
        a += la;
        b += lb;
    }
}

static bool same_path(const char *a, const char *b)
{
    return path_covers(a, b, false);
}

/* "ro" after any "rw" (the last one wins, as in mount(8)). */
static bool asks_ro(const oci_mount *m)
{
    bool ro = false;

    for (size_t i = 0; i < m->options_len; i++)
        if (strcmp(m->options[i], "ro") == 0)
            ro = true;
        else if (strcmp(m->options[i], "rw") == 0)
            ro = false;
    return ro;
}

bool berth_mount_ro_late(const oci_config *cfg, size_t i)
{
    const oci_mount *m = &cfg->mounts[i];

    if (!m->destination || !asks_ro(m))
        return false;
    if (same_path(m->destination, "/dev"))
        return true;
    for (size_t j = i + 1; j < cfg->mounts_len; j++)
        if (cfg->mounts[j].destination &&
            path_covers(m->destination, cfg->mounts[j].destination, true))
            return true;
    return false;
}

const struct berth_mount_step *berth_mount_plan_find(const struct berth_mount_plan *plan,
                                                     const char *path)
{
    const struct berth_mount_step *found = NULL;

    for (size_t i = 0; i < plan->len; i++)
        if (same_path(plan->steps[i].destination, path))
            found = &plan->steps[i];
    return found;
}
