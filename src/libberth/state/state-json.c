/* state-json.c: yajl-based encoding of container state documents.
 *
 * The public state goes through libocispec's oci_state descriptor, so
 * `state`, `list` and the hooks' stdin share one definition. The private
 * state.json has members oci_state lacks (startTime, cgroupPath, ...), so
 * it keeps a small yajl encoder/decoder here. See state-json.h.
 */
#include "state-json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "util/cleanup.h"
#include "oci-types.h"

static inline void yajl_gen_freep(yajl_gen *g)
{
    if (*g)
        yajl_gen_free(*g);
}

static inline void yajl_tree_freep(yajl_val *v)
{
    if (*v)
        yajl_tree_free(*v);
}

/* Emit helpers: each does nothing once *st reports an error, so a sequence
 * of calls needs a single check at the end (no hidden control flow). */
static void gen_key(yajl_gen g, yajl_gen_status *st, const char *key)
{
    if (*st == yajl_gen_status_ok)
        *st = yajl_gen_string(g, (const unsigned char *)key, strlen(key));
}

static void gen_str(yajl_gen g, yajl_gen_status *st, const char *key, const char *val)
{
    gen_key(g, st, key);
    if (*st == yajl_gen_status_ok)
        *st = yajl_gen_string(g, (const unsigned char *)(val ? val : ""), val ? strlen(val) : 0);
}

static void gen_int(yajl_gen g, yajl_gen_status *st, const char *key, long long val)
{
    gen_key(g, st, key);
    if (*st == yajl_gen_status_ok)
        *st = yajl_gen_integer(g, val);
}

static void gen_bool(yajl_gen g, yajl_gen_status *st, const char *key, bool val)
{
    gen_key(g, st, key);
    if (*st == yajl_gen_status_ok)
        *st = yajl_gen_bool(g, val);
}

static void gen_map_open(yajl_gen g, yajl_gen_status *st)
{
    if (*st == yajl_gen_status_ok)
        *st = yajl_gen_map_open(g);
}

static void gen_map_close(yajl_gen g, yajl_gen_status *st)
{
    if (*st == yajl_gen_status_ok)
        *st = yajl_gen_map_close(g);
}

static void gen_array(yajl_gen g, yajl_gen_status *st, bool open)
{
    if (*st == yajl_gen_status_ok)
        *st = open ? yajl_gen_array_open(g) : yajl_gen_array_close(g);
}

/* True when path is mount + rel (rel NULL: any "/..." below mount). */
static bool under_mount(const char *path, const char *mount, const char *rel)
{
    size_t n = strlen(mount);

    if (strncmp(path, mount, n) != 0 || path[n] != '/')
        return false;
    return !rel || strcmp(path + n, rel) == 0;
}

/* "cgroup": {"path", "dirs": [{"hierarchy"? ("v2"; v1 when absent),
 * "controllers", "mount", "path"? (absent: mount + the cgroup's path),
 * "created"? (below mount, relative to it), "devices"?, "freezer"?}, ...],
 * "unit"?, "unitV2"?}. Defaults are left out: list parses one record per
 * container, and a hybrid host has a dozen directories. */
static void gen_cgroup(yajl_gen g, yajl_gen_status *st, const struct berth_cgroup_record *rec)
{
    gen_key(g, st, "cgroup");
    gen_map_open(g, st);
    gen_str(g, st, "path", rec->path);
    gen_key(g, st, "dirs");
    gen_array(g, st, true);
    for (size_t i = 0; i < rec->ndirs; i++) {
        const struct berth_cgroup_record_dir *d = &rec->dirs[i];

        /* Only what differs from the defaults (v1, nothing created, no
         * devices/freezer role): list parses one record per container. */
        gen_map_open(g, st);
        if (d->v2)
            gen_str(g, st, "hierarchy", "v2");
        gen_str(g, st, "controllers", d->controllers);
        gen_str(g, st, "mount", d->mount);
        if (!under_mount(d->path, d->mount, rec->path))
            gen_str(g, st, "path", d->path);
        if (d->created)
            gen_str(g, st, "created",
                    d->created + (under_mount(d->created, d->mount, NULL) ? strlen(d->mount) : 0));
        if (d->devices)
            gen_bool(g, st, "devices", true);
        if (d->freezer)
            gen_bool(g, st, "freezer", true);
        gen_map_close(g, st);
    }
    gen_array(g, st, false);
    if (rec->unit) {
        gen_str(g, st, "unit", rec->unit);
        gen_bool(g, st, "unitV2", rec->unit_v2);
    }
    gen_map_close(g, st);
}

