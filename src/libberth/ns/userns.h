/* userns.h: id mappings of a new user namespace (config-linux.md "User
 * namespace mappings"). The parent writes /proc/PID/uid_map and gid_map of
 * the child that created the namespace (sync step USERNS_READY ->
 * USERNS_MAPPED): itself when it may (root in the host user namespace, or
 * an unprivileged user mapping its own ids), else through newuidmap and
 * newgidmap (rootless, the ranges of /etc/subuid and /etc/subgid). */
#ifndef BERTH_USERNS_H
#define BERTH_USERNS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"
#include "oci-types.h"

int berth_userns_write_maps(pid_t pid, const oci_linux *linux, berth_error_t *err);

/* Host id that container id `id` maps to (id itself without mappings);
 * (uint32_t)-1 when unmapped. */
uint32_t berth_userns_host_id(const oci_id_mapping *maps, size_t len, uint32_t id);

/* Whether berth runs inside a user namespace other than the initial one
 * (/proc/self/ns/user is not the initial namespace's inode): uid 0 there
 * is not the host's root, as under rootless podman. */
bool berth_userns_nested(void);

/* Child side, once mapped: become root of the new user namespace, so that
 * files it creates belong to the container's root. */
int berth_userns_become_root(berth_error_t *err);

#endif
