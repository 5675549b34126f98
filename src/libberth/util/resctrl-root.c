/* resctrl-root.c: finding the resctrl mount (resctrl-root.h). */
#include "resctrl-root.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>

#include "cleanup.h"

#define RDTGROUP_SUPER_MAGIC 0x7655821
#define DEFAULT_ROOT         "/sys/fs/resctrl"

/* mountinfo(5): "... mount-point options [optional...] - fstype source". */
static char *from_mountinfo(void)
{
    _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
    _cleanup_free_ char *line = NULL;
    size_t size = 0;

    while (f && getline(&line, &size, f) > 0) {
        char mnt[4096];

        if (!strstr(line, " - resctrl "))
            continue;
        if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1)
            return strdup(mnt); /* octal escapes (\040) left as they are: rare */
    }
    return NULL;
}

int berth_resctrl_root(const char *override, char **ret, berth_error_t *err)
{
    struct statfs sf;

    if (override && *override)
        *ret = strdup(override);
    else if (statfs(DEFAULT_ROOT, &sf) == 0 && sf.f_type == RDTGROUP_SUPER_MAGIC)
        *ret = strdup(DEFAULT_ROOT);
    else if (!(*ret = from_mountinfo()))
        return berth_error_make(err, ENOENT, "no resctrl filesystem is mounted on this host");
    return *ret ? 0 : berth_error_make(err, ENOMEM, "resctrl");
}
