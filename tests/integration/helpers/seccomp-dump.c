/* seccomp-dump PID: writes the classic BPF of the first seccomp filter of
 * process PID to stdout (PTRACE_SECCOMP_GET_FILTER, which needs root and a
 * tracee in ptrace-stop: seize, interrupt, read, detach). The test compares
 * what the kernel runs for two processes, byte for byte. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

int main(int argc, char **argv)
{
    struct sock_filter insns[BPF_MAXINSNS];
    pid_t pid;
    long n;
    int st;

    if (argc != 2)
        return fprintf(stderr, "usage: seccomp-dump PID\n"), 2;
    pid = atoi(argv[1]);
    if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0 || ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0)
        return fprintf(stderr, "seccomp-dump: seize %d: %s\n", pid, strerror(errno)), 1;
    if (waitpid(pid, &st, __WALL) < 0)
        return fprintf(stderr, "seccomp-dump: wait %d: %s\n", pid, strerror(errno)), 1;
    n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, insns);
    if (n < 0) {
        fprintf(stderr, "seccomp-dump: get filter of %d: %s\n", pid, strerror(errno));
        return 1;
    }
    (void)ptrace(PTRACE_DETACH, pid, 0, 0);
    if (fwrite(insns, sizeof(insns[0]), n, stdout) != (size_t)n)
        return 1;
    return 0;
}