static void gen_annotations(yajl_gen g, yajl_gen_status *st, const struct berth_container_state *s)
{
    gen_key(g, st, "annotations");
    gen_map_open(g, st);
    for (size_t i = 0; i < s->annotations_len; i++)
        gen_str(g, st, s->annotations[i].key, s->annotations[i].value);
    gen_map_close(g, st);
}

/* The private document: what berth needs to find the container again.
 * No status: it is derived on every read, never stored. */
static void gen_private(yajl_gen g, yajl_gen_status *st, const struct berth_container_state *s)
{
    gen_str(g, st, "ociVersion", OCI_SPEC_VERSION);
    gen_str(g, st, "id", s->id);
    gen_int(g, st, "pid", s->pid);
    gen_int(g, st, "startTime", (long long)s->start_time);
    gen_str(g, st, "bundle", s->bundle);
    gen_str(g, st, "rootfs", s->rootfs);
    gen_str(g, st, "created", s->created);
    gen_str(g, st, "owner", s->owner);
    if (s->annotations_len > 0)
        gen_annotations(g, st, s);
    if (s->cgroup_path)
        gen_str(g, st, "cgroupPath", s->cgroup_path);
    if (s->cgroup)
        gen_cgroup(g, st, s->cgroup);
    gen_bool(g, st, "createdStatus", s->created_status);
}

/* Copies the generator buffer out as a NUL-terminated string. */
static int gen_finish(yajl_gen g, yajl_gen_status st, char **ret, size_t *ret_len,
                      berth_error_t *err)
{
    const unsigned char *buf;
    size_t len;
    char *out;

    if (st == yajl_gen_status_ok)
        st = yajl_gen_get_buf(g, &buf, &len);
    if (st != yajl_gen_status_ok)
        return berth_error_make(err, EINVAL, "generate state JSON (yajl status %d)", (int)st);
    out = strndup((const char *)buf, len);
    if (!out)
        return berth_error_make(err, ENOMEM, "generate state JSON");
    *ret = out;
    if (ret_len)
        *ret_len = len;
    return 0;
}

int berth_state_json_encode(const struct berth_container_state *s, char **ret, size_t *ret_len,
                            berth_error_t *err)
{
    __attribute__((cleanup(yajl_gen_freep))) yajl_gen g = yajl_gen_alloc(NULL);
    yajl_gen_status st = yajl_gen_status_ok;

    if (!g)
        return berth_error_make(err, ENOMEM, "allocate JSON generator");
    /* Compact: berth reads it on every command (list reads one per
     * container), people rarely; `berth state` prints the public one. */
    yajl_gen_config(g, yajl_gen_beautify, 0);
    /* Never write what our own reader would refuse. */
    yajl_gen_config(g, yajl_gen_validate_utf8, 1);
    gen_map_open(g, &st);
    gen_private(g, &st, s);
    gen_map_close(g, &st);
    return gen_finish(g, st, ret, ret_len, err);
}

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
    if (s->annotations_len == 0)
        return 0; /* omitted, as runtime.md allows */
    o->annotations.keys = calloc(s->annotations_len, sizeof(char *));
    o->annotations.values = calloc(s->annotations_len, sizeof(char *));
    if (!o->annotations.keys || !o->annotations.values)
        return berth_error_make(err, ENOMEM, "generate state JSON");
    for (size_t i = 0; i < s->annotations_len; i++) {
        o->annotations.keys[i] = s->annotations[i].key;
        o->annotations.values[i] = s->annotations[i].value;
    }
    o->annotations.len = s->annotations_len;
    return 0;
}

