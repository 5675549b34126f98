/* label.h: Linux security module labels of the container (config.md
 * "Linux Process": apparmorProfile, selinuxLabel; config-linux.md "Mount
 * Label"). A label the host cannot apply is an error, never silently
 * dropped: the user asked for confinement and would not get it. */
#ifndef BERTH_LABEL_H
#define BERTH_LABEL_H

#include <stdbool.h>

#include "util/error.h"
#include "oci-types.h"

/* True when berth can apply the label on this host right now: SELinux
 * needs libselinux compiled in and is_selinux_enabled(); AppArmor needs the
 * module enabled and its securityfs interface. `features` reports these. */
bool berth_selinux_usable(void);
bool berth_apparmor_usable(void);

/* Fails with a reason when the config asks for a label the host cannot
 * apply. Runs in the init before any mount (mountLabel applies to them). */
int berth_label_check(const oci_config *c, berth_error_t *err);

/* Sets the labels process.args will be executed with (the LSM applies them
 * at execve). Writes go through a verified procfs (proc-safe.h), so a
 * fake /proc cannot take them (CVE-2019-16884). Must run while the init is
 * still privileged and before no_new_privs. */
int berth_label_apply(const oci_process *p, berth_error_t *err);

#endif
