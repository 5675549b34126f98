/* security.h: the door of the security module (capabilities, seccomp:
 * the filter and the notify agent, labels): other modules include this
 * header only (docs/architecture.md, "Doors"); each part keeps one
 * concern. */
#ifndef BERTH_SECURITY_DOOR_H
#define BERTH_SECURITY_DOOR_H

#include "security/caps.h"
#include "security/berth-seccomp.h"
#include "security/seccomp-notify.h"
#include "security/label.h"

#endif
