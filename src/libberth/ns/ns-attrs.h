/* ns-attrs.h: namespace-scoped settings the init applies: hostname and
 * domainname (UTS namespace), sysctl (the container's /proc/sys) and the
 * session keyring. */
#ifndef BERTH_NS_ATTRS_H
#define BERTH_NS_ATTRS_H

#include "util/error.h"
#include "oci-types.h"

/* sethostname/setdomainname for what the config sets. */
int berth_uts_apply(const oci_config *c, berth_error_t *err);

/* Writes linux.sysctl through /proc/sys of the container (after pivot):
 * "net.ipv4.ip_forward" -> /proc/sys/net/ipv4/ip_forward. */
int berth_sysctl_apply(const oci_linux *linux, berth_error_t *err);

/* Joins a new session keyring "_ses.<id>" (runc's name) so the container
 * does not share the host's session keyring; `userns` selects how runc widens
 * the search permission as runc does for user namespaces. */
int berth_keyring_join(const char *id, int userns, berth_error_t *err);

#endif
