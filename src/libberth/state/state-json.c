/* state-json.c: the state documents through the JSON model (libocispec's
 * engine): the private state.json (its own tables below, berth's members
 * beside the spec's) and the public state (oci_state), so escaping, key
 * order and errors are the engine's. See state-json.h.
 */
#include "state-json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "oci.h"
#include "oci-types.h"
#include "util/cleanup.h"

/* ---- the private document ------------------------------------------------- */

/* "cgroup": {"path", "dirs": [{"hierarchy"? ("v2"; v1 when absent),
 * "controllers", "mount", "path"? (absent: mount + the cgroup's path),
 * "created"? (below mount, relative to it), "devices"?, "freezer"?}, ...],
 * "unit"?, "unitV2"?, "unitUser"? (a rootless user's systemd), "planned"? (create's
 * record before anything was made)}. Defaults are left out: list parses one
 * record per container, and a hybrid host has a dozen directories. */
struct sj_dir {
    char *hierarchy;
    char *controllers;
    char *mount;
    char *path;
    char *created;
    bool devices;
    bool devices_present;
    bool freezer;
    bool freezer_present;
};

struct sj_cgroup {
    char *path;
    struct sj_dir *dirs;
    size_t dirs_len;
    char *unit;
    bool unitV2;
    bool unitV2_present;
    bool unitUser;
    bool unitUser_present;
    bool planned;
    bool planned_present;
};

/* What berth needs to find the container again. No status: it is derived
 * on every read, never stored. cgroupState: the text record of earlier
 * builds, read only. */
struct sj_doc {
    char *ociVersion;
    char *id;
    int64_t pid;
    bool pid_present;
    uint64_t startTime;
    bool startTime_present;
    char *bundle;
    char *rootfs;
    char *created;
    char *owner;
    oci_string_map annotations;
    char *cgroupPath;
    struct sj_cgroup *cgroup;
    char *cgroupState;
    bool createdStatus;
    bool createdStatus_present;
};

static const struct oci_field dir_fields[] = {
    OCI_STR(struct sj_dir, hierarchy, 0),
    OCI_STR(struct sj_dir, controllers, OCI_REQUIRED),
    OCI_STR(struct sj_dir, mount, OCI_REQUIRED | OCI_ABS_PATH),
    OCI_STR(struct sj_dir, path, OCI_ABS_PATH),
    OCI_STR(struct sj_dir, created, OCI_ABS_PATH),
    OCI_SCAL(struct sj_dir, devices, OCI_BOOL, 0, NULL),
    OCI_SCAL(struct sj_dir, freezer, OCI_BOOL, 0, NULL),
};
static const struct oci_desc dir_desc = OCI_DESC(struct sj_dir, dir_fields);

static const struct oci_field cgroup_fields[] = {
    OCI_STR(struct sj_cgroup, path, 0),
    OCI_ARR_OBJ(struct sj_cgroup, dirs, dir_desc, OCI_REQUIRED | OCI_NONEMPTY),
    OCI_STR(struct sj_cgroup, unit, 0),
    OCI_SCAL(struct sj_cgroup, unitV2, OCI_BOOL, 0, NULL),
    OCI_SCAL(struct sj_cgroup, unitUser, OCI_BOOL, 0, NULL),
    OCI_SCAL(struct sj_cgroup, planned, OCI_BOOL, 0, NULL),
};
static const struct oci_desc cgroup_desc = OCI_DESC(struct sj_cgroup, cgroup_fields);

static const struct oci_field doc_fields[] = {
    OCI_STR(struct sj_doc, ociVersion, 0),
    OCI_STR(struct sj_doc, id, 0),
    OCI_SCAL(struct sj_doc, pid, OCI_INT64, 0, NULL),
    OCI_SCAL(struct sj_doc, startTime, OCI_UINT64, 0, NULL),
    OCI_STR(struct sj_doc, bundle, 0),
    OCI_STR(struct sj_doc, rootfs, 0),
    OCI_STR(struct sj_doc, created, 0),
    OCI_STR(struct sj_doc, owner, 0),
    OCI_MAP_STR(struct sj_doc, annotations, 0),
    OCI_STR(struct sj_doc, cgroupPath, 0),
    OCI_OBJ(struct sj_doc, cgroup, cgroup_desc, 0),
    OCI_STR(struct sj_doc, cgroupState, 0),
    OCI_SCAL(struct sj_doc, createdStatus, OCI_BOOL, 0, NULL),
};
static const struct oci_desc doc_desc = OCI_DESC(struct sj_doc, doc_fields);

