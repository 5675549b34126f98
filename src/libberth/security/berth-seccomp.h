/* berth-seccomp.h: linux.seccomp (config-linux.md "Seccomp") as a seccomp(2)
 * filter. (Not "seccomp.h": src/libberth is on the include path and
 * libseccomp's <seccomp.h> must stay reachable.)
 *
 * The work is split so that the container init does as little as possible
 * once the filter is active:
 *
 *   parent (berth create), before clone:
 *     berth_seccomp_build()  finds the profile's program compiled before
 *                            (the container's own, then the state root's
 *                            cache: seccomp-cache.c), or has libseccomp
 *                            translate the spec into classic BPF; flags
 *                            are probed, unknown syscall names collected
 *                            (f->unknown) for a debug log line.
 *     berth_seccomp_save()   once the state dir exists: the program is
 *                            kept for exec and for the next container.
 *   init, after every privileged step, right before READY:
 *     berth_seccomp_load()   ONE raw seccomp(2) call; no allocation, no
 *                            libseccomp. With SCMP_ACT_NOTIFY the listener
 *                            fd number is also stored in a shared memory
 *                            slot (a plain store, not a syscall).
 *   parent, for SCMP_ACT_NOTIFY only (seccomp-notify.h):
 *     berth_seccomp_notify_take() fetches the listener fd out of the init
 *                            with pidfd_getfd(2), and
 *     berth_seccomp_notify_send() hands it to listenerPath on the host.
 *
 * Why the parent and not the init talks to the listener: the init would
 * have to connect()/sendmsg() with the filter already loaded, inside the
 * container's namespaces, and a notified sendmsg/connect/fcntl then waits
 * for an agent that cannot have the fd yet (crun#1002, runc#4328). Here no
 * syscall of the init lies between loading the filter and the agent having
 * the fd, so any syscall may be notified.
 */
#ifndef BERTH_BERTH_SECCOMP_H
#define BERTH_BERTH_SECCOMP_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cleanup.h"
#include "util/error.h"
#include "util/sha256.h"
#include "oci-types.h"

/* Where compiled programs are looked for and kept; -1: not there. */
struct berth_seccomp_places {
    int container_dirfd; /* the container's state dir: BERTH_SECCOMP_PROGRAM */
    int cache_dirfd;     /* the state root's cache, shared by all containers */
};
#define BERTH_SECCOMP_PROGRAM   "seccomp.bpf"
#define BERTH_SECCOMP_NO_PLACES ((struct berth_seccomp_places){-1, -1})

enum berth_seccomp_origin {
    BERTH_SECCOMP_COMPILED,       /* libseccomp compiled the profile */
    BERTH_SECCOMP_FROM_CONTAINER, /* the container's program (exec) */
    BERTH_SECCOMP_FROM_CACHE,     /* the state root's cache */
};

/* Value of the handover slot until the init has tried to load. */
#define BERTH_SECCOMP_SLOT_PENDING (-0x7fffffff - 1)

struct berth_seccomp {
    struct sock_fprog prog; /* the filter as classic BPF (owned) */
    unsigned int flags;     /* seccomp(2) SECCOMP_FILTER_FLAG_* */
    bool notify;            /* some rule uses SCMP_ACT_NOTIFY */
    char **unknown;         /* syscall names libseccomp does not know, */
    size_t unknown_len;     /*   skipped like runc does (debug-log them) */
    size_t rules;           /* rules added to the filter (for tests/logs) */
    unsigned enosys_len;    /* instructions of the ENOSYS stub (seccomp-enosys.c) */
    enum berth_seccomp_origin origin;
    uint8_t key[BERTH_SHA256_LEN]; /* profile and build (seccomp-cache.h) */
    const char *refused;           /* why an entry found was not used, for --debug */
    /* notify only: a MAP_SHARED int that survives clone, written by the
     * init (listener fd, or -errno when loading failed), read by the
     * parent. BERTH_SECCOMP_SLOT_PENDING until then. */
    volatile int *handover;
};

/* Builds the filter of s: the program found at `at` (container first, then
 * cache) when one passes every check of berth_seccomp_entry_read, else a
 * compile (rules, unknown and enosys_len are only known then). Errors (all
 * before any side effect): unknown action/arch/operator, errnoRet on an
 * action without an errno, a flag the kernel or libseccomp lacks (named),
 * NOTIFY without listenerPath or as the default action. Syscall names
 * unknown to libseccomp are skipped and listed in (*ret)->unknown. */
int berth_seccomp_build(const oci_seccomp *s, const struct berth_seccomp_places *at,
                        struct berth_seccomp **ret, berth_error_t *err);

/* Keeps f's program: a compiled one goes into the cache (trimmed), and the
 * container gets its BERTH_SECCOMP_PROGRAM as a link to the cache entry, or
 * as a copy when there is no cache. Errors concern the container's copy
 * only; the cache is best effort. */
int berth_seccomp_save(const struct berth_seccomp *f, const struct berth_seccomp_places *at,
                       berth_error_t *err);

void berth_seccomp_free(struct berth_seccomp *f);
DEFINE_CLEANUP_FUNC(struct berth_seccomp *, berth_seccomp_free)
#define _cleanup_seccomp_ _cleanup_(berth_seccomp_freep)

/* Loads the filter into the calling thread (the init). Exactly one
 * seccomp(2) syscall on success; the error path formats a message.
 *
 * Needs no_new_privs or CAP_SYS_ADMIN (seccomp(2)); berth does not set
 * no_new_privs itself (process.noNewPrivileges decides, as in runc).
 *
 * *ret_notify_fd (may be NULL) gets the listener fd (O_CLOEXEC, so execve
 * drops it from the container process) or -1 without SCMP_ACT_NOTIFY. The
 * init needs it for nothing: the parent takes its own copy. */
int berth_seccomp_load(struct berth_seccomp *f, int *ret_notify_fd, berth_error_t *err);

/* Seccomp flags of `known` (SECCOMP_FILTER_FLAG_*) that both the running
 * kernel and the linked libseccomp support (seccomp-flags.c): the
 * supportedFlags of `berth features`, and what a filter may ask for. */
int berth_seccomp_supported_flags(const char *const *known, char ***ret, size_t *ret_len,
                                  berth_error_t *err);

/* Whether the filter compiler takes `name` as an action, an operator or an
 * architecture (the last: one the linked libseccomp knows): what
 * `berth features` lists, from the compiler's own tables. */
enum berth_seccomp_name { BERTH_SECCOMP_ACTION, BERTH_SECCOMP_OPERATOR, BERTH_SECCOMP_ARCH };
bool berth_seccomp_name_known(enum berth_seccomp_name kind, const char *name);

#endif
