/* ns.h: the door of the ns module (namespaces, user namespaces, the
 * processes of a pid namespace, per-namespace attributes): other modules
 * include this header only (docs/architecture.md, "Doors"); each part
 * keeps one concern. */
#ifndef BERTH_NS_DOOR_H
#define BERTH_NS_DOOR_H

#include "ns/namespaces.h"
#include "ns/userns.h"
#include "ns/ns-attrs.h"
#include "ns/pidns.h"
#include "ns/netdev.h"

#endif
