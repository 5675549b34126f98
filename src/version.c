/* version.c: `berth --version`. The first three lines have the shape
 * engines parse (go-runc reads "<name> version X", "commit:" and "spec:");
 * the library lines tell a bug reporter what berth was built against. */
#include "version.h"

#include <seccomp.h>
#include <stdlib.h>

#include "criu.h"

static void print_seccomp(FILE *out)
{
    const struct scmp_version *v = seccomp_version();

    /* the shared library can differ from the headers berth was built with */
    if (!v) {
        fprintf(out, "libseccomp: %s\n", SECCOMP_VERSION_STR);
        return;
    }
    fprintf(out, "libseccomp: %u.%u.%u", v->major, v->minor, v->micro);
    if (v->major != SCMP_VER_MAJOR || v->minor != SCMP_VER_MINOR || v->micro != SCMP_VER_MICRO)
        fprintf(out, " (built with %s)", SECCOMP_VERSION_STR);
    fputc('\n', out);
}

/* checkpoint/restore need the criu binary and a kernel it can run on. */
static void print_criu(FILE *out)
{
    char *v = berth_criu_version(NULL);
    berth_error_t err = NULL;

    if (!v) {
        fprintf(out, "criu: not installed (checkpoint/restore unavailable)\n");
        return;
    }
    fprintf(out, "criu: %s (%s on this kernel)\n", v,
            berth_criu_check(NULL, &err) < 0 ? "unusable" : "usable");
    berth_error_release(&err);
    free(v);
}

void berth_print_version(FILE *out)
{
    fprintf(out, "berth version %s\n", PACKAGE_VERSION);
    fprintf(out, "commit: %s\n", GIT_COMMIT);
    fprintf(out, "spec: %s\n", OCI_SPEC_VERSION);
    fprintf(out, "yajl: %s\n", YAJL_VERSION_STR);
    print_seccomp(out);
    fprintf(out, "libcap: %s\n", CAP_VERSION_STR);
#ifdef HAVE_SELINUX
    fprintf(out, "libselinux: %s\n", SELINUX_VERSION_STR);
#else
    fprintf(out, "libselinux: disabled\n");
#endif
    print_criu(out);
    /* configure.ac picks it: static-pie by default, dynamic with
     * --disable-static-binary, sanitizers or fuzzing */
    fprintf(out, "linked: %s\n", BERTH_LINKAGE);
}
