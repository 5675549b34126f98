/* criu-internal.h: shared by criu-run.c, criu-images.c, criu-dump.c,
 * criu-restore.c. */
#ifndef BERTH_CRIU_INTERNAL_H
#define BERTH_CRIU_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "criu.h"

/* The documents berth writes beside criu's images (criu-images.c): each a
 * JSON array, read and written through the model. */
enum berth_criu_doc {
    BERTH_CRIU_DESCRIPTORS, /* char *[3]: the init's fds 0-2, as runc writes them */
    BERTH_CRIU_EXTERNALS,   /* struct berth_criu_external: mounts criu takes as external */
};
struct berth_criu_external {
    char *destination; /* the mount point in the container */
    char *source;      /* the host path restore binds there */
};
/* source of the container's own cgroup2 dir in BERTH_CRIU_EXTERNALS */
#define BERTH_CRIU_CGROUP2 "cgroup2:"

int berth_criu_doc_write(const char *img, enum berth_criu_doc doc, const void *values, size_t n,
                         berth_error_t *err);
/* An absent document is no error: 0 elements (an image criu made alone). */
int berth_criu_doc_read(const char *img, enum berth_criu_doc doc, void **ret_values, size_t *ret_n,
                        berth_error_t *err);
void berth_criu_doc_free(enum berth_criu_doc doc, void *values, size_t n);

const char *berth_criu_bin(const char *criu);
/* What a caller does around criu's process: pre_exec in the forked child
 * before the exec; spawned in the parent once the child exists (a child
 * that needs it done waits for it; when spawned fails the child is killed
 * and reaped, and its error returned). Either may be NULL. */
struct berth_criu_hooks {
    void (*pre_exec)(void *data);
    int (*spawned)(void *data, pid_t pid, berth_error_t *err);
    void *data;
};

int berth_criu_spawn(char *const argv[], char **ret_out, const struct berth_criu_hooks *h,
                     berth_error_t *err);
char *berth_criu_reason(const char *text);
int berth_criu_action(const char *what, char *const argv[], const char *log_path,
                      const struct berth_criu_hooks *h, berth_error_t *err);

/* A growing argv (NULL-terminated); on allocation failure `failed` is set
 * and the caller reports ENOMEM once. */
struct berth_argv {
    char **v;
    size_t n;
    bool failed;
};
void berth_argv_add(struct berth_argv *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void berth_argv_free(struct berth_argv *a);

/* The options both dump and restore turn into criu flags. */
void berth_criu_common_args(struct berth_argv *a, const struct berth_criu_opts *o);

/* mkdir -p with mode 0700 for the image/work directories. */
int berth_criu_mkdirs(const char *path, berth_error_t *err);

#endif
