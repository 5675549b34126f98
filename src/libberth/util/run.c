/* run.c: running a helper program (berth-systemd, newuidmap) and taking
 * its stderr as the message. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Reads fd to its end into msg; what does not fit is drained. */
static size_t read_all_into(int fd, char *msg, size_t size)
{
    size_t len = 0;
    char sink[256];
    ssize_t k;

    for (;;) {
        if (len < size - 1)
            k = read(fd, msg + len, size - 1 - len);
        else
            k = read(fd, sink, sizeof(sink));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        if (len < size - 1)
            len += (size_t)k;
    }
    return len;
}

int berth_run_capture(char *const argv[], bool search, char *msg, size_t size, int *ret_status,
                      berth_error_t *err)
{
    posix_spawn_file_actions_t fa;
    int pipefd[2], r;
    size_t len;
    pid_t pid;

    if (pipe2(pipefd, O_CLOEXEC) < 0)
        return berth_error_errno(err, "run `%s`: pipe", argv[0]);
    /* only stdio: the caller's own fds (an engine's pipes, a console
     * socket) are none of the helper's business */
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    r = (search ? posix_spawnp : posix_spawn)(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (r != 0) {
        close(pipefd[0]);
        return berth_error_make(err, r, "run `%s`", argv[0]);
    }
    len = read_all_into(pipefd[0], msg, size);
    close(pipefd[0]);
    msg[len] = '\0';
    while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        msg[--len] = '\0';
    while (waitpid(pid, ret_status, 0) < 0)
        if (errno != EINTR)
            return berth_error_errno(err, "wait for `%s`", argv[0]);
    return 0;
}
