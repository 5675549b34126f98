/* cgroup-resources.c: value conversions shared by the v1 and v2 drivers
 * and the default device allow list. */
#include <errno.h>
#include <math.h>

#include "cgroup-internal.h"

/* cpu.shares (v1, 2..262144, default 1024) -> cpu.weight (v2, 1..10000,
 * default 100). This is the mapping of runc >= 1.3.2 / 1.4 and crun >= 1.23
 * (runc#4772, crun#1721): a quadratic in log2(shares) chosen so that the
 * three fixed points line up, 2 -> 1, 1024 -> 100 and 262144 -> 10000.
 * The old linear formula, 1 + (shares - 2) * 9999 / 262142, mapped the
 * default 1024 shares to weight 39 and starved containers against the
 * system's own weight-100 cgroups. Engines compare against this value when
 * they read cpu.weight back, so it must be the same formula. */
uint64_t berth_cg_shares_to_weight(uint64_t shares)
{
    double l, exponent, w;

    if (shares == 0)
        return 0; /* unset */
    if (shares <= 2)
        return 1;
    if (shares >= 262144)
        return 10000;
    l = log2((double)shares);
    exponent = (l * l + 125.0 * l) / 612.0 - 7.0 / 34.0;
    w = pow(10.0, exponent);
    /* runc rounds up; an exact power of ten computed as 100.00000000000003
     * must still give 100, so drop the floating-point noise first. */
    return (uint64_t)ceil(w - 1e-9);
}

/* blkio.weight (10..1000) -> io.weight (1..10000), runc's linear mapping. */
uint64_t berth_cg_blkio_weight_to_io_weight(uint64_t weight)
{
    if (weight == 0)
        return 0;
    if (weight < 10)
        weight = 10;
    if (weight > 1000)
        weight = 1000;
    return 1 + (weight - 10) * 9999 / 990;
}

/* config-linux.md "Memory": swap is the memory+swap limit; cgroup v2 has a
 * separate swap counter, so memory.swap.max = swap - limit. */
int berth_cg_swap_v2(int64_t swap, int64_t limit, bool limit_present, int64_t *ret)
{
    if (swap == -1) {
        *ret = -1;
        return 0;
    }
    if (!limit_present || limit == -1) {
        /* Without a memory limit memory+swap cannot be split; runc refuses
         * too ("unable to set swap limit without memory limit"). */
        return -EINVAL;
    }
    if (swap < limit)
        return -EINVAL;
    *ret = swap - limit;
    return 0;
}

#define DEV(t, ma, mi, acc)                                                                        \
    {                                                                                              \
        .allow = true, .allow_present = true, .type = (char *)(t), .major = (ma),                  \
        .major_present = (ma) >= 0, .minor = (mi), .minor_present = (mi) >= 0,                     \
        .access = (char *)(acc)                                                                    \
    }

/* config-linux.md "Default Devices": /dev/null, zero, full, random,
 * urandom, tty, console and ptmx MUST be supplied, so the device cgroup
 * must let them be opened; /dev/pts/N (136:*) for the console; mknod of any
 * node is allowed (opening it still needs an rw rule), as runc does. */
const oci_device_cgroup berth_cg_default_devices[] = {
    DEV("c", -1, -1, "m"), DEV("b", -1, -1, "m"), DEV("c", 1, 3, "rwm"),    DEV("c", 1, 5, "rwm"),
    DEV("c", 1, 7, "rwm"), DEV("c", 1, 8, "rwm"), DEV("c", 1, 9, "rwm"),    DEV("c", 5, 0, "rwm"),
    DEV("c", 5, 1, "rwm"), DEV("c", 5, 2, "rwm"), DEV("c", 136, -1, "rwm"),
};
const size_t berth_cg_ndefault_devices =
    sizeof(berth_cg_default_devices) / sizeof(berth_cg_default_devices[0]);