/* True when path is mount + rel (rel NULL: any "/..." below mount). */
static bool under_mount(const char *path, const char *mount, const char *rel)
{
    size_t n = strlen(mount);

    if (strncmp(path, mount, n) != 0 || path[n] != '/')
        return false;
    return !rel || strcmp(path + n, rel) == 0;
}

/* The annotations of s as a string map whose strings are borrowed from s
 * (only the two arrays are allocated); absent when s has none. */
static int annotations_view(const struct berth_container_state *s, oci_string_map *m)
{
    if (s->annotations_len == 0)
        return 0;
    m->keys = calloc(s->annotations_len, sizeof(char *));
    m->values = calloc(s->annotations_len, sizeof(char *));
    if (!m->keys || !m->values)
        return -ENOMEM;
    for (size_t i = 0; i < s->annotations_len; i++) {
        m->keys[i] = s->annotations[i].key;
        m->values[i] = s->annotations[i].value;
    }
    m->len = s->annotations_len;
    return 0;
}

/* The document of s, its strings borrowed; only the arrays are made here
 * (doc_release frees them). */
static int doc_of(const struct berth_container_state *s, struct sj_doc *d, struct sj_cgroup *cg)
{
    const struct berth_cgroup_record *rec = s->cgroup;

    *d = (struct sj_doc){
        .ociVersion = (char *)OCI_SPEC_VERSION,
        .id = s->id,
        .pid = s->pid,
        .pid_present = true,
        .startTime = s->start_time,
        .startTime_present = true,
        /* as before the model: present, "" when unknown */
        .bundle = s->bundle ? s->bundle : (char *)"",
        .rootfs = s->rootfs ? s->rootfs : (char *)"",
        .created = s->created ? s->created : (char *)"",
        .owner = s->owner ? s->owner : (char *)"",
        .cgroupPath = s->cgroup_path,
        .createdStatus = s->created_status,
        .createdStatus_present = true,
    };
    if (annotations_view(s, &d->annotations) < 0)
        return -ENOMEM;
    if (!rec)
        return 0;
    *cg = (struct sj_cgroup){.path = rec->path, .unit = rec->unit};
    cg->unitV2 = rec->unit_v2;
    cg->unitV2_present = rec->unit != NULL;
    cg->unitUser = rec->unit_user;
    cg->unitUser_present = rec->unit_user; /* left out when false */
    cg->planned = cg->planned_present = rec->planned;
    cg->dirs = calloc(rec->ndirs ? rec->ndirs : 1, sizeof(*cg->dirs));
    if (!cg->dirs)
        return -ENOMEM;
    cg->dirs_len = rec->ndirs;
    for (size_t i = 0; i < rec->ndirs; i++) {
        const struct berth_cgroup_record_dir *r = &rec->dirs[i];
        struct sj_dir *o = &cg->dirs[i];

        /* only what differs from the defaults (v1, nothing created, no
         * devices/freezer role) */
        o->hierarchy = r->v2 ? (char *)"v2" : NULL;
        o->controllers = r->controllers;
        o->mount = r->mount;
        o->path = under_mount(r->path, r->mount, rec->path) ? NULL : r->path;
        o->created = r->created && under_mount(r->created, r->mount, NULL)
                         ? r->created + strlen(r->mount)
                         : r->created;
        o->devices = o->devices_present = r->devices;
        o->freezer = o->freezer_present = r->freezer;
    }
    d->cgroup = cg;
    return 0;
}

static void doc_release(struct sj_doc *d)
{
    free(d->annotations.keys);
    free(d->annotations.values);
    if (d->cgroup)
        free(d->cgroup->dirs);
}