static void free_oci_view(oci_state *o)
{
    free(o->annotations.keys);
    free(o->annotations.values);
}

static int emit_one(const struct berth_state_view *v, bool pretty, char **ret, size_t *ret_len,
                    berth_error_t *err)
{
    oci_state o;
    int r;

    r = make_oci_view(v, &o, err);
    if (r == 0) {
        *ret = oci_emit(&oci_state_desc, &o, pretty, ret_len);
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
        return emit_one(v, true, ret, NULL, err);
    views = calloc(n ? n : 1, sizeof(*views));
    if (!views)
        return berth_error_make(err, ENOMEM, "generate state JSON");
    for (; made < n && r == 0; made++)
        r = make_oci_view(&v[made], &views[made], err);
    /* Go marshals a nil slice as null and engines accept it. */
    if (r == 0 && !(*ret = oci_emit_array(&elem, views, n, false, true, NULL)))
        r = berth_error_make(err, ENOMEM, "generate state JSON");
    for (size_t i = 0; i < made; i++)
        free_oci_view(&views[i]);
    return r;
}

/* ---- decoding ----------------------------------------------------------- */

/* obj[key] as a string (NULL when absent, an error when not a string);
 * parent names obj in messages ("cgroup"), NULL for the document. */
static int dup_member(yajl_val obj, const char *parent, const char *key, char **ret,
                      berth_error_t *err)
{
    const char *path[] = {key, NULL};
    yajl_val v = yajl_tree_get(obj, path, yajl_t_any);

    if (!v || YAJL_IS_NULL(v))
        return 0;
    if (!YAJL_IS_STRING(v))
        return berth_error_make(err, EINVAL, "state.json: `%s%s%s` is not a string",
                                parent ? parent : "", parent ? "." : "", key);
    *ret = strdup(v->u.string);
    if (!*ret)
        return berth_error_make(err, ENOMEM, "state.json: `%s%s%s`", parent ? parent : "",
                                parent ? "." : "", key);
    return 0;
}

static int dup_string(yajl_val root, const char *key, char **ret, berth_error_t *err)
{
    return dup_member(root, NULL, key, ret, err);
}

static int get_int(yajl_val root, const char *key, long long *ret, berth_error_t *err)
{
    const char *path[] = {key, NULL};
    yajl_val v = yajl_tree_get(root, path, yajl_t_any);

    if (!v || YAJL_IS_NULL(v))
        return 0;
    if (!YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) < 0)
        return berth_error_make(err, EINVAL, "state.json: `%s` is not a non-negative integer", key);
    *ret = YAJL_GET_INTEGER(v);
    return 0;
}

