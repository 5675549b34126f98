/* systemd-bus.h: the D-Bus calls of the systemd cgroup driver, with sd-bus
 * (libsystemd). Linked only into the helper program berth-systemd
 * (src/berth-systemd.c), never into berth itself: berth stays a static
 * binary that does not load libsystemd (and its dependencies) for the
 * cgroupfs driver, and pays for the bus only when --systemd-cgroup asks
 * for it (docs/performance.md).
 *
 * Properties are the strings of systemd-unit.h ("Name[@V]=SIG:VALUE"). */
#ifndef BERTH_SYSTEMD_BUS_H
#define BERTH_SYSTEMD_BUS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

struct berth_sd_bus;

/* The system bus (user: the caller's user bus, for rootless). */
int berth_sd_bus_open(bool user, struct berth_sd_bus **ret, berth_error_t *err);
void berth_sd_bus_close(struct berth_sd_bus *b);

/* StartTransientUnit(unit, "replace", props) and waits (at most 30 s) for
 * its job: "done" or an error naming the job's result. A leftover failed
 * unit of the same name is reset and the start tried once more, as runc
 * does; a failed start resets the unit so that no failed unit lingers. */
int berth_sd_bus_start(struct berth_sd_bus *b, const char *unit, char *const *props, size_t n,
                       berth_error_t *err);

/* SetUnitProperties(unit, runtime=true, props). */
int berth_sd_bus_set(struct berth_sd_bus *b, const char *unit, char *const *props, size_t n,
                     berth_error_t *err);

/* The manager's own cgroup (its ControlGroup property): "/" for the
 * system instance, "/user.slice/user-UID.slice/user@UID.service" for a
 * user's, below which its slices are. */
int berth_sd_bus_control_group(struct berth_sd_bus *b, char **ret, berth_error_t *err);

/* StopUnit(unit, "replace"), waits for its job; a unit that does not exist
 * (any more) is not an error. Then ResetFailedUnit. */
int berth_sd_bus_stop(struct berth_sd_bus *b, const char *unit, berth_error_t *err);

#endif
