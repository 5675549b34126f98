/* foreground.c: the foreground wait of `run` and `exec`. */
#include "foreground.h"

#include <errno.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "process/process.h"

static const int forwarded_signals[] = {
    SIGHUP,  SIGINT,  SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE,  SIGALRM,
    SIGTERM, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH,
};

void berth_foreground_sigset(sigset_t *set, bool reap)
{
    sigemptyset(set);
    for (size_t i = 0; i < sizeof(forwarded_signals) / sizeof(forwarded_signals[0]); i++)
        sigaddset(set, forwarded_signals[i]);
    if (reap)
        sigaddset(set, SIGCHLD);
}

/* As subreaper we inherit orphans of the container; reap them, but leave
 * the waited process's zombie alone: its status is the result. */
static void reap_orphans(pid_t keep)
{
    for (;;) {
        siginfo_t info = {0};
        if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 || info.si_pid == 0 ||
            info.si_pid == keep)
            return;
        (void)waitpid(info.si_pid, NULL, WNOHANG);
    }
}

int berth_foreground_wait(pid_t pid, int pidfd, struct berth_terminal_proxy *proxy,
                          const sigset_t *set, int *ret_status, berth_error_t *err)
{
    _cleanup_close_ int sfd = signalfd(-1, set, SFD_CLOEXEC);

    if (sfd < 0)
        return berth_error_errno(err, "signalfd");
    for (;;) {
        struct pollfd pfd[2] = {{.fd = pidfd, .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
        struct signalfd_siginfo si;

        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return berth_error_errno(err, "poll");
        }
        if (pfd[0].revents)
            return berth_process_wait(pid, ret_status, err);
        if (read(sfd, &si, sizeof(si)) != sizeof(si))
            continue;
        if (si.ssi_signo == SIGCHLD)
            reap_orphans(pid);
        else if (si.ssi_signo == SIGWINCH && proxy)
            berth_terminal_proxy_winch(proxy); /* the pty's size follows ours */
        else
            (void)syscall(SYS_pidfd_send_signal, pidfd, si.ssi_signo, NULL, 0);
    }
}
