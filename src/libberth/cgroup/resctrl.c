/* resctrl.c: linux.intelRdt on the resctrl filesystem (resctrl.h). */
#include "resctrl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/io.h"
#include "util/resctrl-root.h"

#define RECORD "resctrl" /* in the state directory */

/* What create made: the paths, and whether the group is ours to remove. */
struct group {
    char root[PATH_MAX];
    char path[PATH_MAX];
    char mon[PATH_MAX]; /* "" without enableMonitoring */
    bool made;          /* ours to remove at delete: made, and no closID */
    bool fresh;         /* made by this create: removed if it fails */
};

/* runc's newLastCmdError: the kernel says why in info/last_cmd_status. */
static int fail(const struct group *g, int errnum, const char *what, const char *path,
                berth_error_t *err)
{
    char status_path[PATH_MAX + 32], status[256] = "";
    _cleanup_close_ int fd = -1;
    ssize_t n;

    snprintf(status_path, sizeof(status_path), "%s/info/last_cmd_status", g->root);
    fd = open(status_path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && (n = read(fd, status, sizeof(status) - 1)) > 0) {
        status[n] = '\0';
        status[strcspn(status, "\n")] = '\0';
    }
    if (*status)
        return berth_error_make(err, errnum, "intelRdt: %s `%s` (last_cmd_status: %s)", what, path,
                                status);
    return berth_error_make(err, errnum, "intelRdt: %s `%s`", what, path);
}

/* O_CREAT and O_APPEND change nothing on resctrl's own files; they let a
 * resctrl-shaped test directory keep what was written. */
static int write_file(const struct group *g, const char *dir, const char *file, const char *text,
                      bool append, berth_error_t *err)
{
    char path[PATH_MAX + 16];
    _cleanup_close_ int fd = -1;
    size_t len = strlen(text);

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    int r;

    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (append ? O_APPEND : O_TRUNC),
              0644);
    if (fd < 0)
        return fail(g, errno, "write", path, err);
    /* one write(2): resctrl parses each write as a whole */
    if ((r = berth_write_all(fd, text, len)) < 0)
        return fail(g, -r, "write", path, err);
    return 0;
}

static int add_task(const struct group *g, pid_t pid, berth_error_t *err)
{
    char text[24];

    snprintf(text, sizeof(text), "%d\n", (int)pid);
    if (write_file(g, g->path, "tasks", text, true, err) < 0)
        return berth_error_wrap(err, "add pid %d", (int)pid);
    if (*g->mon && write_file(g, g->mon, "tasks", text, true, err) < 0)
        return berth_error_wrap(err, "add pid %d to the monitoring group", (int)pid);
    return 0;
}

/* A real group goes with rmdir(2) whatever it holds; a resctrl-shaped
 * test directory keeps the files written into it, removed first. */
static int remove_group(const char *dir)
{
    static const char *const ours[] = {"tasks", "schemata"};
    char path[PATH_MAX + 16];

    if (rmdir(dir) == 0 || errno == ENOENT)
        return 0;
    if (errno != ENOTEMPTY)
        return -errno;
    for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, ours[i]);
        (void)unlink(path);
    }
    snprintf(path, sizeof(path), "%s/mon_groups", dir);
    (void)rmdir(path);
    return rmdir(dir) == 0 ? 0 : -errno;
}

static void undo(const struct group *g)
{
    if (*g->mon)
        (void)remove_group(g->mon);
    if (g->fresh)
        (void)remove_group(g->path);
}

/* ---- the record ------------------------------------------------------------ */

/* Four lines: root, group, monitoring group ("" for none), whether the
 * group is ours to remove. */
