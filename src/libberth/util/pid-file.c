/* pid-file.c: atomic pid files. */
#include "pid-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

int berth_pid_file_write(const char *path, pid_t pid, berth_error_t *err)
{
    _cleanup_free_ char *tmp = NULL;
    _cleanup_close_ int fd = -1;
    char buf[16];
    int len = snprintf(buf, sizeof(buf), "%d", (int)pid);

    if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
        return berth_error_make(err, ENOMEM, "pid file");
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return berth_error_errno(err, "write pid file `%s`", path);
    if (fchmod(fd, 0644) < 0 || write(fd, buf, len) != len || rename(tmp, path) < 0) {
        int r = berth_error_errno(err, "write pid file `%s`", path);
        (void)unlink(tmp);
        return r;
    }
    return 0;
}
