/* seccomp-flags.c: which seccomp filter flags this host can honour, for
 * the `supportedFlags` member of `berth features` (features-linux.md
 * "Seccomp": a subset of knownFlags "due to some flags not supported by the
 * current kernel and/or libseccomp"). A flag counts only when both the
 * kernel accepts it and libseccomp can set it. */
#include "berth-seccomp.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct seccomp_flag {
    const char *name;
    unsigned long kernel_flag;
    unsigned api_level; /* seccomp_api_get() level that can set it; 0 = never */
};

/* libseccomp's API levels (seccomp_api_get(3)): 2 adds TSYNC, 3 LOG, 4
 * SPEC_ALLOW (SCMP_FLTATR_CTL_SSB); WAIT_KILLABLE_RECV needs the
 * SCMP_FLTATR_CTL_WAITKILL attribute of libseccomp >= 2.6 (level 7). */
static const struct seccomp_flag seccomp_flags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC, 2},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG, 3},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW, 4},
#ifdef SCMP_FLTATR_CTL_WAITKILL
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 1UL << 5, 7},
#else
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 1UL << 5, 0},
#endif
};

/* The kernel validates the flags before it reads the (NULL) filter: EFAULT
 * means the flag is known, EINVAL that it is not. Nothing is installed. */
static bool kernel_supports(unsigned long flag)
{
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, NULL) < 0 && errno == EFAULT;
}

static bool flag_supported(const char *name)
{
    for (size_t i = 0; i < sizeof(seccomp_flags) / sizeof(seccomp_flags[0]); i++) {
        const struct seccomp_flag *f = &seccomp_flags[i];
        if (strcmp(f->name, name) != 0)
            continue;
        return f->api_level != 0 && seccomp_api_get() >= f->api_level &&
               kernel_supports(f->kernel_flag);
    }
    return false;
}

int berth_seccomp_supported_flags(const char *const *known, char ***ret, size_t *ret_len,
                                  berth_error_t *err)
{
    size_t n = 0, count = 0;
    char **v;

    while (known[n])
        n++;
    v = calloc(n + 1, sizeof(char *));
    if (!v)
        return berth_error_make(err, ENOMEM, "list seccomp flags");
    for (size_t i = 0; i < n; i++) {
        if (!flag_supported(known[i]))
            continue;
        v[count] = strdup(known[i]);
        if (!v[count++]) {
            for (size_t j = 0; j < count; j++)
                free(v[j]);
            free(v);
            return berth_error_make(err, ENOMEM, "list seccomp flags");
        }
    }
    *ret = v;
    *ret_len = count;
    return 0;
}