static bool obj_true(yajl_val obj, const char *key)
{
    const char *path[] = {key, NULL};
    yajl_val v = yajl_tree_get(obj, path, yajl_t_any);

    return v && YAJL_IS_TRUE(v);
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

static int decode_cgroup_dir(yajl_val v, const char *cgpath, struct berth_cgroup_record_dir *d,
                             berth_error_t *err)
{
    const char *hierarchy = NULL, *created = NULL;

    if (!YAJL_IS_OBJECT(v))
        return berth_error_make(err, EINVAL, "state.json: `cgroup.dirs` has a non-object");
    /* one pass over the members (list reads a dozen of these per container) */
    for (size_t i = 0; i < v->u.object.len; i++) {
        const char *k = v->u.object.keys[i];
        yajl_val val = v->u.object.values[i];
        char **slot = NULL;

        if (YAJL_IS_TRUE(val)) {
            d->devices |= strcmp(k, "devices") == 0;
            d->freezer |= strcmp(k, "freezer") == 0;
            continue;
        }
        if (!YAJL_IS_STRING(val))
            continue;
        if (strcmp(k, "hierarchy") == 0)
            hierarchy = val->u.string;
        else if (strcmp(k, "created") == 0)
            created = val->u.string;
        else if (strcmp(k, "controllers") == 0)
            slot = &d->controllers;
        else if (strcmp(k, "mount") == 0)
            slot = &d->mount;
        else if (strcmp(k, "path") == 0)
            slot = &d->path;
        if (slot && !*slot && !(*slot = strdup(val->u.string)))
            return berth_error_make(err, ENOMEM, "state.json: `cgroup`");
    }
    if (hierarchy && strcmp(hierarchy, "v1") != 0 && strcmp(hierarchy, "v2") != 0)
        return berth_error_make(err, EINVAL, "state.json: `cgroup.dirs[].hierarchy` is `%s`",
                                hierarchy);
    d->v2 = hierarchy && hierarchy[1] == '2';
    if (!d->controllers || !d->mount || d->mount[0] != '/')
        return berth_error_make(err, EINVAL,
                                "state.json: a `cgroup.dirs` entry lacks controllers or an "
                                "absolute mount");
    if (!d->path && cgpath && !has_dotdot(cgpath) && !(d->path = join_mount(d->mount, cgpath)))
        return berth_error_make(err, ENOMEM, "state.json: `cgroup`");
    if (!d->path || d->path[0] != '/')
        return berth_error_make(err, EINVAL,
                                "state.json: a `cgroup.dirs` entry under `%s` has "
                                "no absolute path",
                                d->mount);
    if (created && (created[0] != '/' || has_dotdot(created)))
        return berth_error_make(err, EINVAL,
                                "state.json: `cgroup.dirs[].created` `%s` is not below `%s`",
                                created, d->mount);
    if (created && !(d->created = join_mount(d->mount, created)))
        return berth_error_make(err, ENOMEM, "state.json: `cgroup`");
    return 0;
}

static int decode_cgroup_object(yajl_val v, struct berth_cgroup_record *rec, berth_error_t *err)
{
    const char *dirs_path[] = {"dirs", NULL};
    yajl_val dirs = yajl_tree_get(v, dirs_path, yajl_t_any);
    int r;

    if (!YAJL_IS_OBJECT(v))
        return berth_error_make(err, EINVAL, "state.json: `cgroup` is not an object");
    if ((r = dup_member(v, "cgroup", "path", &rec->path, err)) < 0 ||
        (r = dup_member(v, "cgroup", "unit", &rec->unit, err)) < 0)
        return r;
    rec->unit_v2 = obj_true(v, "unitV2");
    if (!dirs || !YAJL_IS_ARRAY(dirs) || dirs->u.array.len == 0)
        return berth_error_make(err, EINVAL, "state.json: `cgroup.dirs` is not a non-empty array");
    if (!(rec->dirs = calloc(dirs->u.array.len, sizeof(*rec->dirs))))
        return berth_error_make(err, ENOMEM, "state.json: `cgroup`");
    for (size_t i = 0; i < dirs->u.array.len; i++) {
        rec->ndirs = i + 1;
        if ((r = decode_cgroup_dir(dirs->u.array.values[i], rec->path, &rec->dirs[i], err)) < 0)
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

static int decode_cgroup(yajl_val root, struct berth_container_state *s, berth_error_t *err)
{
    const char *path[] = {"cgroup", NULL}, *legacy_path[] = {"cgroupState", NULL};
    yajl_val v = yajl_tree_get(root, path, yajl_t_any);
    yajl_val legacy = yajl_tree_get(root, legacy_path, yajl_t_any);
    int r;

    if ((!v || YAJL_IS_NULL(v)) && (!legacy || !YAJL_IS_STRING(legacy)))
        return 0;
    if (!(s->cgroup = calloc(1, sizeof(*s->cgroup))))
        return berth_error_make(err, ENOMEM, "state.json: `cgroup`");
    if (v && !YAJL_IS_NULL(v))
        r = decode_cgroup_object(v, s->cgroup, err);
    else
        r = decode_cgroup_text(legacy->u.string, s->cgroup, err);
    return r;
}

static int decode_annotations(yajl_val root, struct berth_container_state *s, berth_error_t *err)
{
    const char *path[] = {"annotations", NULL};
    yajl_val v = yajl_tree_get(root, path, yajl_t_any);
    size_t n;

    if (!v || YAJL_IS_NULL(v))
        return 0;
    if (!YAJL_IS_OBJECT(v))
        return berth_error_make(err, EINVAL, "state.json: `annotations` is not an object");
    n = v->u.object.len;
    if (n == 0)
        return 0;
    s->annotations = calloc(n, sizeof(*s->annotations));
    if (!s->annotations)
        return berth_error_make(err, ENOMEM, "state.json: annotations");
    for (size_t i = 0; i < n; i++) {
        yajl_val val = v->u.object.values[i];
        if (!YAJL_IS_STRING(val))
            return berth_error_make(err, EINVAL, "state.json: annotation `%s` is not a string",
                                    v->u.object.keys[i]);
        s->annotations[i].key = strdup(v->u.object.keys[i]);
        s->annotations[i].value = strdup(val->u.string);
        s->annotations_len = i + 1;
        if (!s->annotations[i].key || !s->annotations[i].value)
            return berth_error_make(err, ENOMEM, "state.json: annotations");
    }
    return 0;
}

static int decode_fields(yajl_val root, struct berth_container_state *s, berth_error_t *err)
{
    const char *created_path[] = {"createdStatus", NULL};
    yajl_val created = yajl_tree_get(root, created_path, yajl_t_any);
    long long pid = 0, start_time = 0;
    int r;

    if ((r = dup_string(root, "id", &s->id, err)) < 0 ||
        (r = dup_string(root, "bundle", &s->bundle, err)) < 0 ||
        (r = dup_string(root, "rootfs", &s->rootfs, err)) < 0 ||
        (r = dup_string(root, "created", &s->created, err)) < 0 ||
        (r = dup_string(root, "owner", &s->owner, err)) < 0 ||
        (r = dup_string(root, "cgroupPath", &s->cgroup_path, err)) < 0 ||
        (r = decode_cgroup(root, s, err)) < 0 || (r = get_int(root, "pid", &pid, err)) < 0 ||
        (r = get_int(root, "startTime", &start_time, err)) < 0 ||
        (r = decode_annotations(root, s, err)) < 0)
        return r;
    if (!s->id)
        return berth_error_make(err, EINVAL, "state.json: `id` is missing");
    if (pid > INT32_MAX)
        return berth_error_make(err, EINVAL, "state.json: `pid` %lld is out of range", pid);
    s->pid = (pid_t)pid;
    s->start_time = (uint64_t)start_time;
    s->created_status = created && YAJL_IS_TRUE(created);
    return 0;
}

int berth_state_json_decode(const char *buf, struct berth_container_state **ret, berth_error_t *err)
{
    __attribute__((cleanup(yajl_tree_freep))) yajl_val root = NULL;
    struct berth_container_state *s;
    char errbuf[256] = "";
    int r;

    root = yajl_tree_parse(buf, errbuf, sizeof(errbuf));
    if (!root)
        return berth_error_make(err, EINVAL, "parse state.json: %s", errbuf);
    if (!YAJL_IS_OBJECT(root))
        return berth_error_make(err, EINVAL, "parse state.json: not a JSON object");
    s = calloc(1, sizeof(*s));
    if (!s)
        return berth_error_make(err, ENOMEM, "parse state.json");
    r = decode_fields(root, s, err);
    if (r < 0) {
        berth_container_state_free(s);
        return r;
    }
    *ret = s;
    return 0;
}
