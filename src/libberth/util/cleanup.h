/* cleanup.h: scope-based ownership helpers.
 *
 * Every owned resource in berth is released by a _cleanup_*_ attribute, and
 * ownership leaves a scope only through TAKE_PTR / TAKE_FD, so that an early
 * `return ret;` on any error path can never leak. Destructors accept the
 * "empty" value (NULL, -1) and do nothing with it.
 */
#ifndef BERTH_CLEANUP_H
#define BERTH_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

/* Moves a pointer out of a cleanup-managed variable. */
#define TAKE_PTR(p)                                                                                \
    ({                                                                                             \
        __typeof__(p) _tp = (p);                                                                   \
        (p) = NULL;                                                                                \
        _tp;                                                                                       \
    })

/* Moves an fd out of a cleanup-managed variable. */
#define TAKE_FD(fd)                                                                                \
    ({                                                                                             \
        int _tf = (fd);                                                                            \
        (fd) = -1;                                                                                 \
        _tf;                                                                                       \
    })

/* Defines `static inline void fn##p(type *p)` calling fn(*p) when *p is set. */
#define DEFINE_CLEANUP_FUNC(type, fn)                                                              \
    static inline void fn##p(type *p)                                                              \
    {                                                                                              \
        if (*p)                                                                                    \
            fn(*p);                                                                                \
    }

/* Closes fd and returns -1, preserving errno. Never retries close() on
 * EINTR: on Linux the fd is gone either way, and a retry could close an fd
 * another thread just opened. */
static inline int safe_close(int fd)
{
    if (fd >= 0) {
        int saved = errno;
        (void)close(fd);
        errno = saved;
    }
    return -1;
}

static inline void freep(void *p)
{
    free(*(void **)p);
}

static inline void closep(int *fd)
{
    *fd = safe_close(*fd);
}

static inline void fclosep(FILE **f)
{
    if (*f)
        (void)fclose(*f);
}

static inline void closedirp(DIR **d)
{
    if (*d)
        (void)closedir(*d);
}

/* Frees a NULL-terminated vector of strings. */
static inline void strv_free(char **v)
{
    if (!v)
        return;
    for (char **i = v; *i; i++)
        free(*i);
    free(v);
}
DEFINE_CLEANUP_FUNC(char **, strv_free)

#define _cleanup_free_     _cleanup_(freep)
#define _cleanup_close_    _cleanup_(closep)
#define _cleanup_fclose_   _cleanup_(fclosep)
#define _cleanup_closedir_ _cleanup_(closedirp)
#define _cleanup_strv_     _cleanup_(strv_freep)

#endif
