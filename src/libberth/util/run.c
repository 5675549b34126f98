/* run.c: running a helper program (berth-systemd, newuidmap) and taking
 * its stderr as the message. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Reads fd to its end into b; what does not fit is drained. */
static void read_into(int fd, const struct berth_run_buf *b)
{
    size_t len = 0;
    char sink[256];
    ssize_t k;

    for (;;) {
        if (len < b->size - 1)
            k = read(fd, b->text + len, b->size - 1 - len);
        else
            k = read(fd, sink, sizeof(sink));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        if (len < b->size - 1)
            len += (size_t)k;
    }
    b->text[len] = '\0';
    while (len && (b->text[len - 1] == '\n' || b->text[len - 1] == ' '))
        b->text[--len] = '\0';
}

int berth_run_capture(char *const argv[], bool search, const struct berth_run_buf *out,
                      const struct berth_run_buf *msg, int *ret_status, berth_error_t *err)
{
    posix_spawn_file_actions_t fa;
    int errp[2], outp[2] = {-1, -1}, r;
    pid_t pid;

    if (pipe2(errp, O_CLOEXEC) < 0)
        return berth_error_errno(err, "run `%s`: pipe", argv[0]);
    if (out && pipe2(outp, O_CLOEXEC) < 0) {
        r = berth_error_errno(err, "run `%s`: pipe", argv[0]);
        close(errp[0]);
        close(errp[1]);
        return r;
    }
    /* only stdio: the caller's own fds (an engine's pipes, a console
     * socket) are none of the helper's business */
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (out)
        posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
    else
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    r = (search ? posix_spawnp : posix_spawn)(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(errp[1]);
    if (out)
        close(outp[1]);
    if (r == 0) {
        if (out)
            read_into(outp[0], out);
        read_into(errp[0], msg);
    }
    close(errp[0]);
    if (out)
        close(outp[0]);
    if (r != 0)
        return berth_error_make(err, r, "run `%s`", argv[0]);
    while (waitpid(pid, ret_status, 0) < 0)
        if (errno != EINTR)
            return berth_error_errno(err, "wait for `%s`", argv[0]);
    return 0;
}