int berth_state_json_encode(const struct berth_container_state *s, char **ret, size_t *ret_len,
                            berth_error_t *err)
{
    struct sj_doc d;
    struct sj_cgroup cg;
    int r = doc_of(s, &d, &cg);

    /* Compact: berth reads it on every command (list reads one per
     * container), people rarely; `berth state` prints the public one. */
    if (r == 0 && !(*ret = oci_emit(&doc_desc, &d, false, ret_len)))
        r = -EINVAL;
    doc_release(&d);
    if (r == -ENOMEM)
        return berth_error_make(err, ENOMEM, "generate state JSON");
    if (r < 0)
        return berth_error_make(err, EINVAL, "generate state JSON for %s (not UTF-8?)", s->id);
    return 0;
}

/* ---- the public state --------------------------------------------------- */

/* Builds the spec state object with pointers borrowed from s; only the
 * annotation arrays are allocated (free them with free_oci_view). */
static int make_oci_view(const struct berth_state_view *v, oci_state *o, berth_error_t *err)
{
    const struct berth_container_state *s = v->s;
    /* runtime.md "State": pid is REQUIRED when created or running; like
     * runc we print 0 once the process is gone rather than a stale pid. */
    bool live = v->status == BERTH_STATUS_CREATED || v->status == BERTH_STATUS_RUNNING ||
                v->status == BERTH_STATUS_PAUSED;

    memset(o, 0, sizeof(*o));
    o->ociVersion = (char *)OCI_SPEC_VERSION;
    o->id = s->id;
    o->status = (char *)berth_status_name(v->status);
    o->pid = live ? s->pid : 0;
    o->pid_present = true;
    /* runc prints these even when empty; absent would drop them. */
    o->bundle = s->bundle ? s->bundle : (char *)"";
    o->rootfs = s->rootfs ? s->rootfs : (char *)"";
    o->created = s->created ? s->created : (char *)"";
    o->owner = s->owner ? s->owner : (char *)"";
    /* none: omitted, as runtime.md allows */
    if (annotations_view(s, &o->annotations) < 0)
        return berth_error_make(err, ENOMEM, "generate state JSON");
    return 0;
}

static void free_oci_view(oci_state *o)
{
    free(o->annotations.keys);
    free(o->annotations.values);
}

/* One state, pretty-printed as `runc state` prints it. */
static int emit_one(const struct berth_state_view *v, char **ret, berth_error_t *err)
{
    oci_state o;
    int r;

    r = make_oci_view(v, &o, err);
    if (r == 0) {
        *ret = oci_emit(&oci_state_desc, &o, true, NULL);
        if (!*ret)
            r = berth_error_make(err, ENOMEM, "generate state JSON for %s", v->s->id);
    }
    free_oci_view(&o);
    return r;
}

int berth_state_json_public(const struct berth_state_view *v, size_t n, bool as_list, char **ret,
                            berth_error_t *err)
{
    static const struct oci_field elem = {"", OCI_OBJECT, OCI_ARRAY, 0, 0, &oci_state_desc,
                                          0,  NULL,       NULL};
    _cleanup_free_ oci_state *views = NULL;
    size_t made = 0;
    int r = 0;

    if (!as_list)
        return emit_one(v, ret, err);
    views = calloc(n ? n : 1, sizeof(*views));
    if (!views)
        return berth_error_make(err, ENOMEM, "generate state JSON");
    for (; made < n && r == 0; made++)
        r = make_oci_view(&v[made], &views[made], err);
    /* Go marshals a nil slice as null and engines accept it. */
    if (r == 0 && !(*ret = oci_emit_array(&elem, views, n, 0, true, NULL)))
        r = berth_error_make(err, ENOMEM, "generate state JSON");
    for (size_t i = 0; i < made; i++)
        free_oci_view(&views[i]);
    return r;
}

/* ---- decoding ----------------------------------------------------------- */

/* Moves a string out of the parsed document (so freeing it leaves it). */
static char *take(char **slot)
{
    char *v = *slot;

    *slot = NULL;
    return v;
}

