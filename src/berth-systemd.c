/* berth-systemd: the systemd cgroup driver's D-Bus client, a helper
 * program that berth runs (systemd-client.c) for --systemd-cgroup. berth
 * itself stays static and free of libsystemd; this helper is linked
 * against it dynamically and installed in berth's libexec directory.
 *
 *   berth-systemd [--user] start UNIT PROP...   start a transient unit
 *   berth-systemd [--user] set UNIT PROP...     set properties of a unit
 *   berth-systemd [--user] stop UNIT            stop it (gone = done)
 *   berth-systemd [--user] control-group        print the manager's cgroup
 *
 * PROP is "Name[@V]=SIG:VALUE" (systemd-unit.h). On failure the message is
 * the only line on stderr and the exit status is its errno (1 when none
 * applies): berth turns both into its error. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup.h"

static int usage(void)
{
    fputs("usage: berth-systemd [--user] start|set UNIT PROP... | stop UNIT | control-group\n",
          stderr);
    return EINVAL;
}

int main(int argc, char **argv)
{
    struct berth_sd_bus *b = NULL;
    berth_error_t err = NULL;
    bool user = false;
    const char *op, *unit;
    int r, i = 1;

    if (i < argc && strcmp(argv[i], "--user") == 0)
        user = true, i++;
    if (argc - i == 1 && strcmp(argv[i], "control-group") == 0) {
        char *cg = NULL;

        r = berth_sd_bus_open(user, &b, &err);
        if (r == 0 && (r = berth_sd_bus_control_group(b, &cg, &err)) == 0)
            printf("%s\n", cg);
        free(cg);
        goto out;
    }
    if (argc - i < 2)
        return usage();
    op = argv[i++];
    unit = argv[i++];
    if (strcmp(op, "start") != 0 && strcmp(op, "set") != 0 && strcmp(op, "stop") != 0)
        return usage();
    r = berth_sd_bus_open(user, &b, &err);
    if (r == 0 && strcmp(op, "start") == 0)
        r = berth_sd_bus_start(b, unit, argv + i, (size_t)(argc - i), &err);
    else if (r == 0 && strcmp(op, "set") == 0)
        r = berth_sd_bus_set(b, unit, argv + i, (size_t)(argc - i), &err);
    else if (r == 0)
        r = berth_sd_bus_stop(b, unit, &err);
out:
    berth_sd_bus_close(b);
    if (r < 0) {
        fprintf(stderr, "%s\n", err && err->msg ? err->msg : "systemd call failed");
        r = -r;
        berth_error_release(&err);
        return r > 0 && r < 256 ? r : 1;
    }
    return 0;
}
