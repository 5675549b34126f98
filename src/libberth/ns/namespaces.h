/* namespaces.h: which namespaces a container gets, and entering them.
 *
 * The parent builds a plan before any side effect: new namespaces become
 * CLONE_NEW* flags, joined ones ("path") are opened and their type checked
 * with NS_GET_NSTYPE, so a wrong path fails create before anything exists.
 *
 * Two launch shapes (chosen by berth_ns_plan_build, see sync.h):
 *  - one stage (the common case: no path, no time namespace): clone3 with
 *    every CLONE_NEW* flag; the child is the init, pid 1 of its pid ns.
 *  - two stages (a namespace is joined by path, or a time namespace is new):
 *    clone3 without namespace flags gives a "boot" child that joins the
 *    paths (user namespace first, while it still holds its host privileges
 *    for the others), creates the user namespace (maps written by the
 *    parent), unshares the rest, writes the time offsets, then forks the
 *    init with CLONE_PARENT and exits. Two stages are needed because
 *    setns/unshare of pid and time namespaces only apply to children, and a
 *    time namespace's offsets can only be written before its first process
 *    enters it (time_namespaces(7)); doing it in the boot child also makes
 *    every new namespace owned by the container's user namespace.
 */
#ifndef BERTH_NAMESPACES_H
#define BERTH_NAMESPACES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"
#include "oci-types.h"

#define BERTH_NS_MAX 8

struct berth_ns_join {
    int nstype; /* CLONE_NEW* */
    int fd;     /* O_RDONLY|O_CLOEXEC on the namespace file */
    const char *path;
};

struct berth_ns_plan {
    int new_flags;                           /* CLONE_NEW* of the namespaces to create */
    struct berth_ns_join join[BERTH_NS_MAX]; /* user namespace first */
    size_t njoin;
    bool two_stage;
    bool user_new;
    bool user; /* the container has its own user namespace (new or joined) */
    bool uts;  /* new or joined */
    bool pid_new;
};

/* config-linux.md "Namespaces": opens and type-checks paths, rejects
 * duplicate or unknown types. Release with berth_ns_plan_release. */
int berth_ns_plan_build(const oci_linux *linux, struct berth_ns_plan *plan, berth_error_t *err);
void berth_ns_plan_release(struct berth_ns_plan *plan);

/* Child side: setns() into every joined namespace, in plan order. */
int berth_ns_join_all(const struct berth_ns_plan *plan, berth_error_t *err);

/* Child side (two-stage): unshare every new namespace but the user one. */
int berth_ns_unshare_rest(const struct berth_ns_plan *plan, berth_error_t *err);

/* Child side, right after unshare(CLONE_NEWTIME), before any fork:
 * config-linux.md "Offset for Time Namespace". */
int berth_ns_write_time_offsets(const oci_time_offsets *t, berth_error_t *err);

/* "pid" -> CLONE_NEWPID ...; 0 when unknown. And back. */
int berth_ns_type_flag(const char *type);
/* The linux.namespaces entry of `type` ("network"), NULL when there is
 * none (or no linux object). */
const oci_namespace *berth_ns_find(const oci_linux *l, const char *type);
const char *berth_ns_type_name(int flag);
/* Namespace type i of the table ("pid", ...), NULL past its end. */
const char *berth_ns_type_at(size_t i);

#endif