/* True when a component of path is "..". */
static bool has_dotdot(const char *path)
{
    for (const char *p = path; (p = strstr(p, "/..")); p += 3)
        if (p[3] == '/' || p[3] == '\0')
            return true;
    return false;
}

/* mount + rel, malloc'd (the caller checked rel: '/'-led, no ".."). */
static char *join_mount(const char *mount, const char *rel)
{
    size_t m, r;
    char *out;

    m = strlen(mount);
    r = strlen(rel);
    if (!(out = malloc(m + r + 1)))
        return NULL;
    memcpy(out, mount, m);
    memcpy(out + m, rel, r + 1);
    return out;
}

static int record_dir(struct sj_dir *o, const char *cgpath, struct berth_cgroup_record_dir *d,
                      berth_error_t *err)
{
    if (o->hierarchy && strcmp(o->hierarchy, "v1") != 0 && strcmp(o->hierarchy, "v2") != 0)
        return berth_error_make(err, EINVAL, "state.json: `cgroup.dirs[].hierarchy` is `%s`",
                                o->hierarchy);
    d->v2 = o->hierarchy && o->hierarchy[1] == '2';
    d->controllers = take(&o->controllers);
    d->mount = take(&o->mount);
    d->path = take(&o->path);
    d->devices = o->devices_present && o->devices;
    d->freezer = o->freezer_present && o->freezer;
    if (!d->path && cgpath && !has_dotdot(cgpath) && !(d->path = join_mount(d->mount, cgpath)))
        return berth_error_make(err, ENOMEM, "state.json: `cgroup`");
    if (!d->path)
        return berth_error_make(err, EINVAL,
                                "state.json: a `cgroup.dirs` entry under `%s` has "
                                "no absolute path",
                                d->mount);
    if (o->created && has_dotdot(o->created))
        return berth_error_make(err, EINVAL,
                                "state.json: `cgroup.dirs[].created` `%s` is not below `%s`",
                                o->created, d->mount);
    if (o->created && !(d->created = join_mount(d->mount, o->created)))
        return berth_error_make(err, ENOMEM, "state.json: `cgroup`");
    return 0;
}

static int record_of(struct sj_cgroup *cg, struct berth_cgroup_record *rec, berth_error_t *err)
{
    int r;

    rec->path = take(&cg->path);
    rec->unit = take(&cg->unit);
    rec->unit_v2 = cg->unitV2_present && cg->unitV2;
    rec->unit_user = cg->unitUser_present && cg->unitUser;
    rec->planned = cg->planned_present && cg->planned;
    if (!(rec->dirs = calloc(cg->dirs_len, sizeof(*rec->dirs))))
        return berth_error_make(err, ENOMEM, "state.json: `cgroup`");
    for (size_t i = 0; i < cg->dirs_len; i++) {
        rec->ndirs = i + 1;
        if ((r = record_dir(&cg->dirs[i], rec->path, &rec->dirs[i], err)) < 0)
            return r;
    }
    return 0;
}

/* The text record of berth before the "cgroup" object (a container created
 * by it keeps running across an upgrade and must stay manageable): one line
 * per directory, "v1|v2 TAB controllers TAB mount TAB path TAB created TAB
 * <devices><freezer>", then "path TAB <path>" and maybe
 * "unit TAB <name> TAB <v2>". Read only; never written any more. */
