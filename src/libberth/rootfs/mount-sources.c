/* mount-sources.c: see mount-sources.h. */
#include "mount-sources.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fd-pass.h"
#include "mount.h"

int berth_mount_sources_open(pid_t pid, const oci_config *cfg, const char *bundle, int *fds,
                             size_t max, char *indexes, size_t size, size_t *ret_n,
                             berth_error_t *err)
{
    struct berth_mount_plan plan = {0};
    struct berth_mount_env env;
    size_t n = 0, used = 0;
    int r;

    *ret_n = 0;
    indexes[0] = '\0';
    berth_mount_env_init(&env, cfg, bundle, true);
    r = berth_mount_plan_build(cfg, &env, &plan, err);
    if (r < 0) {
        /* the init reports a bad mount, with its own context */
        berth_error_release(err);
        return 0;
    }
    for (size_t i = 0; i < plan.len && n < max; i++) {
        const struct berth_mount_step *s = &plan.steps[i];
        char path[PATH_MAX + 32];
        int fd, len;

        if (s->kind != BERTH_MOUNT_BIND || s->idmap || !s->source)
            continue;
        snprintf(path, sizeof(path), "/proc/%d/root%s", (int)pid, s->source);
        fd = open(path, O_PATH | O_CLOEXEC);
        if (fd < 0)
            continue; /* the init's own attempt names the error */
        len = snprintf(indexes + used, size - used, "%s%zu", n ? "," : "", s->index);
        if (len < 0 || (size_t)len >= size - used) {
            close(fd);
            break;
        }
        used += (size_t)len;
        fds[n++] = fd;
    }
    berth_mount_plan_free(&plan);
    *ret_n = n;
    return 0;
}

int berth_mount_sources_recv(int sock, size_t n, size_t nmounts, struct berth_mount_sources *ret,
                             berth_error_t *err)
{
    int fds[BERTH_FD_PASS_MAX];
    char buf[1024];
    char *p = buf;
    int r;

    *ret = (struct berth_mount_sources){0};
    if (n == 0)
        return 0;
    if (n > BERTH_FD_PASS_MAX)
        return berth_error_make(err, EPROTO, "mount sources: %zu fds", n);
    r = berth_fds_recv(sock, buf, sizeof(buf), fds, n, "the bind mount sources", err);
    if (r < 0)
        return r;
    ret->fds = malloc(nmounts * sizeof(*ret->fds));
    if (!ret->fds) {
        for (size_t k = 0; k < n; k++)
            close(fds[k]);
        return berth_error_make(err, ENOMEM, "mount sources");
    }
    ret->len = nmounts;
    for (size_t i = 0; i < nmounts; i++)
        ret->fds[i] = -1;
    for (size_t k = 0; k < n; k++) {
        char *end;
        unsigned long idx = strtoul(p, &end, 10);

        if (end == p || idx >= nmounts || ret->fds[idx] >= 0) {
            for (size_t m = k; m < n; m++)
                close(fds[m]);
            berth_mount_sources_free(ret);
            return berth_error_make(err, EPROTO, "mount sources: bad index list `%s`", buf);
        }
        ret->fds[idx] = fds[k];
        p = *end == ',' ? end + 1 : end;
    }
    return 0;
}

void berth_mount_sources_free(struct berth_mount_sources *s)
{
    for (size_t i = 0; s->fds && i < s->len; i++)
        safe_close(s->fds[i]);
    free(s->fds);
    *s = (struct berth_mount_sources){0};
}

int berth_mount_source(const struct berth_mount_sources *s, size_t index)
{
    return s && s->fds && index < s->len ? s->fds[index] : -1;
}