static int record_write(int dirfd, const struct group *g, berth_error_t *err)
{
    _cleanup_free_ char *text = NULL;
    _cleanup_close_ int fd = -1;
    int len = asprintf(&text, "%s\n%s\n%s\n%d\n", g->root, g->path, g->mon, g->made);
    int r;

    if (len < 0)
        return berth_error_make(err, ENOMEM, "intelRdt");
    fd = openat(dirfd, RECORD, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return berth_error_errno(err, "intelRdt: write the state record `%s`", RECORD);
    if ((r = berth_write_all(fd, text, (size_t)len)) < 0)
        return berth_error_make(err, -r, "intelRdt: write the state record `%s`", RECORD);
    return 0;
}

/* 0 and *ret, or -ENOENT (no intelRdt) without an error. */
static int record_read(int dirfd, struct group *g, berth_error_t *err)
{
    const size_t size = 3 * PATH_MAX + 8;
    _cleanup_free_ char *text = malloc(size);
    _cleanup_close_ int fd = openat(dirfd, RECORD, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    char *lines[4], *p;
    ssize_t n;

    if (fd < 0 && errno == ENOENT)
        return -ENOENT;
    if (fd < 0)
        return berth_error_errno(err, "intelRdt: read the state record `%s`", RECORD);
    if (!text)
        return berth_error_make(err, ENOMEM, "intelRdt");
    if ((n = read(fd, text, size - 1)) < 0)
        return berth_error_errno(err, "intelRdt: read the state record `%s`", RECORD);
    text[n] = '\0';
    p = text;
    for (size_t i = 0; i < 4; i++) {
        lines[i] = p;
        if (!(p = strchr(p, '\n')))
            return berth_error_make(err, EINVAL, "intelRdt: malformed state record `%s`", RECORD);
        *p++ = '\0';
    }
    if (snprintf(g->root, sizeof(g->root), "%s", lines[0]) >= (int)sizeof(g->root) ||
        snprintf(g->path, sizeof(g->path), "%s", lines[1]) >= (int)sizeof(g->path) ||
        snprintf(g->mon, sizeof(g->mon), "%s", lines[2]) >= (int)sizeof(g->mon))
        return berth_error_make(err, EINVAL, "intelRdt: malformed state record `%s`", RECORD);
    g->made = strcmp(lines[3], "1") == 0;
    return 0;
}

/* ---- create ---------------------------------------------------------------- */

static bool has_info(const struct group *g, const char *what)
{
    char path[PATH_MAX + 16];

    snprintf(path, sizeof(path), "%s/info/%s", g->root, what);
    return access(path, F_OK) == 0;
}

/* One write: the kernel parses the lines together (runc's Set). */
static int schemata_text(const oci_intel_rdt *r, const char *l3, const char *mb, char **ret)
{
    const char *parts[2] = {l3 ? l3 : r->l3CacheSchema, mb ? mb : r->memBwSchema};
    size_t size = 1;
    char *text, *p;

    for (size_t i = 0; i < 2; i++)
        size += parts[i] ? strlen(parts[i]) + 1 : 0;
    for (size_t i = 0; i < r->schemata_len; i++)
        size += strlen(r->schemata[i]) + 1;
    if (!(p = text = malloc(size)))
        return -ENOMEM;
    for (size_t i = 0; i < 2; i++)
        if (parts[i] && *parts[i])
            p += sprintf(p, "%s\n", parts[i]);
    for (size_t i = 0; i < r->schemata_len; i++)
        if (*r->schemata[i])
            p += sprintf(p, "%s\n", r->schemata[i]);
    *p = '\0';
    *ret = text;
    return 0;
}

static int check_features(const struct group *g, const char *l3, const char *mb, berth_error_t *err)
{
    /* runc's validator and update: the schema needs the kernel feature. */
    if (l3 && *l3 && !has_info(g, "L3"))
        return berth_error_make(err, 0,
                                "intelRdt.l3CacheSchema is specified in config, but Intel "
                                "RDT/CAT is not enabled");
    if (mb && *mb && !has_info(g, "MB"))
        return berth_error_make(err, 0,
                                "intelRdt.memBwSchema is specified in config, but Intel "
                                "RDT/MBA is not enabled");
    return 0;
}

static int make_group(const struct berth_context *ctx, const oci_intel_rdt *r, const char *id,
                      struct group *g, berth_error_t *err)
{
    _cleanup_free_ char *root = NULL;
    const char *clos = r->closID && *r->closID ? r->closID : id;
    bool schema = (r->l3CacheSchema && *r->l3CacheSchema) || (r->memBwSchema && *r->memBwSchema) ||
                  r->schemata_len > 0;
    int n;

    if (berth_resctrl_root(ctx->resctrl_root, &root, err) < 0)
        return berth_error_wrap(err, "intelRdt");
    snprintf(g->root, sizeof(g->root), "%s", root);
    /* closID "/" is the root group itself (runc's SecureJoin of "/"). */
    n = strcmp(clos, "/") == 0 ? snprintf(g->path, sizeof(g->path), "%s", root)
                               : snprintf(g->path, sizeof(g->path), "%s/%s", root, clos);
    if (n >= (int)sizeof(g->path))
        return berth_error_make(err, ENAMETOOLONG, "intelRdt: group of `%s`", clos);
    if (check_features(g, r->l3CacheSchema, r->memBwSchema, err) < 0)
        return -EINVAL;
    /* config-linux.md: with only a closID, the CLOS must exist already. */
    if (r->closID && *r->closID && !schema && access(g->path, F_OK) < 0)
        return berth_error_errno(err,
                                 "intelRdt: clos dir `%s` not accessible (must be pre-created "
                                 "when schemata, l3CacheSchema and memBwSchema are empty)",
                                 g->path);
    /* runc: a closID group is never removed (others may share it). */
    if (mkdir(g->path, 0755) == 0)
        g->made = !(r->closID && *r->closID), g->fresh = true;
    else if (errno != EEXIST)
        return fail(g, errno, "make group", g->path, err);
    if (r->enableMonitoring) {
        char mon_groups[PATH_MAX + 16];

        snprintf(mon_groups, sizeof(mon_groups), "%s/mon_groups", g->path);
        (void)mkdir(mon_groups, 0755); /* resctrl has it; a test tree may not */
        if (snprintf(g->mon, sizeof(g->mon), "%s/%s", mon_groups, id) >= (int)sizeof(g->mon))
            return berth_error_make(err, ENAMETOOLONG, "intelRdt: monitoring group of `%s`", id);
        if (mkdir(g->mon, 0755) < 0 && errno != EEXIST) {
            int r2 = fail(g, errno, "make monitoring group", g->mon, err);
            g->mon[0] = '\0';
            return r2;
        }
    }
    return 0;
}

int berth_resctrl_apply(const struct berth_context *ctx, const oci_intel_rdt *r, const char *id,
                        pid_t pid, int state_dirfd, berth_error_t *err)
{
    struct group g = {.made = false};
    _cleanup_free_ char *schemata = NULL;
    int rc;

    if (!r)
        return 0;
    if ((rc = make_group(ctx, r, id, &g, err)) < 0)
        goto fail;
    if ((rc = schemata_text(r, NULL, NULL, &schemata)) < 0) {
        rc = berth_error_make(err, ENOMEM, "intelRdt");
        goto fail;
    }
    /* The schemata before the first task: the init never runs outside
     * its allocation. */
    if ((*schemata && (rc = write_file(&g, g.path, "schemata", schemata, false, err)) < 0) ||
        (rc = add_task(&g, pid, err)) < 0 || (rc = record_write(state_dirfd, &g, err)) < 0)
        goto fail;
    return 0;
fail:
    undo(&g);
    return rc;
}

/* ---- exec, update, delete ---------------------------------------------------- */

int berth_resctrl_join(int state_dirfd, pid_t pid, berth_error_t *err)
{
    struct group g;
    int r = record_read(state_dirfd, &g, err);

    if (r == -ENOENT)
        return 0;
    return r < 0 ? r : add_task(&g, pid, err);
}

int berth_resctrl_update(int state_dirfd, const char *l3, const char *mb, berth_error_t *err)
{
    static const oci_intel_rdt none = {0};
    _cleanup_free_ char *text = NULL;
    struct group g;
    int r = record_read(state_dirfd, &g, err);

    if (r == -ENOENT)
        return berth_error_make(err, 0,
                                "updating a non-existent Intel RDT configuration is not "
                                "supported");
    if (r < 0 || (r = check_features(&g, l3, mb, err)) < 0)
        return r;
    if (schemata_text(&none, l3, mb, &text) < 0)
        return berth_error_make(err, ENOMEM, "intelRdt");
    return write_file(&g, g.path, "schemata", text, false, err);
}

int berth_resctrl_destroy(int state_dirfd, berth_error_t *err)
{
    struct group g;
    int r = record_read(state_dirfd, &g, err);

    if (r == -ENOENT)
        return 0;
    if (r < 0)
        return r;
    /* The monitoring group is the container's own; a closID group may be
     * shared and stays, as with runc. */
    if (*g.mon && (r = remove_group(g.mon)) < 0)
        return berth_error_make(err, -r, "intelRdt: remove `%s`", g.mon);
    if (g.made && (r = remove_group(g.path)) < 0)
        return berth_error_make(err, -r, "intelRdt: remove `%s`", g.path);
    return 0;
}