static int decode_cgroup_text(const char *text, struct berth_cgroup_record *rec, berth_error_t *err)
{
    _cleanup_free_ char *copy = strdup(text);
    char *save = NULL;

    if (!copy)
        return berth_error_make(err, ENOMEM, "state.json: `cgroupState`");
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[6] = {0};
        size_t nf = 0;
        struct berth_cgroup_record_dir *nd, *d;
        char **slot = NULL;

        for (char *p = line; p && nf < 6; nf++) {
            f[nf] = p;
            if ((p = strchr(p, '\t')))
                *p++ = '\0';
        }
        if (nf == 2 && strcmp(f[0], "path") == 0)
            slot = &rec->path;
        else if (nf == 3 && strcmp(f[0], "unit") == 0) {
            slot = &rec->unit;
            rec->unit_v2 = strcmp(f[2], "1") == 0;
        }
        if (slot) {
            free(*slot);
            if (!(*slot = strdup(f[1])))
                return berth_error_make(err, ENOMEM, "state.json: `cgroupState`");
            continue;
        }
        if (nf != 6 || (strcmp(f[0], "v1") != 0 && strcmp(f[0], "v2") != 0) || f[3][0] != '/')
            return berth_error_make(err, EINVAL, "state.json: `cgroupState` has a bad line `%s`",
                                    line);
        if (!(nd = realloc(rec->dirs, (rec->ndirs + 1) * sizeof(*nd))))
            return berth_error_make(err, ENOMEM, "state.json: `cgroupState`");
        rec->dirs = nd;
        d = &rec->dirs[rec->ndirs++];
        *d = (struct berth_cgroup_record_dir){
            .v2 = f[0][1] == '2',
            .controllers = strdup(f[1]),
            .mount = strdup(f[2]),
            .path = strdup(f[3]),
            .created = f[4][0] ? strdup(f[4]) : NULL,
            .devices = f[5][0] == '1',
            .freezer = f[5][0] && f[5][1] == '1',
        };
        if (!d->controllers || !d->mount || !d->path || (f[4][0] && !d->created))
            return berth_error_make(err, ENOMEM, "state.json: `cgroupState`");
    }
    if (rec->ndirs == 0)
        return berth_error_make(err, EINVAL, "state.json: `cgroupState` records no cgroup");
    return 0;
}

static int state_of(struct sj_doc *d, struct berth_container_state *s, berth_error_t *err)
{
    if (!d->id)
        return berth_error_make(err, EINVAL, "state.json: `id` is missing");
    if (d->pid_present && (d->pid < 0 || d->pid > INT32_MAX))
        return berth_error_make(err, EINVAL, "state.json: `pid` %" PRId64 " is out of range",
                                d->pid);
    s->id = take(&d->id);
    s->bundle = take(&d->bundle);
    s->rootfs = take(&d->rootfs);
    s->created = take(&d->created);
    s->owner = take(&d->owner);
    s->cgroup_path = take(&d->cgroupPath);
    s->pid = d->pid_present ? (pid_t)d->pid : 0;
    s->start_time = d->startTime_present ? d->startTime : 0;
    s->created_status = d->createdStatus_present && d->createdStatus;
    if (d->annotations.len) {
        s->annotations = calloc(d->annotations.len, sizeof(*s->annotations));
        if (!s->annotations)
            return berth_error_make(err, ENOMEM, "state.json: annotations");
        for (size_t i = 0; i < d->annotations.len; i++) {
            s->annotations[i].key = take(&d->annotations.keys[i]);
            s->annotations[i].value = take((char **)&d->annotations.values[i]);
        }
        s->annotations_len = d->annotations.len;
    }
    if (!d->cgroup && !d->cgroupState)
        return 0;
    if (!(s->cgroup = calloc(1, sizeof(*s->cgroup))))
        return berth_error_make(err, ENOMEM, "state.json: `cgroup`");
    if (d->cgroup)
        return record_of(d->cgroup, s->cgroup, err);
    return decode_cgroup_text(d->cgroupState, s->cgroup, err);
}

int berth_state_json_decode(const char *buf, struct berth_container_state **ret, berth_error_t *err)
{
    struct oci_diags diags = {0};
    struct sj_doc *d = oci_parse(&doc_desc, buf, strlen(buf), &diags);
    struct berth_container_state *s = NULL;
    char msg[512];
    int r;

    /* unknown members are warnings: a newer berth may have written them */
    if (!d)
        r = berth_error_make(err, EINVAL, "parse state.json: %s",
                             oci_diags_first_error(&diags, msg, sizeof(msg)));
    else if (!(s = calloc(1, sizeof(*s))))
        r = berth_error_make(err, ENOMEM, "parse state.json");
    else
        r = state_of(d, s, err);
    oci_diags_clear(&diags);
    if (d)
        oci_free(&doc_desc, d);
    if (r < 0) {
        berth_container_state_free(s);
        return r;
    }
    *ret = s;
    return 0;
}
