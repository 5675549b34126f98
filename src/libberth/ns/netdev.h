/* netdev.h: linux.netDevices (config-linux.md "Network Devices"): host
 * network interfaces moved into the container's network namespace, as
 * runc 1.4 does, over rtnetlink (no library: a handful of fixed messages).
 *
 * Per device: the host link is set down, its permanent addresses of global
 * scope are read, one RTM_NEWLINK moves and renames it at once (the kernel
 * completes a "%d" template), then in the container's namespace those
 * addresses are added again (the kernel drops them on a move) and the link
 * is set up. Other attributes (MTU, MAC address) travel with the device.
 *
 * The spec: the runtime MUST check that the move is possible first (every
 * host device exists, no target name is taken unless it is a template), and
 * MUST NOT move a device back before deletion: the namespace's owner (or the
 * kernel, when the namespace goes: physical devices return to the initial
 * namespace, virtual ones are destroyed) decides. A create that fails is not
 * a deletion: berth_netdevs_undo gives the host back what the failed create
 * took, so that a failure leaves nothing half-moved. */
#ifndef BERTH_NETDEV_H
#define BERTH_NETDEV_H

#include <stddef.h>

#include "util/error.h"
#include "oci-types.h"

struct berth_netdevs;

/* Moves every device of l->netDevices into the network namespace netns_fd
 * (an fd of /proc/PID/ns/net). All are checked before the first moves; a
 * failure part way moves the ones already moved back. *ret (NULL without
 * devices) records what moved, for berth_netdevs_undo. */
int berth_netdevs_move(const oci_linux *l, int netns_fd, struct berth_netdevs **ret,
                       berth_error_t *err);

/* Best effort: each moved device back to the namespace it came from, with
 * its name, addresses and up state. Then frees d. */
void berth_netdevs_undo(struct berth_netdevs *d);

void berth_netdevs_free(struct berth_netdevs *d);

/* The init, in a network namespace it made: loopback up, as runc (its
 * "loopback" network, which specconv adds to every new network
 * namespace) and crun do; a namespace joined by path is its owner's. */
int berth_netns_loopback_up(berth_error_t *err);

#endif
