/* spec-create.c: writes the default config.json into a bundle directory
 * (`berth spec`). Never replaces an existing file, and never leaves a
 * partial one: the JSON goes to a temporary file that is then linked into
 * place without clobbering. */
#include "spec-default.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/io.h"

/* runc creates config.json with 0666 filtered by the umask. The umask can
 * only be read by setting it; berth's CLI is single-threaded. */
static mode_t file_mode(void)
{
    mode_t mask = umask(0);

    umask(mask);
    return 0666 & ~mask;
}

/* Moves tmp to dst unless dst exists. RENAME_NOREPLACE makes the check
 * and the move one step; link() is the fallback on filesystems without it
 * and fails just as atomically with EEXIST. */
static int publish(const char *tmp, const char *dst)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -errno;
    if (link(tmp, dst) < 0)
        return -errno;
    (void)unlink(tmp);
    return 0;
}

static int write_temp(const char *dir, const char *json, size_t len, char **ret_tmp,
                      berth_error_t *err)
{
    _cleanup_free_ char *tmp = NULL;
    _cleanup_close_ int fd = -1;
    int r;

    if (asprintf(&tmp, "%s/.config.json.XXXXXX", dir) < 0)
        return berth_error_make(err, ENOMEM, "create config.json");
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return berth_error_errno(err, "create temporary file in `%s`", dir);
    r = berth_write_all(fd, json, len);
    if (r == 0 && fchmod(fd, file_mode()) < 0)
        r = -errno;
    if (r == 0 && close(TAKE_FD(fd)) < 0)
        r = -errno;
    if (r < 0) {
        (void)unlink(tmp);
        return berth_error_make(err, -r, "write `%s`", tmp);
    }
    *ret_tmp = TAKE_PTR(tmp);
    return 0;
}

/* runc's wording, which scripts may match */
static int file_exists_error(berth_error_t *err)
{
    return berth_error_make(err, EEXIST, "File config.json exists. Remove it first");
}

int berth_spec_create(const char *bundle, bool rootless, berth_error_t *err)
{
    const char *dir = bundle && bundle[0] ? bundle : ".";
    _cleanup_free_ char *dst = NULL, *tmp = NULL, *json = NULL;
    oci_config *cfg = NULL;
    size_t len = 0;
    int r;

    if (asprintf(&dst, "%s/config.json", dir) < 0)
        return berth_error_make(err, ENOMEM, "create config.json");
    if (faccessat(AT_FDCWD, dst, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
        return file_exists_error(err);
    r = berth_spec_default(rootless, geteuid(), getegid(), &cfg, err);
    if (r < 0)
        return r;
    json = oci_emit(&oci_config_desc, cfg, true, &len);
    oci_config_free(cfg);
    if (!json)
        return berth_error_make(err, ENOMEM, "emit config.json");
    r = write_temp(dir, json, len, &tmp, err);
    if (r < 0)
        return r;
    r = publish(tmp, dst);
    if (r < 0) {
        (void)unlink(tmp);
        if (r == -EEXIST)
            return file_exists_error(err);
        return berth_error_make(err, -r, "create `%s`", dst);
    }
    return 0;
}
